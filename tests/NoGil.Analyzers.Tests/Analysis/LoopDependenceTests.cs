using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Analysis;

/// <summary>The loop dependence model on its own: which loops are independent, which are not, and why.</summary>
public sealed class LoopDependenceTests
{
    /// <summary>Analyzes the first (outermost) loop of method <c>K</c> in <paramref name="members"/>.</summary>
    private static LoopModel? Analyze(string members, string usings = "", CancellationToken cancellationToken = default, bool allowErrors = false)
    {
        var source = "using System; using System.Collections.Generic; using System.Threading.Tasks; " + usings + "\npublic class C {\n" + members + "\n}";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Loops", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        Assert.True(allowErrors || !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error));
        var model = compilation.GetSemanticModel(tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == "K");
        var loopSyntax = method.DescendantNodes().First(n => n is ForStatementSyntax or ForEachStatementSyntax);
        var loop = (ILoopOperation)model.GetOperation(loopSyntax)!;
        return LoopDependence.Analyze(loop, KnownTypes.For(compilation), PurityCache.For(compilation), cancellationToken);
    }

    private static LoopModel Independent(string members, string usings = "")
    {
        var model = Analyze(members, usings);
        Assert.NotNull(model);
        Assert.True(model!.IsIndependent, "expected independent, got: " + string.Join("; ", model.Obstacles));
        return model;
    }

    private static LoopModel Dependent(string members, LoopObstacleKind kind)
    {
        var model = Analyze(members);
        Assert.NotNull(model);
        Assert.False(model!.IsIndependent, "expected an obstacle of kind " + kind);
        Assert.Contains(model.Obstacles, o => o.Kind == kind);
        Assert.False(string.IsNullOrEmpty(model.WhyNot));
        return model;
    }

    [Fact]
    public void Saxpy()
    {
        var model = Independent("static void K(float a, float[] x, float[] y) { for (int i = 0; i < x.Length; i++) y[i] = a * x[i] + y[i]; }");
        Assert.Equal(LoopShape.For, model.Shape);
        Assert.All(model.Accesses, access => Assert.True(access.IsAtInduction));
        Assert.Equal(2, model.Accesses.Count(a => a.Base!.Name == "y"));
        Assert.Contains(model.Accesses, a => a.Base!.Name == "y" && a.Kind == ElementAccessKind.Write);
        Assert.Empty(model.Reductions);
        Assert.False(model.Cost.IsHeavy);
        Assert.False(model.UsesSpans);
    }

    [Fact]
    public void AddTwoArraysIntoAThirdParameter()
        => Independent("static void K(int[] a, int[] b, int[] c) { for (int i = 0; i < c.Length; i++) c[i] = a[i] + b[i]; }");

    [Fact]
    public void InclusiveBoundAndPrefixIncrement()
    {
        var model = Independent("static void K(double[] d, int n) { for (int i = 1; i <= n; ++i) d[i] = Math.Sqrt(d[i]); }");
        Assert.True(model.UpperInclusive);
        Assert.False(model.Cost.HasTranscendental); // a square root is one instruction, not a transcendental function
    }

    [Fact]
    public void SumIsAnAddReduction()
    {
        var model = Independent("static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) s += a[i]; return s; }");
        var reduction = Assert.Single(model.Reductions);
        Assert.Equal(ReductionOperator.Add, reduction.Operator);
        Assert.Equal("s", reduction.Variable.Name);
        Assert.False(reduction.IsFloatingPoint);
        Assert.Equal("a[i]", reduction.Value!.Syntax.ToString());
    }

    [Fact]
    public void DotProductWithSelfAssignmentForm()
    {
        var model = Independent("static double K(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s = s + a[i] * b[i]; return s; }");
        var reduction = Assert.Single(model.Reductions);
        Assert.Equal(ReductionOperator.Add, reduction.Operator);
        Assert.True(reduction.IsFloatingPoint);
        Assert.Equal("a[i] * b[i]", reduction.Value!.Syntax.ToString());
    }

    [Fact]
    public void MathMaxAndCompareMaxAreDifferentOperators()
    {
        Assert.Equal(ReductionOperator.MathMax, Independent("static double K(double[] a) { double m = double.NegativeInfinity; for (int i = 0; i < a.Length; i++) m = Math.Max(a[i], m); return m; }").Reductions.Single().Operator);
        Assert.Equal(ReductionOperator.CompareMax, Independent("static double K(double[] a) { double m = a[0]; for (int i = 1; i < a.Length; i++) if (a[i] > m) m = a[i]; return m; }").Reductions.Single().Operator);
        Assert.Equal(ReductionOperator.CompareMin, Independent("static int K(int[] a) { int m = int.MaxValue; for (int i = 0; i < a.Length; i++) { if (m > a[i]) { m = a[i]; } } return m; }").Reductions.Single().Operator);
    }

    [Fact]
    public void ConditionalCount()
    {
        var reduction = Independent("static int K(float[] a, float t) { int n = 0; for (int i = 0; i < a.Length; i++) if (a[i] > t) n++; return n; }").Reductions.Single();
        Assert.Equal(ReductionOperator.Add, reduction.Operator);
        Assert.Null(reduction.Value);
        Assert.Equal("a[i] > t", reduction.Condition!.Syntax.ToString());
    }

