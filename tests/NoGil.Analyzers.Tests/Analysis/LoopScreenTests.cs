using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Kernels;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Analysis;

/// <summary>
/// The cheap screen the kernel rules ask before the loop model (<see cref="LoopDependence.IsScreenedOut"/>): it may only
/// reject a loop that has no model or whose model's first obstacle is one no kernel rule accepts (neither
/// <see cref="LoopObstacleKind.MayAlias"/> nor <see cref="LoopObstacleKind.SpanOverlap"/>) — then skipping the model
/// changes no diagnostic.
/// </summary>
public sealed class LoopScreenTests
{
    private const string Members = """
        struct P { public int X; }
        class Box { public int V; public virtual int Get() => V; }
        interface IShape { double Area(); }
        static int _field;
        int _instance;
        volatile int _volatile;
        int Prop { get; set; }
        event EventHandler Changed;
        static double Pure(double x) => x * x + 1;
        static int Impure(int[] a) { a[0]++; return a[0]; }
        static void Validate(double x) { if (x < 0) throw new ArgumentException(nameof(x)); }

        void Return(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) return; a[i] = 1; } }
        void Break(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) break; a[i] = 1; } }
        void BreakInner(int[,] a, int n) { for (int i = 0; i < n; i++) { for (int j = 0; j < n; j++) { if (a[i, j] < 0) break; a[i, j] = 1; } } }
        void BreakInSwitch(int[] a) { for (int i = 0; i < a.Length; i++) { switch (a[i]) { case 0: a[i] = 1; break; default: a[i] = 2; break; } } }
        void Goto(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) goto done; a[i] = 1; } done:; }
        void Throw(int[] a) { for (int i = 0; i < a.Length; i++) { if (a[i] < 0) throw new InvalidOperationException(); a[i] = 1; } }
        void ThrowExpression(int[] a, int[] b) { for (int i = 0; i < a.Length; i++) a[i] = b[i] >= 0 ? b[i] : throw new InvalidOperationException(); }
        void Try(int[] a) { for (int i = 0; i < a.Length; i++) { try { a[i] = 1; } finally { } } }
        void Lock(int[] a) { for (int i = 0; i < a.Length; i++) { lock (a) { a[i] = 1; } } }
        void Using(int[] a) { for (int i = 0; i < a.Length; i++) { using (var s = new System.IO.MemoryStream()) { a[i] = 1; } } }
        async Task Await(int[] a) { for (int i = 0; i < a.Length; i++) { await Task.Yield(); a[i] = 1; } }
        void Lambda(int[] a) { for (int i = 0; i < a.Length; i++) { Func<int> f = () => 1; a[i] = f(); } }
        void LocalFunction(int[] a) { int s = 0; for (int i = 0; i < a.Length; i++) { a[i] = Add(i); } int Add(int v) => v + s; }
        void StaticLocalFunction(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = Twice(i); } static int Twice(int v) => 2 * v; }
        unsafe void Pointer(int[] a) { for (int i = 0; i < a.Length; i++) { int* p = stackalloc int[1]; a[i] = *p; } }
        void Event(int[] a) { for (int i = 0; i < a.Length; i++) { Changed += (s, e) => { }; a[i] = 1; } }
        void FieldWrite(int[] a) { for (int i = 0; i < a.Length; i++) { _instance = a[i]; } }
        void StaticFieldWrite(int[] a) { for (int i = 0; i < a.Length; i++) { _field += a[i]; } }
        void PropertyWrite(int[] a) { for (int i = 0; i < a.Length; i++) { Prop = a[i]; } }
        void StructLocal(int[] a) { for (int i = 0; i < a.Length; i++) { var p = new P(); p.X = a[i]; a[i] = p.X + 1; } }
        void RefParameter(int[] a, ref int total) { for (int i = 0; i < a.Length; i++) { total += a[i]; } }
        void OutArgument(string[] s, int[] a) { for (int i = 0; i < a.Length; i++) { int.TryParse(s[i], out a[i]); } }
        void RefLocal(int[] a) { ref int r = ref a[0]; for (int i = 0; i < a.Length; i++) { r = a[i]; } }
        void InductionWritten(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = 1; i++; } }
        void Volatile(int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = _volatile; } }
        void Console(int[] a) { for (int i = 0; i < a.Length; i++) { System.Console.WriteLine(a[i]); } }
        void ListAdd(int[] a, List<int> l) { for (int i = 0; i < a.Length; i++) { l.Add(a[i]); } }
        void MathCall(double[] a) { for (int i = 0; i < a.Length; i++) { a[i] = Math.Sqrt(a[i]) + Math.Exp(a[i]); } }
        void Delegate(double[] a, Func<double, double> f) { for (int i = 0; i < a.Length; i++) { a[i] = f(a[i]); } }
        void Interface(double[] a, IShape[] s) { for (int i = 0; i < a.Length; i++) { a[i] = s[i].Area(); } }
        void Virtual(int[] a, Box b) { for (int i = 0; i < a.Length; i++) { a[i] = b.Get(); } }
        void SourcePure(double[] a) { for (int i = 0; i < a.Length; i++) { a[i] = Pure(a[i]); } }
        void SourceImpure(int[] a, int[] b) { for (int i = 0; i < a.Length; i++) { b[i] = Impure(a); } }
        void SourceThrows(double[] a) { for (int i = 0; i < a.Length; i++) { Validate(a[i]); a[i] = 1; } }
        void ThrowHelper(string[] s, int[] a) { for (int i = 0; i < a.Length; i++) { ArgumentNullException.ThrowIfNull(s[i]); a[i] = s[i].Length; } }
        void Spans(Span<int> d, ReadOnlySpan<int> s) { for (int i = 0; i < d.Length; i++) { d[i] = s[i] + 1; } }
        void Shift(int[] d, int[] s) { for (int i = 0; i < d.Length; i++) { d[i] = s[i + 1]; } }
        void Tuple(int[] a, int[] b) { for (int i = 0; i < a.Length; i++) { (a[i], b[i]) = (b[i], a[i]); } }
        void TupleIntoField(int[] a) { for (int i = 0; i < a.Length; i++) { (_instance, a[i]) = (a[i], 0); } }
        void KnownAllocation(int[] a) { for (int i = 0; i < a.Length; i++) { var l = new List<int>(4); a[i] = l.Count; } }
        void SourceAllocation(int[] a) { for (int i = 0; i < a.Length; i++) { var b = new Box(); a[i] = b.V; } }
        void Strings(string[] s, int[] a) { for (int i = 0; i < a.Length; i++) { a[i] = s[i].Trim().Length; } }
        void ForEachArray(double[] a) { double s = 0; foreach (var x in a) { s += Math.Log(x); } _ = s; }
        void ForEachList(List<double> a) { double s = 0; foreach (var x in a) { s += x; } _ = s; }
        void While(int[] a) { int i = 0; while (i < a.Length) { a[i] = 1; i++; } }
        void StepTwo(int[] a) { for (int i = 0; i < a.Length; i += 2) { a[i] = 1; } }
        void Sum(double[] a) { double s = 0; for (int i = 0; i < a.Length; i++) { s += a[i]; } _ = s; }
        void LastValue(double[] a) { double last = 0; for (int i = 0; i < a.Length; i++) { last = a[i]; } _ = last; }
        void Nested(double[,] c, double[,] a, double[,] b, int n) { for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { double s = 0; for (int k = 0; k < n; k++) s += a[i, k] * b[k, j]; c[i, j] = s; } }
        void NestedInnerReturn(int[][] a) { for (int i = 0; i < a.Length; i++) { for (int j = 0; j < a[i].Length; j++) { if (a[i][j] == 0) return; } } }
        void BoundWritten(int[] a) { int n = a.Length; for (int i = 0; i < n; i++) { a[i] = 1; n--; } }
        void BoundProperty(int[] a) { for (int i = 0; i < Prop; i++) { a[i] = 1; } }
        static double Norm(double[] v) { double s = 0; for (int k = 0; k < v.Length; k++) s += Math.Log((v[k] * v[k]) + 1); return s; }
        void HeavyHelper(double[][] rows, double[] norms) { for (int i = 0; i < rows.Length; i++) { norms[i] = Norm(rows[i]); } }
        void ElementThroughCall(int[][] a) { for (int i = 0; i < a.Length; i++) { a[i][Impure(a[i])] = 1; } }
        void AddScaled(double[] d, double[] s, double k) { for (int i = 0; i < d.Length; i++) d[i] += s[i] * k; }
        void SpanMap(Span<float> d, ReadOnlySpan<float> s) { for (int i = 0; i < d.Length; i++) { d[i] = s[i] * 2f + 1f; } }
        void StoreShifted(double[] d, double[] s) { for (int i = 0; i < s.Length - 1; i++) d[i + 1] = s[i] * 2; }
        void StoreIntoLocal(double[] a, double[] b) { double p = 0; for (int i = 0; i < a.Length; i++) p += a[i] * b[i]; _ = p; }
        void CountAbove(double[] a, double t) { int c = 0; for (int i = 0; i < a.Length; i++) { if (a[i] > t) c++; } _ = c; }
        void MaxByCompare(double[] a) { double m = double.MinValue; for (int i = 0; i < a.Length; i++) { if (a[i] > m) m = a[i]; } _ = m; }
        void MaxByMath(double[] a) { double m = double.MinValue; for (int i = 0; i < a.Length; i++) m = Math.Max(m, a[i]); _ = m; }
        void SumIntoElement(double[] a, double[] total) { for (int i = 0; i < a.Length; i++) total[0] += a[i]; }
        static double Twice(double x) => x * 2;
        void MapByHelper(double[] d, double[] s) { for (int i = 0; i < d.Length; i++) d[i] = Twice(s[i]); }
        void Copy(double[] d, double[] s) { for (int i = 0; i < d.Length; i++) d[i] = s[i]; }
        void Fill(double[] d, double v) { for (int i = 0; i < d.Length; i++) d[i] = v; }
        void MapWithMath(float[] d, float[] s) { for (int i = 0; i < d.Length; i++) d[i] = MathF.Sqrt(s[i]) + Math.Abs(s[i]); }
        void DotAcross(double[] a, double[] b, int k) { double p = 0; for (int i = 0; i < a.Length; i++) p += a[i] * b[k]; _ = p; }
        void SumOfSquares(double[] a) { double p = 0; for (int i = 0; i < a.Length; i++) p += a[i] * a[i]; _ = p; }
        void SumOfDecimals(decimal[] a) { decimal s = 0; for (int i = 0; i < a.Length; i++) s += a[i]; _ = s; }
        """;

