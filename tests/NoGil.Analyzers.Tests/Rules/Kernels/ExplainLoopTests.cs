using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL300: off by default; once on, one diagnostic per loop with enough work that no kernel rule reports, with the
/// reason's stable code and the operation at fault. Each reason code of <see cref="RejectionReason"/> has a test here.
/// </summary>
public sealed class ExplainLoopTests
{
    private const string On = """
        root = true

        [*.cs]
        dotnet_diagnostic.NOGIL300.severity = suggestion
        """;

    private static Task VerifyOnAsync(string source, params DiagnosticResult[] expected) => VerifyAsync(source, On, expected);

    private static Task VerifyAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// The test as the compiler runs it. The testing library turns on every rule it tests, also one that is off by
    /// default (a project-wide NOGIL300 = Info); this test removes that setting again, so that only the test's own
    /// configuration turns the rule on. Otherwise as <see cref="AnalyzerVerifier{TAnalyzer}.Test"/>: every framework of
    /// the matrix, then the fix contract.
    /// </summary>
    private sealed class Test : CSharpAnalyzerTest<ExplainLoopAnalyzer, DefaultVerifier>
    {
        private Project? _analyzed;

        /// <summary>A project-wide severity of NOGIL300 (compilation options), or null for none.</summary>
        public ReportDiagnostic? ProjectSeverity { get; init; }

        public Test()
        {
            ReferenceAssemblies = FrameworkMatrix.Default;
        }

        protected override Project ApplyCompilationOptions(Project project)
        {
            project = base.ApplyCompilationOptions(project);
            var options = project.CompilationOptions!;
            var specific = ProjectSeverity is { } severity ? options.SpecificDiagnosticOptions.SetItem("NOGIL300", severity) : options.SpecificDiagnosticOptions.Remove("NOGIL300");
            project = project.WithCompilationOptions(options.WithSpecificDiagnosticOptions(specific));
            _analyzed ??= project;
            return project;
        }

        protected override Task RunImplAsync(CancellationToken cancellationToken)
            => FrameworkMatrix.RunAsync(ReferenceAssemblies, framework => (ReferenceAssemblies, _analyzed) = (framework, null), base.RunImplAsync, () => _analyzed is { } project
                ? FixContract.VerifyAsync(project, GetDiagnosticAnalyzers().ToImmutableArray(), GetAnalyzerOptions(project), cancellationToken)
                : Task.CompletedTask, cancellationToken);
    }

    /// <summary>The diagnostic at markup 0 (the loop header) with the operation at fault at markup 1.</summary>
    private static DiagnosticResult Why(string code, string message, string also = "", bool atFault = true)
    {
        var result = new DiagnosticResult("NOGIL300", DiagnosticSeverity.Info).WithLocation(0);
        return (atFault ? result.WithLocation(1) : result).WithArguments(code, message, also);
    }

    /// <summary>The source without its markup.</summary>
    private static string Plain(string source) => Regex.Replace(source, @"\{\|#\d+:|\|\}", string.Empty);

    // ---------------------------------------------------------------------------------------------------------
    // One test per reason code
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task LoopCarried_ReadOfThePreviousElement()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Recurrence(double[] a, double[] b)
                {
                    {|#0:for (int i = 1; i < a.Length; i++)|}
                    {
                        a[i] = {|#1:a[i - 1]|} + Math.Exp(b[i]);
                    }
                }
            }
            """, Why("loop-carried", "'a[i - 1]' is read after 'a[i]' is written by an earlier iteration"));

    [Fact]
    public Task LoopCarried_ReadOfTheNextElement()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Shift(double[] a)
                {
                    {|#0:for (int i = 0; i < a.Length - 1; i++)|}
                    {
                        a[i] = Math.Log({|#1:a[i + 1]|});
                    }
                }
            }
            """, Why("loop-carried", "'a[i + 1]' is read before 'a[i]' overwrites it in a later iteration"));