    [Fact]
    public void MandelbrotRowsOfAFlattenedImage()
    {
        var model = Independent("""
            static void K(int[] result, int width, int height)
            {
                for (int y = 0; y < height; y++)
                {
                    int row = y * width;
                    for (int x = 0; x < width; x++)
                    {
                        double cr = -2.0 + 3.0 * x / width, ci = -1.5 + 3.0 * y / height, zr = 0, zi = 0;
                        int it = 0;
                        while (zr * zr + zi * zi < 4 && it < 256) { double t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; it++; }
                        result[row + x] = it;
                    }
                }
            }
            """);
        Assert.True(model.Cost.HasInnerLoop);
        Assert.True(model.Cost.IsHeavy);
        Assert.Equal("i*width", model.Accesses.Single().Partition);
    }

    [Fact]
    public void RowOffsetWithAnotherWidthIsNotARow()
        => Dependent("static void K(int[] r, int w, int h) { for (int y = 0; y < h; y++) for (int x = 0; x < h; x++) r[y * w + x] = x; }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void MatrixMultiplyIntoAFreshRectangularArray()
    {
        var model = Independent("""
            static double[,] K(double[,] a, double[,] b, int n)
            {
                var c = new double[n, n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j < n; j++)
                        for (int k = 0; k < n; k++)
                            c[i, j] += a[i, k] * b[k, j];
                return c;
            }
            """);
        Assert.True(model.Cost.HasInnerLoop);
    }

    [Fact]
    public void MatrixMultiplyIntoAParameterThatMayBeAnInput()
        => Dependent("static void K(double[,] a, double[,] b, double[,] c, int n) { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) c[i, j] += a[i, k] * b[k, j]; }", LoopObstacleKind.MayAlias);

    [Fact]
    public void JaggedMatrixMultiplyThroughARowLocal()
        => Independent("""
            static double[][] K(double[][] a, double[][] b, int n)
            {
                var c = new double[n][];
                for (int i = 0; i < n; i++) c[i] = new double[n];
                for (int i = 0; i < n; i++)
                {
                    var row = c[i];
                    for (int j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (int k = 0; k < n; k++) s += a[i][k] * b[k][j];
                        row[j] = s;
                    }
                }
                return c;
            }
            """);

    [Fact]
    public void NBodyAccumulatesIntoABodyLocal()
    {
        var model = Independent("""
            static double F(double p, double q) { var d = p - q; return d / (d * d + 0.01); }
            static double[] K(double[] pos)
            {
                var acc = new double[pos.Length];
                for (int i = 0; i < pos.Length; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < pos.Length; j++) sum += F(pos[i], pos[j]);
                    acc[i] = sum;
                }
                return acc;
            }
            """);
        Assert.True(model.Cost.CallsSourceMethod);
        Assert.Empty(model.Reductions);
    }

    [Fact]
    public void NBodyIntoAParameterThatMayBeThePositions()
        => Dependent("""
            static void K(double[] pos, double[] acc)
            {
                for (int i = 0; i < pos.Length; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < pos.Length; j++) sum += pos[i] - pos[j];
                    acc[i] = sum;
                }
            }
            """, LoopObstacleKind.MayAlias);

    [Fact]
    public void NBodyOverStructsIntoAnotherElementType()
        => Independent("""
            public struct P { public double X, Y; }
            static double Pull(P a, P b) { var dx = a.X - b.X; var dy = a.Y - b.Y; return 1 / Math.Sqrt(dx * dx + dy * dy + 0.01); }
            static void K(P[] bodies, double[] potential)
            {
                for (int i = 0; i < bodies.Length; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < bodies.Length; j++) sum += Pull(bodies[i], bodies[j]);
                    potential[i] = sum;
                }
            }
            """);

    [Fact]
    public void PureStaticHelperThatLoops()
    {
        var model = Independent("""
            static int Collatz(long n) { int steps = 0; while (n != 1) { n = (n & 1) == 0 ? n / 2 : 3 * n + 1; steps++; } return steps; }
            static void K(long[] src, int[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = Collatz(src[i]); }
            """);
        Assert.True(model.Cost.CallsLoopingMethod);
        Assert.True(model.Cost.IsHeavy);
    }

    [Fact]
    public void OneLineHelperCostsItsOperations_NotACallIntoTheProject()
    {
        var model = Independent("""
            static float Relu(float v) => Math.Max(0, v);
            static void K(float[] x) { for (int j = 0; j < x.Length; j++) x[j] = Relu(x[j]); }
            """);
        Assert.True(model.Cost.CallsSourceMethod);
        // x[j] twice and one call: Relu is a one-line forwarder, so it costs what calling Math.Max costs.
        Assert.Equal(6, model.Cost.Operations);
        Assert.False(model.Cost.CallsLoopingMethod);
        Assert.False(model.Cost.CallsRecursiveMethod);
        Assert.False(model.Cost.IsWorthParallelizing);
    }

    [Fact]
    public void HelperCostsAreFollowedThroughNestedHelpers()
    {
        var model = Independent("""
            static double Sigmoid(double x) => 1.0 / (1.0 + Exp(-x));
            static double Exp(double x) => Math.Exp(x);
            static void K(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = Sigmoid(src[i]); }
            """);
        Assert.True(model.Cost.HasTranscendental);
        Assert.True(model.Cost.IsWorthParallelizing);
        Assert.False(model.Cost.IsHeavy);
    }

    [Fact]
    public void HelperCostsReachAsDeepAsThePurityProof()
    {
        // K -> A -> B -> D: the deepest chain the purity summary proves (Purity.MaxCallDepth); D's Math.Exp is seen.
        const string Chain = """
            static double A(double x) => B(x);
            static double B(double x) => D(x);
            static double D(double x) => Math.Exp(x);
            static void K(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = A(src[i]); }
            """;
        Assert.True(Independent(Chain).Cost.HasTranscendental);

        // One call deeper and the call is not proven pure, so the loop is not independent at all: the cost estimate
        // never needs to see further than the proof.
        Dependent(Chain.Replace("=> Math.Exp(x);", "=> E(x);\n    static double E(double x) => Math.Exp(x);"), LoopObstacleKind.ImpureCall);
    }

    [Fact]
    public void RecursiveHelperIsWorthParallelizing()
    {
        var model = Independent("""
            static long Fib(int k) => k < 2 ? k : Fib(k - 1) + Fib(k - 2);
            static void K(int[] n, long[] r) { for (int i = 0; i < n.Length; i++) r[i] = Fib(n[i]); }
            """);
        Assert.True(model.Cost.CallsRecursiveMethod);
        Assert.True(model.Cost.IsWorthParallelizing);
        Assert.False(model.Cost.IsHeavy);
    }

    [Fact]
    public void InnerLoopThatOnlyMovesData_DoesNotMakeTheBodyHeavy()
    {
        var allocate = Independent("""
            static double[][][] K(int n1, int n2, int n3)
            {
                var a = new double[n1][][];
                for (int i = 0; i < n1; ++i)
                {
                    a[i] = new double[n2][];
                    for (int j = 0; j < n2; j++) a[i][j] = new double[n3];
                }
                return a;
            }
            """);
        Assert.False(allocate.Cost.HasInnerLoop);
        Assert.False(allocate.Cost.IsWorthParallelizing);

        // The same shape with arithmetic in the inner loop computes: a few operations per element of a nest that writes
        // each element once stream memory like a flat loop (StreamingNest); reading b[j] on every row is reuse, and heavy.
        var stream = Independent("""
            static double[][] K(int n1, int n2)
            {
                var a = new double[n1][];
                for (int i = 0; i < n1; ++i)
                {
                    a[i] = new double[n2];
                    for (int j = 0; j < n2; j++) a[i][j] = i * 0.5 + j;
                }
                return a;
            }
            """);
        Assert.False(stream.Cost.HasInnerLoop);
        Assert.True(stream.Cost.StreamsMemory);
        Assert.Equal(4, stream.Cost.StreamingNestOperations); // a multiply, an add, the row and the element read

        var compute = Independent("""
            static double[][] K(int n1, int n2, double[] b)
            {
                var a = new double[n1][];
                for (int i = 0; i < n1; ++i)
                {
                    a[i] = new double[n2];
                    for (int j = 0; j < n2; j++) a[i][j] = i * 0.5 + b[j];
                }
                return a;
            }
            """);
        Assert.True(compute.Cost.HasInnerLoop);
        Assert.True(compute.Cost.IsHeavy);
    }

    [Fact]
    public void WhileConditionOfAnInnerLoopIsWork()
    {
        var model = Independent("""
            static void K(double[] c, int[] result, int max)
            {
                for (int i = 0; i < c.Length; i++)
                {
                    double z = 0;
                    int n = 0;
                    while (n < max && z * z <= 4.0) { n++; }
                    result[i] = n;
                }
            }
            """);
        Assert.True(model.Cost.HasInnerLoop);
    }

    [Fact]
    public void ForEachOverAnArray()
    {
        var model = Independent("static long K(int[] a) { long s = 0; foreach (var x in a) s += x * (long)x; return s; }");
        Assert.Equal(LoopShape.ForEachArray, model.Shape);
        Assert.Single(model.Reductions);
    }

    [Fact]
    public void ConstantTripCount()
        => Assert.True(Independent("static void K(int[] a) { for (int i = 0; i < 16; i++) a[i] = i; }").IsTriviallySmall);

    [Fact]
    public void PrefixSum()
        => Dependent("static void K(int[] a, int[] b) { for (int i = 1; i < a.Length; i++) a[i] = a[i - 1] + b[i]; }", LoopObstacleKind.CrossIterationRead);

    [Fact]
    public void Shift()
        => Dependent("static void K(int[] a) { for (int i = 0; i < a.Length - 1; i++) a[i] = a[i + 1]; }", LoopObstacleKind.CrossIterationRead);

    [Fact]
    public void Histogram()
        => Dependent("static void K(byte[] a, int[] h) { for (int i = 0; i < a.Length; i++) h[a[i]]++; }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void OffsetReadOfAParameterThatMayAliasTheDestination()
        => Dependent("static void K(int[] dst, int[] src) { for (int i = 0; i < dst.Length; i++) dst[i] = src[i + 1]; }", LoopObstacleKind.MayAlias);

    [Fact]
    public void OffsetReadOfAFreshArrayIsFine()
        => Independent("static int[] K(int[] src) { var dst = new int[src.Length - 1]; for (int i = 0; i < dst.Length; i++) dst[i] = src[i + 1]; return dst; }");

    [Fact]
    public void OffsetReadOfAnotherElementTypeIsFine()
        => Independent("static void K(double[] dst, int[] src) { for (int i = 0; i < dst.Length; i++) dst[i] = src[i + 1]; }");

    [Fact]
    public void Break()
        => Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) break; a[i] *= 2; } }", LoopObstacleKind.Exit);

    [Fact]
    public void BreakOfAnInnerLoopIsFine()
        => Independent("static void K(int[] a, int n) { for (int i = 0; i < a.Length; i++) { int s = 0; for (int j = 0; j < n; j++) { if (j > a[i]) break; s += j; } a[i] = s; } }");

    [Fact]
    public void Return()
        => Dependent("static int K(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] == 0) return i; } return -1; }", LoopObstacleKind.Exit);

    [Fact]
    public void FieldWrite()
        => Dependent("int _last; void K(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = i; _last = i; } }", LoopObstacleKind.FieldWrite);

    [Fact]
    public void StaticWrite()
        => Dependent("static int s_count; static void K(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = i; s_count++; } }", LoopObstacleKind.FieldWrite);

    [Fact]
    public void RandomIsImpure()
        => Dependent("static void K(int[] a, Random r) { for (int i = 0; i < a.Length; i++) a[i] = r.Next(); }", LoopObstacleKind.ImpureCall);

    [Fact]
    public void ConsoleIsImpure()
        => Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) Console.WriteLine(a[i]); }", LoopObstacleKind.ImpureCall);

    [Fact]
    public void ListAddIsImpure()
        => Dependent("static void K(int[] a, List<int> l) { for (int i = 0; i < a.Length; i++) l.Add(a[i]); }", LoopObstacleKind.ImpureCall);

    [Fact]
    public void VolatileRead()
        => Dependent("static volatile bool s_stop; static void K(int[] a) { for (int i = 0; i < a.Length; i++) a[i] = s_stop ? 0 : i; }", LoopObstacleKind.VolatileRead);

    [Fact]
    public void InductionWritten()
        => Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = 0; i++; } }", LoopObstacleKind.InductionWritten);

    [Fact]
    public void BoundWritten()
        => Dependent("static void K(int[] a, int n) { for (int i = 0; i < n; i++) { a[i] = 0; n--; } }", LoopObstacleKind.BoundNotInvariant);

    [Fact]
    public void AccumulatorReadElsewhere()
        => Dependent("static void K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; a[i] = s; } }", LoopObstacleKind.OuterVariableWrite);

    [Fact]
    public void OuterScalarOverwritten()
        => Dependent("static int K(int[] a) { int last = 0; for (int i = 0; i < a.Length; i++) last = a[i]; return last; }", LoopObstacleKind.OuterVariableWrite);

    [Fact]
    public void ThrowAndTry()
    {
        Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) throw new ArgumentException(); a[i]++; } }", LoopObstacleKind.ExceptionSensitive);
        Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) { try { a[i] = 1 / a[i]; } catch (DivideByZeroException) { } } }", LoopObstacleKind.ExceptionSensitive);
    }

    [Fact]
    public void LambdaInTheBody()
        => Dependent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) { Func<int> f = () => 1; a[i] = f(); } }", LoopObstacleKind.Unsupported);

    [Fact]
    public void SpansThatMayOverlap()
    {
        var model = Dependent("static void K(ReadOnlySpan<float> a, Span<float> d) { for (int i = 0; i < d.Length; i++) d[i] = a[i] * 2; }", LoopObstacleKind.SpanOverlap);
        Assert.True(model.UsesSpans);
        Assert.All(model.Obstacles, o => Assert.Equal(LoopObstacleKind.SpanOverlap, o.Kind));
    }

    [Fact]
    public void SpanReadOnlyReduction()
    {
        var model = Independent("static float K(ReadOnlySpan<float> a) { float s = 0; for (int i = 0; i < a.Length; i++) s += a[i]; return s; }");
        Assert.True(model.UsesSpans);
    }

    [Fact]
    public void CheckedArithmeticIsRecorded()
        => Assert.True(Independent("static int K(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) s = checked(s + a[i]); return s; }").HasCheckedArithmetic);

    [Fact]
    public void InsideParallelForBody()
        => Assert.True(Independent("static void K(int[][] m) { Parallel.For(0, m.Length, r => { var row = m[r]; for (int i = 0; i < row.Length; i++) row[i] = i * r; }); }").IsInsideConcurrentBody);

    [Fact]
    public void InsideTaskRunBody()
        => Assert.True(Independent("static Task K(int[] a) => Task.Run(() => { for (int i = 0; i < a.Length; i++) a[i] = i; });").IsInsideConcurrentBody);

    [Theory]
    [InlineData("new System.Threading.Thread(() => { for (int i = 0; i < a.Length; i++) a[i] = i; }).Start();")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { for (int i = 0; i < a.Length; i++) a[i] = i; });")]
    [InlineData("Task.Factory.StartNew(() => { for (int i = 0; i < a.Length; i++) a[i] = i; });")]
    [InlineData("System.Linq.ParallelEnumerable.ForAll(System.Linq.ParallelEnumerable.AsParallel(new[] { 1 }), _ => { for (int i = 0; i < a.Length; i++) a[i] = i; });")]
    [InlineData("Parallel.For(0, 1, () => { for (int i = 0; i < a.Length; i++) a[i] = i; return 0; }, (k, state, local) => local, local => { });")]
    public void InsideOtherConcurrentBodies(string statement)
        => Assert.True(Independent("static void K(int[] a) { " + statement + " }").IsInsideConcurrentBody);

    [Fact]
    public void InsideALambdaThatRunsSequentially()
        => Assert.False(Independent("static void K(int[] a) { Array.ForEach(new[] { 1 }, _ => { for (int i = 0; i < a.Length; i++) a[i] = i; }); }").IsInsideConcurrentBody);

    [Fact]
    public void NonCanonicalLoopsHaveNoModel()
    {
        Assert.Null(Analyze("static void K(int[] a) { for (int i = 0; i < a.Length; i += 2) a[i] = 0; }"));
        Assert.Null(Analyze("static void K(int[] a) { for (int i = a.Length - 1; i >= 0; i--) a[i] = 0; }"));
        Assert.Null(Analyze("static void K(List<int> a) { int s = 0; foreach (var x in a) s += x; }"));
        Assert.Null(Analyze("static void K(int[] a) { for (int i = 0, j = 1; i < a.Length; i++) a[i] = j; }"));
    }

    [Fact]
    public void JaggedRowsTakenFromAnotherArrayMayAlias()
        => Dependent("""
            static void K(double[][] a, int n)
            {
                var c = new double[n][];
                int r = 0;
                while (r < n) { c[r] = a[r]; r++; }
                for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) c[i][j] = a[j][i];
            }
            """, LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void WhatALambdaCannotCapture()
    {
        Assert.True(Independent("static void K(int[] a) { for (int i = 0; i < a.Length; i++) a[i] = i; }").CanMoveBodyIntoLambda);
        Assert.False(Independent("static void K(int[] a, ref int k) { for (int i = 0; i < a.Length; i++) a[i] = k; }").CanMoveBodyIntoLambda);
        Assert.False(Independent("static float K(ReadOnlySpan<float> a) { float s = 0; for (int i = 0; i < a.Length; i++) s += a[i]; return s; }").CanMoveBodyIntoLambda);
        Assert.False(Independent("public struct S { int _k; public void K(int[] a) { for (int i = 0; i < a.Length; i++) a[i] = _k; } }").CanMoveBodyIntoLambda);
    }

    [Fact]
    public void StopsOnACancelledToken()
    {
        using var source = new CancellationTokenSource();
        source.Cancel();
        Assert.ThrowsAny<System.OperationCanceledException>(() => Analyze("static void K(int[] a) { for (int i = 0; i < a.Length; i++) a[i] = i; }", cancellationToken: source.Token));
    }

    [Fact]
    public void BrokenCodeIsNeverIndependent()
    {
        var model = Analyze("static void K(int[] a) { for (int i = 0; i < a.Length; i++) a[i] = Missing(a[i]) + b[i]; }", allowErrors: true);
        Assert.NotNull(model);
        Assert.False(model!.IsIndependent);
        Assert.Contains(model.Obstacles, o => o.Kind == LoopObstacleKind.Unsupported);
    }

    [Fact]
    public void SmallConstantInnerLoopsInEitherDirectionAreNotHeavy()
    {
        const string Crc = """
            static uint[] K()
            {
                var table = new uint[256];
                for (int i = 0; i < table.Length; i++)
                {
                    uint c = (uint)i;
                    for (int k = 8; k > 0; k--) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                    table[i] = c;
                }
                return table;
            }
            """;
        var model = Independent(Crc);
        Assert.False(model.Cost.HasInnerLoop);
        Assert.False(model.Cost.IsWorthParallelizing);
        Assert.True(Independent(Crc.Replace("k = 8; k > 0; k--", "k = 64; k > 0; k--")).Cost.HasInnerLoop);
    }

    [Fact]
    public void GetLengthInInnerLoopBoundsIsPure()
    {
        var model = Independent("""
            static double[,] K(double[,] a, double[,] b)
            {
                var c = new double[a.GetLength(0), b.GetLength(1)];
                for (int i = 0; i < a.GetLength(0); i++)
                    for (int j = 0; j < b.GetLength(1); j++)
                        for (int k = 0; k < a.GetLength(1); k++)
                            c[i, j] += a[i, k] * b[k, j];
                return c;
            }
            """);
        Assert.True(model.Cost.IsHeavy);
    }

    [Fact]
    public void AFreshArrayCopiedToAnotherVariableMayAlias()
        => Dependent("""
            static int[] K(int n)
            {
                var dst = new int[n];
                var same = dst;
                for (int i = 0; i < n - 1; i++) dst[i] = same[i + 1];
                return dst;
            }
            """, LoopObstacleKind.MayAlias);

    [Fact]
    public void AFreshArrayHandedToAMethodMayAlias()
        => Dependent("""
            static int[] K(int n, Func<int[], int[]> keep)
            {
                var dst = new int[n];
                var back = keep(dst);
                for (int i = 0; i < n - 1; i++) dst[i] = back[i + 1];
                return dst;
            }
            """, LoopObstacleKind.MayAlias);

    [Fact]
    public void AFreshArrayReturnedAfterTheLoopStaysFresh()
        => Independent("""
            static int[] K(int[] src)
            {
                var dst = new int[src.Length - 1];
                for (int i = 0; i < dst.Length; i++) dst[i] = src[i + 1];
                foreach (var x in dst) { }
                return dst;
            }
            """);

    [Fact]
    public void ALocalFunctionThatSeesTheAccumulator()
        => Dependent("""
            static int K(int[] a, int[] b)
            {
                int s = 0;
                int Peek() => s;
                for (int i = 0; i < a.Length; i++) { s += a[i]; b[i] = Peek(); }
                return s;
            }
            """, LoopObstacleKind.Unsupported);

    [Fact]
    public void AStaticLocalFunctionIsAnOrdinaryPureCall()
        => Independent("""
            static void K(int[] a, int[] b)
            {
                static int Twice(int x) => 2 * x;
                for (int i = 0; i < a.Length; i++) b[i] = Twice(a[i]);
            }
            """);

    [Fact]
    public void WritesIntoRowsOfAJaggedParameter()
        => Dependent("static void K(long[][] c) { for (int i = 0; i < c.Length; i++) for (int j = 0; j < c[i].Length; j++) c[i][j] = i * 31 + j; }", LoopObstacleKind.UnpartitionedWrite);

    // ----- Loop versioning: the alias checks that would make a loop independent -----

    [Fact]
    public void MatrixMultiplyIntoAParameter_NeedsOneCheck_CAgainstB()
    {
        var model = Dependent("static void K(double[,] a, double[,] b, double[,] c, int n) { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) for (int k = 0; k < n; k++) c[i, j] += a[i, k] * b[k, j]; }", LoopObstacleKind.MayAlias);
        var check = Assert.Single(model.AliasChecks);
        Assert.Equal("c", check.Written.Name);
        Assert.Equal("b", check.Other.Name); // a[i, k] is row i, which only iteration i reads and writes, even when a is c
        Assert.True(model.IsIndependentUnlessAliased);
    }

    [Fact]
    public void NBodyIntoAParameter_NeedsOneCheck()
    {
        var model = Dependent("static void K(double[] pos, double[] acc) { for (int i = 0; i < pos.Length; i++) { double s = 0; for (int j = 0; j < pos.Length; j++) s += pos[i] - pos[j]; acc[i] = s; } }", LoopObstacleKind.MayAlias);
        Assert.Equal("acc vs pos", Assert.Single(model.AliasChecks).ToString());
    }

    [Fact]
    public void AliasWithAnotherObstacle_NoChecks()
    {
        var model = Dependent("static int K(int[] dst, int[] src) { int last = 0; for (int i = 0; i < dst.Length; i++) { dst[i] = src[i + 1]; last = dst[i]; } return last; }", LoopObstacleKind.MayAlias);
        Assert.Empty(model.AliasChecks);
        Assert.False(model.IsIndependentUnlessAliased);
    }

    [Fact]
    public void JaggedArraysMayShareRows_NoChecks()
        => Assert.Empty(Dependent("static void K(int[][] dst, int[][] src, int n) { for (int i = 0; i < n; i++) dst[0][i] = src[0][i + 1]; }", LoopObstacleKind.UnpartitionedWrite).AliasChecks);

    // ----- A 1-D array next to a jagged array whose rows have its type: the array may be one of the rows -----

    [Fact]
    public void ReadingARowOfAJaggedParameter_TheWrittenArrayMayBeThatRow()
    {
        // rows[0] may be b: then iteration i reads b[i + 1], which iteration i + 1 writes.
        var model = Dependent("static void K(double[] b, double[][] rows, int n) { for (int i = 0; i < n; i++) b[i] = rows[0][i + 1]; }", LoopObstacleKind.MayAlias);
        var check = Assert.Single(model.AliasChecks);
        Assert.True(check.IsRowOf);
        Assert.Equal("b not a row of rows", check.ToString());
    }

    [Fact]
    public void DenseLayer_NeedsARowCheckAndAnArrayCheck()
    {
        var model = Dependent("static void K(double[][] w, double[] x, double[] y) { for (int i = 0; i < y.Length; i++) { double s = 0; for (int j = 0; j < x.Length; j++) s += w[i][j] * x[j]; y[i] = s; } }", LoopObstacleKind.MayAlias);
        Assert.Equal(new[] { "y not a row of w", "y vs x" }, model.AliasChecks.Select(c => c.ToString()).OrderBy(c => c, System.StringComparer.Ordinal));
        Assert.True(model.IsIndependentUnlessAliased);
    }

    [Fact]
    public void ReadingThroughARowLocal_TheWrittenArrayMayBeThatRow()
        => Dependent("static void K(double[] b, double[][] rows, int n) { for (int i = 0; i < n; i++) { var row = rows[i]; b[i] = row[0] + row[1]; } }", LoopObstacleKind.MayAlias);

    [Fact]
    public void RowsOfRows_NoCheck()
        => Assert.Empty(Dependent("static void K(double[] b, double[][][] t, int n) { for (int i = 0; i < n; i++) b[i] = t[0][1][i + 1]; }", LoopObstacleKind.MayAlias).AliasChecks);

    [Fact]
    public void AFreshJaggedArrayWhoseRowsStayInside_CannotHoldAParameter()
        => Independent("static void K(double[] y, int n) { var t = new double[][] { new double[n], new double[n] }; for (int i = 0; i < y.Length; i++) { double s = 0; for (int j = 0; j < n; j++) s += t[i][j]; y[i] = s; } }");

    [Fact]
    public void AFreshJaggedArrayWhoseRowIsHandedOut_MayHoldTheWrittenArray()
        => Dependent("static double[] _keep; static void K(int n) { var t = new double[][] { new double[n], new double[n] }; _keep = t[0]; for (int i = 0; i < n - 1; i++) _keep[i] = t[0][i + 1]; }", LoopObstacleKind.MayAlias);

    [Fact]
    public void ARowLocalOfAFreshJaggedArray_IsThatRow()
        => Dependent("static void K(int n) { var t = new double[][] { new double[n], new double[n] }; var b = t[0]; for (int i = 0; i < n - 1; i++) b[i] = t[0][i + 1]; }", LoopObstacleKind.MayAlias);

    [Fact]
    public void AJaggedArrayInitializedWithExistingRows_IsNotFresh()
        => Dependent("static void K(long[] b, int n, int m) { var t = new long[][] { b, b }; for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) t[i][j] = i + j; }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void AFieldOfAnotherObject_NoChecks()
        => Assert.Empty(Dependent("int[] _in = new int[9], _out = new int[9]; void K(C other) { for (int i = 0; i < 8; i++) other._out[i] = _in[i + 1]; }", LoopObstacleKind.MayAlias).AliasChecks);

    [Fact]
    public void AnArrayVariableWrittenInTheBody_NoChecks()
        => Assert.Empty(Dependent("static void K(int[] dst, int[] src, int[] other) { for (int i = 0; i < dst.Length; i++) { dst[i] = src[i + 1]; src = other; } }", LoopObstacleKind.MayAlias).AliasChecks);

    [Fact]
    public void SameIndexInPlaceUpdate_IsIndependentWithoutChecks()
    {
        var model = Independent("static void K(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = Math.Exp(src[i]); }");
        Assert.Empty(model.AliasChecks);
    }

    // ----- Recall: columns of flattened matrices, other dimensions of rectangular arrays -----

    [Fact]
    public void ColumnsOfAFlattenedMatrix()
    {
        var model = Independent("static void K(double[] a, double[] r, int order) { for (int i = 0; i < order; i++) for (int j = 0; j < order; j++) r[j * order + i] = Math.Exp(a[j * order + i]); }");
        Assert.All(model.Accesses, a => Assert.Equal("i%order", a.Partition));
    }

    [Fact]
    public void ColumnThroughABodyLocal()
        => Independent("static void K(double[] r, int order, int rows) { for (int i = 0; i < order; i++) for (int j = 0; j < rows; j++) { int at = i + (j * order); r[at] = r[at] * 2; } }");

    [Fact]
    public void ColumnWiderThanTheStride_IsNotPartitioned()
        => Dependent("static void K(double[] r, int order, int n) { for (int i = 0; i < n; i++) for (int j = 0; j < order; j++) r[j * order + i] = 1; }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void ColumnFromANegativeStart_IsNotPartitioned()
        => Dependent("static void K(double[] r, int order) { for (int i = -1; i < order; i++) for (int j = 1; j < order; j++) r[j * order + i] = 1; }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void ColumnReadAtAnotherColumn_IsACrossIterationRead()
        => Dependent("static void K(double[] r, int order) { for (int i = 0; i < order; i++) for (int j = 0; j < order; j++) r[j * order + i] = r[i * order + j]; }", LoopObstacleKind.CrossIterationRead);

    [Fact]
    public void GivensRotationOfTwoRowsOfARectangularArray()
    {
        var model = Independent("""
            static void K(double[,] a, int p, int q, double c, double s)
            {
                for (int k = 0; k < a.GetLength(1); k++)
                {
                    double x = a[p, k], y = a[q, k];
                    a[p, k] = c * x - s * y;
                    a[q, k] = s * x + c * y;
                }
            }
            """);
        Assert.All(model.Accesses, a => Assert.Equal("d1:i+0", a.Partition));
        Assert.False(model.Cost.IsWorthParallelizing); // a dozen operations: too little work for a worker (NOGIL301 does not report it)
    }

    [Fact]
    public void GivensRotationOfTwoRowsOfAFlattenedMatrix()
        => Independent("""
            static void K(double[] a, int n, int p, int q, double c, double s)
            {
                for (int k = 0; k < n; k++)
                {
                    double x = a[p * n + k], y = a[q * n + k];
                    a[p * n + k] = c * x - s * y;
                    a[q * n + k] = s * x + c * y;
                }
            }
            """);

    [Fact]
    public void GivensRotationOfTwoRowsOfAJaggedArray_IsNotPartitioned()
        => Dependent("static void K(double[][] a, int p, int q, double c, double s) { for (int k = 0; k < a[p].Length; k++) { double x = a[p][k], y = a[q][k]; a[p][k] = c * x - s * y; a[q][k] = s * x + c * y; } }", LoopObstacleKind.UnpartitionedWrite);

    [Fact]
    public void RectangularColumnReadAtAnotherColumn_IsACrossIterationRead()
        => Dependent("static void K(double[,] a, int p, int q) { for (int k = 1; k < a.GetLength(1); k++) a[p, k] = a[q, k - 1]; }", LoopObstacleKind.CrossIterationRead);

    [Fact]
    public void TransposeIntoAFieldOfAnotherObject_IsACrossIterationRead()
        => Dependent("""
            double[] _data = new double[16]; int _n = 4;
            C K()
            {
                var result = new C();
                for (int i = 0; i < _n; i++) for (int j = 0; j < _n; j++) result._data[j * _n + i] = _data[i * _n + j];
                return result;
            }
            """, LoopObstacleKind.CrossIterationRead);

    [Fact]
    public void NaNAwareMinimum_IsNotAReduction()
        => Dependent("static double K(double[] d) { double min = double.PositiveInfinity; for (int i = 0; i < d.Length; i++) if (d[i] < min || double.IsNaN(d[i])) min = d[i]; return min; }", LoopObstacleKind.OuterVariableWrite);

    [Fact]
    public void CalleeThatThrows_IsAThrowingCall_NamedWithTheThrow()
    {
        var model = Dependent(
            "static int Checked(int v) { if (v < 0) throw new ArgumentOutOfRangeException(nameof(v)); return v * 2; }\n"
            + "static void K(int[] a, int[] b) { for (int i = 0; i < a.Length; i++) b[i] = Checked(a[i]); }",
            LoopObstacleKind.ThrowingCall);
        Assert.Contains("Checked", model.WhyNot);
        Assert.Contains("throw new ArgumentOutOfRangeException", model.WhyNot);
    }

    [Fact]
    public void CalleeWithoutThrow_IsIndependent()
        => Independent("static int Twice(int v) => v < 0 ? 0 : v * 2;\nstatic void K(int[] a, int[] b) { for (int i = 0; i < a.Length; i++) b[i] = Twice(a[i]); }");

    [Fact]
    public void BoundOfASmallLocalArray_IsSmallByConstruction()
    {
        var model = Independent("static double[] K(double x) { var w = new double[3]; for (int i = 0; i < w.Length; i++) w[i] = Math.Exp(x * i); return w; }");
        Assert.Null(model.TripCount);
        Assert.Equal(3, model.MaxTripCount);
        Assert.True(model.IsSmallByConstruction);
        Assert.True(model.IsTriviallySmall);
    }

    [Fact]
    public void BoundOfAParameter_IsNotSmall()
    {
        var model = Independent("static void K(double[] w, double x) { for (int i = 0; i < w.Length; i++) w[i] = Math.Exp(x * i); }");
        Assert.Null(model.MaxTripCount);
        Assert.False(model.IsTriviallySmall);
    }

    [Fact]
    public void LoopInALambdaThatAProjectHelperHandsToParallelFor_HasItsStarter()
    {
        var source = """
            static void For(int from, int to, Action<int> body) => Parallel.For(from, to, i => body(i));
            static void Outer(int[] a) => For(0, 4, r => K(a, r));
            static void K(int[] a, int r) { For(0, a.Length, j => { for (int i = 0; i < a.Length; i++) a[i] = a[i] * r; }); }
            """;
        var model = Analyze(source);
        Assert.NotNull(model);
        Assert.True(model!.IsInsideConcurrentBody);
        var starter = Assert.IsAssignableFrom<IInvocationOperation>(model.ConcurrentStarter);
        Assert.Equal("For", starter.TargetMethod.Name);
        Assert.Equal("C", starter.TargetMethod.ContainingType.Name);
    }

    [Fact]
    public void BoundWhoseProductWouldWrapAround_IsNotSmall()
    {
        // 2^40 * 2^40 wraps to 0 in 64 bits: the bound must come out unbounded, not "at most 1".
        var model = Analyze("static void K(double[] w) { long a = 1L << 40; long b = 1L << 40; for (long i = 0; i < a * b + 1; i++) w[0] = i; }");
        Assert.NotNull(model);
        Assert.False(model!.IsSmallByConstruction);
        Assert.False(model.IsTriviallySmall);
    }
}