    private static (Compilation Compilation, SemanticModel Model, SyntaxTree Tree) Compile()
    {
        var source = "using System; using System.Collections.Generic; using System.Threading.Tasks;\npublic class C {\n" + Members + "\n}";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Screen", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return (compilation, compilation.GetSemanticModel(tree), tree);
    }

    /// <summary>Every loop of the fixture: the method's name, the screen, what the two rule-side questions answer, and the model.</summary>
    private static (string Method, LoopScreen Screen, bool NoParallel, bool NoVector, LoopModel? Model, KnownTypes Types)[] Loops()
    {
        var (compilation, model, tree) = Compile();
        var types = KnownTypes.For(compilation);
        var purity = PurityCache.For(compilation);
        return tree.GetRoot().DescendantNodes()
            .Where(n => n is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax)
            .Select(n => (ILoopOperation)model.GetOperation(n)!)
            .Select(loop => (
                loop.Syntax.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.Text,
                LoopScreen.Of(loop, types, purity, default),
                LoopDependence.CannotBeParallelLoop(loop, types, purity, default),
                LoopDependence.CannotBeVectorKernel(loop, types, purity, default),
                LoopDependence.Analyze(loop, types, purity, default),
                types))
            .ToArray();
    }

    private static bool HasBlockingObstacle(LoopModel? model)
        => model is null || model.Obstacles.FirstOrDefault() is { Kind: not (LoopObstacleKind.MayAlias or LoopObstacleKind.SpanOverlap) };

