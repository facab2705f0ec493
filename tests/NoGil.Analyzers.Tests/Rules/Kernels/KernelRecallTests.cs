using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// The shapes a reviewer of real numeric code would take and the kernel rules once missed (issue 13, "Misses"): each
/// is reported with a fix here, or left alone for the reason docs/loop-model.md gives. Matrix multiply and n-body into
/// parameters are in <see cref="ParallelizeLoopVersioningTests"/>; the fixed code runs in
/// <see cref="ParallelizeLoopDifferentialTests"/>.
/// </summary>
public sealed class KernelRecallTests
{
    /// <summary>The NOGIL3xx diagnostics of the three kernel rules on <paramref name="members"/> (in a class C), as "ID@line".</summary>
    private static async Task<string[]> KernelDiagnostics(string members, bool withTensors = false)
    {
        var source = "using System;\npublic class C\n{\n" + members + "\n}\n";
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var references = withTensors ? TestReferences.Runtime.Add(TestReferences.TensorsRuntime) : TestReferences.Runtime;
        var compilation = CSharpCompilation.Create("Recall", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await FixRunner.AnalyzeAsync(compilation, new ParallelizeLoopAnalyzer(), new VectorizeLoopAnalyzer(), new VectorizeReductionAnalyzer());
        return diagnostics.Select(d => d.Id + "@" + (d.Location.GetLineSpan().StartLinePosition.Line - 2)).ToArray();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reported
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task FlattenedSymbolicStrides_ColumnsRunInParallel()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                // Column-major storage: iteration i owns column i, the elements j * order + i.
                public static void ExpColumns(double[] a, double[] r, int order)
                {
                    {|#0:for (int i = 0; i < order; i++)|}
                    {
                        for (int j = 0; j < order; j++)
                        {
                            r[(j * order) + i] = Math.Exp(a[(j * order) + i]) * 2;
                        }
                    }
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;

            class C
            {
                // Column-major storage: iteration i owns column i, the elements j * order + i.
                public static void ExpColumns(double[] a, double[] r, int order)
                {
                    Parallel.For(0, order, i =>
                    {
                        for (int j = 0; j < order; j++)
                        {
                            r[(j * order) + i] = Math.Exp(a[(j * order) + i]) * 2;
                        }
                    });
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public async Task InPlaceElementwiseUpdates_AreReportedWithoutAGuard()
    {
        // dst may be src: harmless at the same index. A vectorizable expression is NOGIL302's, a transcendental one
        // without TensorPrimitives NOGIL301's.
        var found = await KernelDiagnostics("""
            public static void Scale(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = (Math.Sqrt(src[i]) * 2) + 1; }
            public static void Exp(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = Math.Exp(src[i]); }
            """);
        Assert.Equal(new[] { "NOGIL302@1", "NOGIL301@2" }, found);
    }

    [Fact]
    public async Task InPlaceExponential_WithTensorPrimitives_IsNOGIL302s()
    {
        var found = await KernelDiagnostics("""
            public static void Exp(double[] src, double[] dst) { for (int i = 0; i < src.Length; i++) dst[i] = Math.Exp(src[i]); }
            """, withTensors: true);
        Assert.Equal(new[] { "NOGIL302@1" }, found);
    }

    [Fact]
    public async Task SumOfATranscendentalMap_IsReportedByNOGIL301()
    {
        var found = await KernelDiagnostics("""
            public static double SumLog(double[] x) { double sum = 0; for (int i = 0; i < x.Length; i++) sum += Math.Log(x[i]); return sum; }
            """);
        Assert.Equal(new[] { "NOGIL301@1" }, found);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Not reported, for the reason docs/loop-model.md gives
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task TransposeIntoAFieldOfAnotherObject_NotReported()
    {
        // result._data and this._data are one field: the model cannot tell the two arrays apart (CrossIterationRead).
        Assert.Empty(await KernelDiagnostics("""
            private double[] _data = new double[16];
            private int _n = 4;
            public C Transpose()
            {
                var result = new C();
                for (int i = 0; i < _n; i++)
                    for (int j = 0; j < _n; j++)
                        result._data[j * _n + i] = _data[i * _n + j];
                return result;
            }
            """));
    }

    [Fact]
    public async Task GivensRotation_AcceptedByTheModel_TooLightForAWorker_NotReported()
    {
        Assert.Empty(await KernelDiagnostics("""
            public static void Rotate(double[,] a, int p, int q, double c, double s)
            {
                for (int k = 0; k < a.GetLength(1); k++)
                {
                    double x = a[p, k], y = a[q, k];
                    a[p, k] = c * x - s * y;
                    a[q, k] = s * x + c * y;
                }
            }
            public static void RotateFlat(double[] a, int n, int p, int q, double c, double s)
            {
                for (int k = 0; k < n; k++)
                {
                    double x = a[p * n + k], y = a[q * n + k];
                    a[p * n + k] = c * x - s * y;
                    a[q * n + k] = s * x + c * y;
                }
            }
            """));
    }

    [Fact]
    public async Task NaNAwareMinimumAndMaximum_NotReported()
    {
        // The first of equal values (+0 or -0) and the last NaN win: a merge of partial results cannot know which came first.
        Assert.Empty(await KernelDiagnostics("""
            public static double Min(double[] d) { double min = double.PositiveInfinity; for (int i = 0; i < d.Length; i++) { if (d[i] < min || double.IsNaN(d[i])) min = d[i]; } return min; }
            public static double Max(double[] d) { double max = double.NegativeInfinity; for (int i = 0; i < d.Length; i++) { if (d[i] > max || double.IsNaN(d[i])) max = d[i]; } return max; }
            """));
    }

    [Fact]
    public async Task CentredProductsAndSumsOfReciprocals_NotReported()
    {
        // NOGIL303 folds sums, dot products, sums of squares and magnitudes; a sum of another element-wise expression has
        // no kernel kind yet, and a few operations per element are too little work for NOGIL301.
        Assert.Empty(await KernelDiagnostics("""
            public static double Covariance(double[] x, double[] y, double mx, double my) { double sum = 0; for (int i = 0; i < x.Length; i++) sum += (x[i] - mx) * (y[i] - my); return sum / x.Length; }
            public static double SumOfReciprocals(double[] x) { double sum = 0; for (int i = 0; i < x.Length; i++) sum += 1.0 / x[i]; return sum; }
            """));
    }
}