    [Fact]
    public Task MayAlias_AnArrayReachedThroughAnotherObject()
        => VerifyOnAsync("""
            using System;
            class Grid { public double[] Cells = new double[0]; }
            class C
            {
                static void Smooth(Grid target, double[] src)
                {
                    {|#0:for (int i = 0; i < src.Length - 1; i++)|}
                    {
                        target.Cells[i] = Math.Exp({|#1:src[i + 1]|});
                    }
                }
            }
            """, Why("may-alias", "'src' and 'Cells' may be the same array, accessed at different elements"));

    [Fact]
    public Task SpanOverlap_WrittenSpanNextToAnotherSpan()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Exps(Span<double> dst, ReadOnlySpan<double> src)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        double x = {|#1:src[i]|};
                        dst[i] = Math.Exp(x) + x;
                    }
                }
            }
            """, Why("span-overlap", "'src[i]' may overlap 'dst', which the loop writes"));

    [Fact]
    public Task ImpureCall_ConsoleOutput()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Print(double[] a)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        {|#1:Console.WriteLine(Math.Exp(a[i]))|};
                    }
                }
            }
            """, Why("impure-call", "'Console.WriteLine' is not known to be free of side effects"));

    [Fact]
    public Task EarlyExit_Break()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Until(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = Math.Exp(a[i]);
                        if (b[i] > 100) {|#1:break;|}
                    }
                }
            }
            """, Why("early-exit", "'break' leaves the loop early"));

    [Fact]
    public Task Exceptions_ThrowInTheBody()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Checked(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        if (a[i] < 0) {|#1:throw new ArgumentException("negative");|}
                        b[i] = Math.Log(a[i]);
                    }
                }
            }
            """, Why("exceptions", "the body throws", " (also: impure-call)"));

    [Fact]
    public Task ThrowingCallee_AValidatorInTheProject()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double LogOf(double x)
                {
                    if (x < 0) throw new ArgumentOutOfRangeException(nameof(x));
                    return Math.Log(x);
                }

                static void Logs(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = {|#1:LogOf(a[i])|} * 2;
                    }
                }
            }
            """, Why("throwing-callee", "'C.LogOf' throws ('throw new ArgumentOutOfRangeException(nameof(x));')"));

    [Fact]
    public Task SideLoop_BesideADeeperNest()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Step(double[,] m, double[] v, int n)
                {
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        v[i] = Math.Exp(v[i]) * v[i];
                    }

                    {|#1:for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            m[i, j] = Math.Sqrt(m[i, j] + v[j]);
                        }
                    }|}
                }
            }
            """, Why("side-loop", "the deeper loop nest at line 11 does the method's real work"));

    [Fact]
    public Task SideLoop_BesideACallThatRunsADeeperNest()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double Density(double[,] x, double[] v)
                {
                    var det = {|#1:Determinant(x)|};
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = Math.Exp(v[i]) * det;
                    }

                    return det;
                }

                static double Determinant(double[,] a)
                {
                    int n = a.GetLength(0);
                    var lu = (double[,])a.Clone();
                    double det = 1;
                    for (int k = 0; k < n; k++)
                    {
                        det *= lu[k, k];
                        for (int i = k + 1; i < n; i++)
                        {
                            var f = lu[i, k] / lu[k, k];
                            for (int j = k; j < n; j++) lu[i, j] -= f * lu[k, j];
                        }
                    }

                    return det;
                }
            }
            """,
            Why("side-loop", "the call at line 6 runs a deeper loop nest, which does the method's real work"),
            new DiagnosticResult("NOGIL300", DiagnosticSeverity.Info).WithSpan(20, 9, 20, 36).WithSpan(26, 45, 26, 53)
                .WithArguments("unpartitioned-write", "'lu[i, j]' is not an element only this iteration writes", string.Empty),
            new DiagnosticResult("NOGIL300", DiagnosticSeverity.Info).WithSpan(23, 13, 23, 44).WithSpan(26, 61, 26, 69)
                .WithArguments("loop-carried", "'lu[k, j]' may read an element that another iteration writes as 'lu[i, j]'", string.Empty));

    /// <summary>Math.NET MatrixNorm (OneNorm): each element read once with an abs and an add — a flat loop over the elements.</summary>
    [Fact]
    public Task StreamingNest_EachElementReadOnceWithAFewOperations()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double OneNorm(int rows, int columns, double[] matrix)
                {
                    var norm1 = 0d;
                    {|#0:for (var j = 0; j < columns; j++)|}
                    {
                        var s = 0.0;
                        for (var i = 0; i < rows; i++)
                        {
                            s += Math.Abs(matrix[(j * rows) + i]);
                        }

                        norm1 = Math.Max(norm1, s);
                    }

                    return norm1;
                }
            }
            """, Why("streaming-nest", "the nest reads each element once with ≈ 3 operations: a flat loop over its elements, bound by memory — a worker pays from 24 operations per element", atFault: false));

    [Fact]
    public Task SideLoopOfCallers_APrivateMethodCalledBesideADeeperNest()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Step(double[,] m, double[] v, int n)
                {
                    {|#1:for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            m[i, j] = Math.Sqrt(m[i, j] + v[j]);
                        }
                    }|}

                    Exps(v, n);
                }

                private static void Exps(double[] v, int n)
                {
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        v[i] = Math.Exp(v[i]) * v[i];
                    }
                }
            }
            """, Why("side-loop-of-callers", "the method is private and every call of it sits beside a deeper loop nest of its caller: in 'Step', the deeper loop nest at line 6 does the caller's real work"));

    [Fact]
    public Task MemoryBound_ACopyNestWithIndexArithmetic()
        => VerifyOnAsync("""
            class C
            {
                static T[] OfRowMajorArray<T>(int rows, int columns, T[] data)
                {
                    T[] ret = new T[rows * columns];
                    {|#0:for (int i = 0; i < rows; i++)|}
                    {
                        int offset = i * columns;
                        for (int j = 0; j < columns; j++)
                        {
                            ret[(j * rows) + i] = data[offset + j];
                        }
                    }

                    return ret;
                }
            }
            """, Why("memory-bound", "moves data rather than computing: an inner loop only copies, converts or stores elements, or a method it calls loops with fewer than 8 operations per element — bound by memory, not by a core", atFault: false));

    [Fact]
    public Task LightWork_ConversionThroughOneLineForwarders()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static byte[] ToByte(float[] source)
                {
                    var output = new byte[source.Length];
                    {|#0:for (int i = 0; i < source.Length; i++)|} output[i] = ToByte(source[i]);
                    return output;
                }

                static int ToInt32(double value)
                {
                    if (double.IsNaN(value) || double.IsInfinity(value)) return int.MinValue;
                    double t = Math.Truncate(value);
                    if (t < int.MinValue || t > int.MaxValue) return int.MinValue;
                    return (int)t;
                }

                static byte ToByte(double value) => unchecked((byte)ToInt32(value));

                static byte ToByte(float value) => ToByte((double)value);
            }
            """, Why("light-work", "too little work per iteration (≈ 22 operations; 8 more of index arithmetic, element moves and one-line forwarding calls are not work)", atFault: false));

    [Fact]
    public Task SmallTotalWork_AGuardOnTheBound()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double LogFactorial(long k)
                {
                    if (k < 20)
                    {
                        double result = 0.0;
                        {|#0:for (long i = 2; i <= {|#1:k|}; i++)|}
                            result += Math.Log(i);
                        return result;
                    }

                    return k * Math.Log(k) - k;
                }
            }
            """, Why("small-total-work", "runs at most 18 times with a light body (≈ 810 operations in all): less than starting Parallel.For costs"));

    [Fact]
    public Task BoundVaries_BoundWrittenInTheBody()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Trim(double[] a, int n)
                {
                    {|#0:for (int i = 0; i < {|#1:n|}; i++)|}
                    {
                        a[i] = Math.Exp(a[i]);
                        if (a[i] > 5) n = i;
                    }
                }
            }
            """, Why("bound-varies", "the bound 'n' may change inside the loop", " (also: outer-write)"));

    [Fact]
    public Task InductionWritten_SkipAhead()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Skip(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = Math.Exp(a[i]);
                        if (a[i] < 0) {|#1:i++|};
                    }
                }
            }
            """, Why("induction-written", "the loop variable 'i' is written in the body"));

    [Fact]
    public Task FieldWrite_StaticField()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double _last;

                static void Remember(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = Math.Exp(a[i]);
                        {|#1:_last = b[i]|};
                    }
                }
            }
            """, Why("field-write", "the static field '_last' is written in the body"));

    [Fact]
    public Task VolatileRead_StopFlag()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static volatile bool _stop;

                static void Compute(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = {|#1:_stop|} ? 0 : Math.Exp(a[i]);
                    }
                }
            }
            """, Why("volatile-read", "'_stop' is volatile"));

    [Fact]
    public Task OuterWrite_LastValue()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double Last(double[] a, double[] b)
                {
                    double last = 0;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        b[i] = Math.Exp(a[i]);
                        {|#1:last = b[i]|};
                    }

                    return last;
                }
            }
            """, Why("outer-write", "'last' is declared outside the loop and written in the body"));

    [Fact]
    public Task UnpartitionedWrite_Histogram()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Histogram(double[] a, int[] bins)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        int bin = (int)Math.Log(a[i]);
                        {|#1:bins[bin]|}++;
                    }
                }
            }
            """, Why("unpartitioned-write", "'bins[bin]' is not an element only this iteration writes"));

    [Fact]
    public Task Unsupported_LambdaInTheBody()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Apply(double[] a, double[] b)
                {
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        Func<double, double> f = {|#1:x => Math.Exp(x)|};
                        b[i] = f(a[i]) + Math.Exp(a[i]);
                    }
                }
            }
            """, Why("unsupported", "the body creates a lambda or local function", " (also: impure-call)"));

    [Fact]
    public Task AlreadyParallel_InsideParallelFor()
        => VerifyOnAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                static void Rows(double[][] image, int width)
                {
                    {|#1:Parallel.For(0, image.Length, y =>
                    {
                        var row = image[y];
                        {|#0:for (int x = 0; x < width; x++)|}
                        {
                            row[x] = Math.Exp(row[x]) + x;
                        }
                    })|};
                }
            }
            """, Why("already-parallel", "already runs inside Parallel.For at line 7"));

    [Fact]
    public Task Constructor_TableBuiltOnce()
        => VerifyOnAsync("""
            using System;
            class Table
            {
                private readonly double[] _values = new double[1024];

                public Table()
                {
                    {|#0:for (int i = 0; i < _values.Length; i++)|}
                    {
                        _values[i] = Math.Exp(i / 1024.0) + i;
                    }
                }
            }
            """, Why("constructor", "runs in a constructor, which builds its state once per object or type", atFault: false));

    /// <summary>Math.NET CubicSpline.InterpolateHermiteSorted: the coefficients of the spline the factory returns.</summary>
    [Fact]
    public Task Factory_SplineCoefficients()
        => VerifyOnAsync("""
            using System;
            public sealed class Spline
            {
                readonly double[] _c2, _c3;
                Spline(double[] c2, double[] c3) { _c2 = c2; _c3 = c3; }

                public static Spline HermiteSorted(double[] x, double[] y, double[] d)
                {
                    var c2 = new double[x.Length - 1];
                    var c3 = new double[x.Length - 1];
                    {|#0:for (int i = 0; i < c2.Length; i++)|}
                    {
                        double w = x[i + 1] - x[i];
                        c2[i] = (3 * (y[i + 1] - y[i]) / w - 2 * d[i] - d[i + 1]) / w;
                        c3[i] = (2 * (y[i] - y[i + 1]) / w + d[i] + d[i + 1]) / (w * w);
                    }

                    return new Spline(c2, c3);
                }
            }
            """, Why("factory", "fills arrays that 'HermiteSorted' created, and 'HermiteSorted' is a static factory returning a new 'Spline': the new instance's state, built once as a constructor builds it", atFault: false));

    [Fact]
    public Task TableLoop_WindowCoefficients()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double[] Hann(int width)
                {
                    var w = new double[width];
                    {|#0:for (int i = 0; i < w.Length; i++)|}
                    {
                        {|#1:w[i]|} = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (width - 1));
                    }

                    return w;
                }
            }
            """, Why("table-loop", "fills 'w' from the index and scalars only: a table built once and reused, not the hot path"));

    [Fact]
    public Task SpanCapture_SpanKernel()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Exps(ReadOnlySpan<double> src, Span<float> dst)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        {|#1:dst|}[i] = (float)Math.Exp(src[i]);
                    }
                }
            }
            """, Why("span-capture", "'dst' is a span, which a lambda cannot capture: no parallel form of this loop can be written"));

    /// <summary>NumSharp Shape.GetSubshape's shape: a params array replaced by its own copy keeps the argument list's length.</summary>
    [Fact]
    public Task SmallTripCount_ParamsArrayReplacedByItsClone()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double[] Scaled(double[] moments, params int[] axes)
                {
                    var n = axes.Length;
                    axes = (int[])axes.Clone();
                    var result = new double[n];
                    {|#0:for (int i = 0; i < {|#1:n|}; i++)|}
                    {
                        result[i] = Math.Exp(moments[axes[i]]) * Math.Log(moments[i] + 1);
                    }

                    return result;
                }
            }
            """, Why("small-trip-count", "runs at most 16 times by construction"));

    [Fact]
    public Task SmallTripCount_ConstantBound()
        => VerifyOnAsync("""
            class C
            {
                static void Moments(double[] data, double[] moments)
                {
                    {|#0:for (int p = 0; p < {|#1:4|}; p++)|}
                    {
                        double sum = 0;
                        for (int k = 0; k < data.Length; k++)
                        {
                            sum += data[k] * p;
                        }

                        moments[p] = sum;
                    }
                }
            }
            """, Why("small-trip-count", "runs only 4 times (constant bounds)"));

    [Fact]
    public Task VectorKernel_ElementwiseThatNogil302DeclinesByOption()
    {
        // NOGIL302 would write TensorPrimitives.Exp, but the project forbids approximate math: neither rule reports it.
        var test = new Test
        {
            TestCode = """
                using System;
                class C
                {
                    static void Exps(double[] src, double[] dst)
                    {
                        {|#0:for (int i = 0; i < src.Length; i++)|}
                        {
                            {|#1:dst[i] = Math.Exp(src[i]);|}
                        }
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", On + "\nNOGIL302.allow_approximate_math = false\n"));
        test.ExpectedDiagnostics.Add(Why("vector-kernel", "a single element-wise statement is NOGIL302's kind of loop: one core's vector lanes beat several cores' scalar loops"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task ReductionOrder_FloatingPointCompareMaximum()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static double Peak(double[] a)
                {
                    double peak = double.MinValue;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        double v = Math.Exp(a[i]);
                        {|#1:if (v > peak) peak = v;|}
                    }

                    return peak;
                }
            }
            """, Why("reduction-order", "'peak' keeps the first of equal values and never takes NaN, so merged per-worker results would depend on which worker saw +0.0 or -0.0 first"));

    [Fact]
    public Task ReductionType_DecimalSum()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static decimal Total(double[] a)
                {
                    decimal total = 0;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        var v = (decimal)Math.Exp(a[i]);
                        {|#1:total += v;|}
                    }

                    return total;
                }
            }
            """, Why("reduction-type", "the decimal sum into 'total' has no exact merge of per-worker results"));

    [Fact]
    public Task ReassociationOff_FloatSumWhenTheProjectForbidsIt()
        => VerifyAsync(FloatSum, On + "\nNOGIL301.allow_float_reassociation = false\n",
            Why("reassociation-off", "the double sum into 'sum' would change the order of its operations, which NOGIL301.allow_float_reassociation = false forbids"));

    private const string FloatSum = """
        using System;
        class C
        {
            static double SumOfExps(double[] a)
            {
                double sum = 0;
                {|#0:for (int i = 0; i < a.Length; i++)|}
                {
                    var v = Math.Exp(a[i]);
                    {|#1:sum += v;|}
                }

                return sum;
            }
        }
        """;

    /// <summary>The example of docs/rules/NOGIL300.md: explained before, quiet after (NOGIL301 reports the fixed loop).</summary>
    [Fact]
    public Task DocExample_MayAliasThenAFreshResult()
        => VerifyOnAsync("""
            using System;
            class Grid { public double[] Cells = new double[0]; }
            class C
            {
                public static void Smooth(Grid target, double[] src)
                {
                    {|#0:for (int i = 0; i < src.Length - 1; i++)|}
                    {
                        double x = {|#1:src[i + 1]|};
                        target.Cells[i] = Math.Exp(x) * x;
                    }
                }

                public static double[] Smooth(double[] src)
                {
                    var dst = new double[src.Length - 1];
                    for (int i = 0; i < dst.Length; i++)
                    {
                        double x = src[i + 1];
                        dst[i] = Math.Exp(x) * x;
                    }

                    return dst;
                }
            }
            """, Why("may-alias", "'src' and 'Cells' may be the same array, accessed at different elements"));

    // ---------------------------------------------------------------------------------------------------------
    // Must not report
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task NotReported_WhenOff_ByDefault()
        => VerifyAsync(Recurrence, editorConfig: null);

    [Fact]
    public Task NotReported_WhenOnlyTheCategoryIsTurnedOn()
        => VerifyAsync(Recurrence, """
            root = true

            [*.cs]
            dotnet_analyzer_diagnostic.category-NoGil.Kernels.severity = warning
            dotnet_analyzer_diagnostic.severity = warning
            """);

    [Fact]
    public Task NotReported_InAFileWhereItIsTurnedOffAgain()
        => VerifyAsync(Recurrence, On + "\n\n[Test0.cs]\ndotnet_diagnostic.NOGIL300.severity = none\n");

    [Fact]
    public Task Reported_OnlyInTheFileThatTurnsItOn()
    {
        var test = new Test();
        test.TestState.Sources.Add(("/0/Test0.cs", Recurrence));
        test.TestState.Sources.Add(("/0/Other.cs", Plain(Recurrence).Replace("class C", "class D")));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[Test0.cs]\ndotnet_diagnostic.NOGIL300.severity = warning\n"));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL300", DiagnosticSeverity.Warning).WithLocation(0).WithLocation(1)
            .WithArguments("loop-carried", "'a[i - 1]' is read after 'a[i]' is written by an earlier iteration", ""));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Reported_WhenAGlobalConfigTurnsItOn()
    {
        var test = new Test { TestCode = Recurrence };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\ndotnet_diagnostic.NOGIL300.severity = suggestion\n"));
        test.ExpectedDiagnostics.Add(Why("loop-carried", "'a[i - 1]' is read after 'a[i]' is written by an earlier iteration"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Reported_WhenTheProjectTurnsItOn()
    {
        // As <WarningsAsErrors>, a rule set or /warnaserror+:NOGIL300 do: a project-wide severity.
        var test = new Test { TestCode = Recurrence, ProjectSeverity = ReportDiagnostic.Error };
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL300", DiagnosticSeverity.Error).WithLocation(0).WithLocation(1)
            .WithArguments("loop-carried", "'a[i - 1]' is read after 'a[i]' is written by an earlier iteration", ""));
        return test.RunAsync(CancellationToken.None);
    }

    private const string Recurrence = """
        using System;
        class C
        {
            static void Recurrence(double[] a, double[] b)
            {
                {|#0:for (int i = 1; i < a.Length; i++)|}
                {
                    a[i] = {|#1:a[i - 1]|} + Math.Exp(b[i]);
                }
            }
        }
        """;

    [Fact]
    public Task NotReported_ForALoopNogil301Reports()
        => VerifyOnAsync("""
            class C
            {
                static long Total(int n)
                {
                    long total = 0;
                    for (int i = 1; i <= n; i++)
                    {
                        total += Collatz(i);
                    }

                    return total;
                }

                static int Collatz(long n)
                {
                    int steps = 0;
                    while (n > 1)
                    {
                        n = (n & 1) == 0 ? n / 2 : (3 * n) + 1;
                        steps++;
                    }

                    return steps;
                }
            }
            """);

    [Fact]
    public Task NotReported_ForTheFloatSumNogil301Reports()
        => VerifyOnAsync(Plain(FloatSum));

    [Fact]
    public Task NotReported_ForTheInnerLoopsOfANestNogil301Reports()
        => VerifyOnAsync("""
            class C
            {
                static void Multiply(double[,] a, double[,] b, double[,] c, int n)
                {
                    var result = new double[n, n];
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            double sum = 0;
                            for (int k = 0; k < n; k++)
                            {
                                sum += a[i, k] * b[k, j];
                            }

                            result[i, j] = sum;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task NotReported_ForALoopNogil302Reports()
    {
        var test = new Test
        {
            TestCode = """
                using System;
                class C
                {
                    static void Exps(double[] src, double[] dst)
                    {
                        for (int i = 0; i < src.Length; i++)
                        {
                            dst[i] = Math.Exp(src[i]);
                        }
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", On));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NotReported_ForLightLoops_EvenWithAnObstacle()
        => VerifyOnAsync("""
            class C
            {
                static void PrefixSum(int[] a)
                {
                    for (int i = 1; i < a.Length; i++)
                    {
                        a[i] = a[i - 1] + a[i];
                    }
                }

                static double Dot(double[] a, double[] b)
                {
                    double dot = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        dot += a[i] * b[i];
                    }

                    return dot;
                }

                static void Copy(int[] dst, int[] src)
                {
                    for (int i = 0; i < dst.Length - 1; i++)
                    {
                        dst[i] = src[i + 1];
                    }
                }
            }
            """);

    [Fact]
    public Task NotReported_ForLoopsTheModelHasNoShapeFor()
        => VerifyOnAsync("""
            using System;
            class C
            {
                static void Backwards(double[] a)
                {
                    for (int i = a.Length - 1; i > 0; i--)
                    {
                        a[i] = a[i - 1] + Math.Exp(a[i]);
                    }

                    int k = 0;
                    while (k < a.Length)
                    {
                        a[k] = Math.Exp(a[k]);
                        k++;
                    }
                }
            }
            """);

    // ---------------------------------------------------------------------------------------------------------
    // The reason table
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public void EveryObstacleKindTheModelReportsHasAReasonCode()
    {
        foreach (var kind in System.Enum.GetValues(typeof(LoopObstacleKind)).Cast<LoopObstacleKind>().Where(k => k != LoopObstacleKind.NotCanonical))
        {
            Assert.Contains(RejectionReason.All, r => r.Explains == kind);
        }
    }

    [Fact]
    public void ReasonCodesAreDistinctKebabCaseAndInPriorityOrder()
    {
        Assert.Equal(RejectionReason.All.Count, RejectionReason.All.Select(r => r.Code).Distinct().Count());
        Assert.All(RejectionReason.All, r => Assert.Matches("^[a-z]+(-[a-z]+)*$", r.Code));
        Assert.Equal(Enumerable.Range(0, RejectionReason.All.Count), RejectionReason.All.Select(r => r.Priority));
    }

    [Fact]
    public void EveryReasonCodeIsDocumentedAndTested()
    {
        var page = System.IO.File.ReadAllText(RepositoryFiles.GetPath("docs/rules/NOGIL300.md"));
        var tests = System.IO.File.ReadAllText(RepositoryFiles.GetPath("tests/NoGil.Analyzers.Tests/Rules/Kernels/ExplainLoopTests.cs"));
        foreach (var reason in RejectionReason.All)
        {
            Assert.Matches(@"\| `" + Regex.Escape(reason.Code) + "` \\|", page);
            Assert.Contains("Why(\"" + reason.Code + "\"", tests, System.StringComparison.Ordinal);
        }
    }
}