    [Fact]
    public void ScreenRejectsOnlyLoopsTheModelRejectsForEveryKernelRule()
    {
        var loops = Loops();
        Assert.True(loops.Length >= 55, loops.Length + " loops");
        Assert.Contains(loops, l => l.Screen.Blocked);
        Assert.Contains(loops, l => !l.Screen.Blocked && l.Model is not null);
        foreach (var (method, screen, noParallel, noVector, model, types) in loops)
        {
            var obstacles = model is null ? "no model" : string.Join("; ", model.Obstacles);
            Assert.True(!screen.Blocked || HasBlockingObstacle(model), method + ": blocked, but the model's obstacles are: " + obstacles);
            Assert.True(!noParallel || HasBlockingObstacle(model) || !model!.Cost.IsWorthParallelizing, method + ": NOGIL301 screened out, but the model is worth it: " + obstacles);
            Assert.True(
                !noVector || HasBlockingObstacle(model) || (ElementwiseKernel.TryMatch(model, types, default) is null && ReductionKernel.TryMatch(model!) is null),
                method + ": NOGIL302/303 screened out, but the model is a vector kernel");
        }
    }

    [Fact]
    public void SyntaxAndStatementScreensRejectOnlyLoopsTheVectorKernelsReject()
    {
        var (compilation, model, tree) = Compile();
        var types = KnownTypes.For(compilation);
        var purity = PurityCache.For(compilation);
        var loops = tree.GetRoot().DescendantNodes()
            .Where(n => n is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax)
            .Select(n => (ILoopOperation)model.GetOperation(n)!)
            .ToList();
        var elementwise = 0;
        var reduction = 0;
        foreach (var loop in loops)
        {
            var method = loop.Syntax.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.Text;
            var loopModel = LoopDependence.Analyze(loop, types, purity, default);
            if (LoopDependence.CannotBeElementwiseKernel(loop, types, purity, default))
            {
                Assert.True(ElementwiseKernel.TryMatch(loopModel, types, default) is null, method + ": NOGIL302 screened out, but the model is an elementwise kernel");
            }
            else
            {
                elementwise++;
            }

            if (LoopDependence.CannotBeReductionKernel(loop, types, purity, default))
            {
                Assert.True(loopModel is null || ReductionKernel.TryMatch(loopModel) is null, method + ": NOGIL303 screened out, but the model is a reduction kernel");
            }
            else
            {
                reduction++;
            }

            // The narrower screens keep no loop the one-statement screen rejects.
            Assert.True(!LoopDependence.CannotBeVectorKernel(loop, types, purity, default)
                        || (LoopDependence.CannotBeElementwiseKernel(loop, types, purity, default) && LoopDependence.CannotBeReductionKernel(loop, types, purity, default)), method);
        }

        Assert.True(elementwise > 0 && reduction > 0, elementwise + " elementwise and " + reduction + " reduction candidates");
        Assert.False(LoopDependence.CannotBeReductionKernel(loops.First(l => l.Syntax.Ancestors().OfType<MethodDeclarationSyntax>().First().Identifier.Text == "Sum"), types, purity, default));
    }

    /// <summary>
    /// The statement screens (<see cref="ElementwiseKernel.MayMatch(Microsoft.CodeAnalysis.IOperation, ILocalSymbol, SyntaxNode, KnownTypes, System.Threading.CancellationToken)"/>
    /// with its value, the reduction statement's store and <see cref="ReductionKernel.MayMatchAccesses"/>) keep the kernels'
    /// own shapes — compound and span stores, Math functions, conditional counts, compare-min/max, sums of squares — and drop
    /// a store at another index or into an element for the wrong rule, a value computed by another method, a copy, a fill,
    /// an element read at an index without the induction variable and an accumulator of a type no vector holds; the
    /// soundness of all of them is
    /// <see cref="SyntaxAndStatementScreensRejectOnlyLoopsTheVectorKernelsReject"/>.
    /// </summary>
    [Theory]
    [InlineData("AddScaled", true, false)]
    [InlineData("SpanMap", true, false)]
    [InlineData("StoreShifted", false, false)]
    [InlineData("StoreIntoLocal", false, true)]
    [InlineData("CountAbove", false, true)]
    [InlineData("MaxByCompare", false, true)]
    [InlineData("MaxByMath", false, true)]
    [InlineData("Sum", false, true)]
    [InlineData("SumIntoElement", false, false)]
    [InlineData("MapByHelper", false, false)] // the value is another method's
    [InlineData("Copy", false, false)] // a copy: Span.CopyTo says it better
    [InlineData("Fill", false, false)]
    [InlineData("MapWithMath", true, false)]
    [InlineData("DotAcross", false, false)] // b[k] is not an element of the iteration
    [InlineData("SumOfSquares", false, true)]
    [InlineData("SumOfDecimals", false, false)] // no vector of decimal
    public void StatementScreensKeepTheKernelsShapes(string method, bool elementwise, bool reduction)
    {
        var (compilation, model, tree) = Compile();
        var types = KnownTypes.For(compilation);
        var purity = PurityCache.For(compilation);
        var loop = (ILoopOperation)model.GetOperation(tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == method)
            .DescendantNodes().First(n => n is ForStatementSyntax))!;
        var loopModel = LoopDependence.Analyze(loop, types, purity, default);
        Assert.Equal(elementwise, !LoopDependence.CannotBeElementwiseKernel(loop, types, purity, default));
        Assert.Equal(elementwise, ElementwiseKernel.TryMatch(loopModel, types, default) is not null);
        Assert.Equal(reduction, !LoopDependence.CannotBeReductionKernel(loop, types, purity, default));
        Assert.Equal(reduction, loopModel is not null && ReductionKernel.TryMatch(loopModel) is not null);
    }

    [Theory]
    [InlineData("MathCall")]
    [InlineData("SourcePure")]
    [InlineData("Sum")]
    [InlineData("LastValue")]
    public void ScreenKeepsOneStatementBodiesForTheVectorRules(string method)
    {
        var outermost = Loops().First(l => l.Method == method);
        Assert.True(outermost.Screen.MayBeVectorKernel && !outermost.NoVector, method);
    }

    [Fact]
    public void ScreenSeparatesHeavyFromLightBodies()
    {
        var loops = Loops();
        Assert.False(loops.First(l => l.Method == "MathCall").NoParallel); // Math.Exp: worth a worker
        Assert.False(loops.First(l => l.Method == "Nested").NoParallel); // an inner loop that computes
        Assert.True(loops.First(l => l.Method == "StructLocal").NoParallel); // three statements, a few operations
        Assert.True(loops.First(l => l.Method == "StructLocal").NoVector);
        Assert.False(loops.First(l => l.Method == "Sum").NoVector); // s += a[i]: NOGIL303's shape
        Assert.True(loops.First(l => l.Method == "Sum").NoParallel);
        Assert.False(loops.First(l => l.Method == "HeavyHelper").NoParallel); // a pure source call whose loop computes (a loop that only streams memory is light, see ParallelizeLoopTests.Precision)
    }

    [Theory]
    [InlineData("Return")]
    [InlineData("Break")]
    [InlineData("Goto")]
    [InlineData("Throw")]
    [InlineData("ThrowExpression")]
    [InlineData("Try")]
    [InlineData("Lock")]
    [InlineData("Using")]
    [InlineData("Await")]
    [InlineData("Lambda")]
    [InlineData("LocalFunction")]
    [InlineData("Pointer")]
    [InlineData("Event")]
    [InlineData("FieldWrite")]
    [InlineData("StaticFieldWrite")]
    [InlineData("PropertyWrite")]
    [InlineData("RefParameter")]
    [InlineData("RefLocal")]
    [InlineData("InductionWritten")]
    [InlineData("Volatile")]
    [InlineData("Console")]
    [InlineData("ListAdd")]
    [InlineData("Delegate")]
    [InlineData("Interface")]
    [InlineData("Virtual")]
    [InlineData("ThrowHelper")]
    [InlineData("TupleIntoField")]
    [InlineData("ForEachList")]
    [InlineData("While")]
    [InlineData("StepTwo")]
    [InlineData("NestedInnerReturn")]
    [InlineData("SourceImpure")] // the purity summary of a source callee, asked before any cost
    [InlineData("ElementThroughCall")]
    [InlineData("BoundProperty")] // a bound that is not invariant by its form, whatever the body writes
    public void ScreenRejectsWithoutTheModel(string method)
        => Assert.All(Loops().Where(l => l.Method == method), l => Assert.True(l.Screen.Blocked && l.NoParallel && l.NoVector, method));

    [Theory]
    [InlineData("BreakInner")]
    [InlineData("BreakInSwitch")]
    [InlineData("StaticLocalFunction")]
    [InlineData("StructLocal")]
    [InlineData("OutArgument")]
    [InlineData("MathCall")]
    [InlineData("SourcePure")]
    [InlineData("SourceThrows")]
    [InlineData("Spans")]
    [InlineData("Shift")]
    [InlineData("Tuple")]
    [InlineData("KnownAllocation")]
    [InlineData("SourceAllocation")]
    [InlineData("Strings")]
    [InlineData("ForEachArray")]
    [InlineData("Sum")]
    [InlineData("LastValue")]
    [InlineData("Nested")]
    [InlineData("BoundWritten")]
    public void ScreenLeavesToTheModel(string method)
    {
        // Throwing source callees, outer writes, element accesses and bounds written in the body need the model: the screen does not decide them
        // (for the outermost loop of each method; an inner loop may still be screened out on its own).
        var outermost = Loops().First(l => l.Method == method);
        Assert.False(outermost.Screen.Blocked, method);
    }
}
