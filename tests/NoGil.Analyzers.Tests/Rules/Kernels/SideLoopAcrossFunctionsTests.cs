using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify301 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;
using Verify302 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>;
using Verify303 = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Side loops across function boundaries (LoopNest.FindSideNest): a loop in a lambda that a call runs is compared with
/// the nests beside that call; a loop in a private method with the nests beside every call of it; and the lambdas a
/// statement call receives are the caller's work. Must-not-flag tests are minimized Math.NET snippets judged correct but
/// not worth taking; must-flag tests the neighbouring shapes the signal keeps.
/// </summary>
public sealed class SideLoopAcrossFunctionsTests
{
    /// <summary>Math.NET's CommonParallel: runs the ranges of its lambda, in parallel when they are many.</summary>
    private const string CommonParallel = """
        static class CommonParallel
        {
            public static void For(int fromInclusive, int toExclusive, System.Action<int, int> body)
                => For(fromInclusive, toExclusive, System.Math.Max(1, (toExclusive - fromInclusive) / 4), body);

            public static void For(int fromInclusive, int toExclusive, int rangeSize, System.Action<int, int> body)
            {
                if (rangeSize * 2 > toExclusive - fromInclusive)
                {
                    body(fromInclusive, toExclusive);
                    return;
                }

                System.Threading.Tasks.Parallel.ForEach(
                    System.Collections.Concurrent.Partitioner.Create(fromInclusive, toExclusive, rangeSize),
                    range => body(range.Item1, range.Item2));
            }
        }
        """;

    /// <summary>Math.NET's Gamma sampler: a loop over the values, each drawn by a rejection loop.</summary>
    private const string Gamma = """
        static class Gamma
        {
            internal static double SampleUnchecked(System.Random rnd, double shape)
            {
                var d = shape - (1.0 / 3.0);
                var c = 1.0 / System.Math.Sqrt(9.0 * d);
                while (true)
                {
                    var x = rnd.NextDouble() - 0.5;
                    var v = 1.0 + (c * x);
                    v = v * v * v;
                    var u = rnd.NextDouble();
                    if (System.Math.Log(u) < (0.5 * x * x) + (d * (1.0 - v + System.Math.Log(v))))
                    {
                        return d * v;
                    }
                }
            }

            internal static void SamplesUnchecked(System.Random rnd, double[] values, double shape)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = SampleUnchecked(rnd, shape);
                }
            }
        }
        """;

    private static DiagnosticResult VectorLoop(int location = 0)
        => Verify302.Diagnostic().WithLocation(location).WithArguments("double", "a Vector<double> loop computes the same results several at a time");

    // ---------------------------------------------------------------------------------------------------------
    // A loop in a lambda that a call runs: compared with the nests beside that call
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET Beta.SamplesUnchecked (also InverseGamma, BetaScaled, FisherSnedecor): a one-flop transform of the samples beside the sampler.</summary>
    [Fact]
    public Task LambdaLoop_BesideTheSamplerThatDrawsTheValues_NotFlagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Beta
            {
                internal static void SamplesUnchecked(System.Random rnd, double[] values, double a, double b)
                {
                    var y = new double[values.Length];
                    Gamma.SamplesUnchecked(rnd, values, a);
                    Gamma.SamplesUnchecked(rnd, y, b);
                    CommonParallel.For(0, values.Length, 4096, (aa, bb) =>
                    {
                        for (int i = aa; i < bb; i++)
                        {
                            values[i] = values[i] / (values[i] + y[i]);
                        }
                    });
                }
            }
            """ + Gamma + CommonParallel);

    /// <summary>Math.NET ContinuousUniform.SamplesUnchecked: the draw is a loop as deep as the transform, which is kept.</summary>
    [Fact]
    public Task LambdaLoop_BesideACallNoDeeperThanItself_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Uniform
            {
                static void NextDoubles(System.Random rnd, double[] values)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = rnd.NextDouble();
                    }
                }

                internal static void SamplesUnchecked(System.Random rnd, double[] values, double lower, double upper)
                {
                    NextDoubles(rnd, values);
                    var difference = upper - lower;
                    CommonParallel.For(0, values.Length, 4096, (a, b) =>
                    {
                        {|#0:for (int i = a; i < b; i++)|}
                        {
                            values[i] = lower + values[i] * difference;
                        }
                    });
                }
            }
            """ + CommonParallel, VectorLoop());

    /// <summary>The lambda's chain counts from the call: a call inside an outer loop makes the lambda's loop as deep as the nest beside it.</summary>
    [Fact]
    public Task LambdaLoop_RunInsideAnOuterLoop_AsDeepAsTheNestBeside_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Rows
            {
                static void Smooth(double[][] rows, double[,] m, double factor)
                {
                    for (int r = 0; r < rows.Length; r++)
                    {
                        var row = rows[r];
                        CommonParallel.For(0, row.Length, 4096, (a, b) =>
                        {
                            {|#0:for (int i = a; i < b; i++)|}
                            {
                                row[i] = row[i] * factor;
                            }
                        });
                    }

                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * factor;
                        }
                    }
                }
            }
            """ + CommonParallel, VectorLoop());

    // ---------------------------------------------------------------------------------------------------------
    // A loop in a private method: a side loop when every call of it sits beside a deeper nest of its caller
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>Math.NET Hartley.NaiveForward/NaiveInverse: an O(n) scaling after the O(n²) transform that a CommonParallel lambda runs.</summary>
    [Fact]
    public Task PrivateHelper_ScalingAfterTheTransform_NotFlagged()
        => Verify302.VerifyAnalyzerAsync("""
            static partial class Hartley
            {
                public static double[] NaiveForward(double[] timeSpace, bool scale)
                {
                    var frequencySpace = Naive(timeSpace);
                    ScaleByOptions(scale, frequencySpace);
                    return frequencySpace;
                }

                public static double[] NaiveInverse(double[] frequencySpace, bool scale)
                {
                    var timeSpace = Naive(frequencySpace);
                    ScaleByOptions(scale, timeSpace);
                    return timeSpace;
                }

                static void ScaleByOptions(bool scale, double[] samples)
                {
                    if (!scale)
                    {
                        return;
                    }

                    var scalingFactor = System.Math.Sqrt(1.0 / samples.Length);
                    for (int i = 0; i < samples.Length; i++)
                    {
                        samples[i] *= scalingFactor;
                    }
                }
            }

            static partial class Hartley
            {
                internal static double[] Naive(double[] samples)
                {
                    var w0 = 2 * System.Math.PI / samples.Length;
                    var spectrum = new double[samples.Length];
                    CommonParallel.For(0, samples.Length, (u, v) =>
                    {
                        for (int i = u; i < v; i++)
                        {
                            var wk = w0 * i;
                            var sum = 0.0;
                            for (var n = 0; n < samples.Length; n++)
                            {
                                sum += samples[n] * System.Math.Cos((n * wk) - (System.Math.PI / 4));
                            }

                            spectrum[i] = sum;
                        }
                    });

                    return spectrum;
                }
            }
            """ + CommonParallel);

    /// <summary>Math.NET UserSvd.Dnrm2Vector: an O(n) norm of the row, once per bidiagonalization step, beside the step's O(m·n) update.</summary>
    [Fact]
    public Task PrivateHelper_NormOncePerStepBesideTheStepsUpdate_NotFlagged()
        => Verify303.VerifyAnalyzerAsync("""
            static class Svd
            {
                public static void Bidiagonalize(double[,] a, double[] e, double[] work)
                {
                    int rows = a.GetLength(0), columns = a.GetLength(1);
                    for (int l = 0; l < columns - 1; l++)
                    {
                        var lp1 = l + 1;
                        for (int j = lp1; j < columns; j++)
                        {
                            e[j] = a[l, j];
                        }

                        e[l] = Dnrm2Vector(e, lp1);
                        for (int j = lp1; j < columns; j++)
                        {
                            for (var ii = lp1; ii < rows; ii++)
                            {
                                work[ii] += e[j] * a[ii, j];
                            }
                        }
                    }
                }

                static double Dnrm2Vector(double[] a, int rowStart)
                {
                    var s = 0.0;
                    for (var i = rowStart; i < a.Length; i++)
                    {
                        s += a[i] * a[i];
                    }

                    return System.Math.Sqrt(s);
                }
            }
            """);

    /// <summary>A dot product called in the innermost loop of a matrix multiply is the caller's dominant work: kept.</summary>
    [Fact]
    public Task PrivateHelper_DotProductInTheInnermostLoopOfAMultiply_Flagged()
        => Verify303.VerifyAnalyzerAsync("""
            static class Product
            {
                public static void Multiply(double[][] a, double[][] bt, double[,] c)
                {
                    for (int i = 0; i < a.Length; i++)
                    {
                        for (int j = 0; j < bt.Length; j++)
                        {
                            c[i, j] = Dot(a[i], bt[j]);
                        }
                    }
                }

                static double Dot(double[] x, double[] y)
                {
                    var s = 0.0;
                    {|#0:for (var i = 0; i < x.Length; i++)|}
                    {
                        s += x[i] * y[i];
                    }

                    return s;
                }
            }
            """, Verify303.Diagnostic().WithLocation(0).WithArguments("the dot product of 'x' and 'y'", "vectorize it with Vector<double>", " (the order of the floating-point additions changes, so rounding may differ)"));

    /// <summary>One call beside a deeper nest and one alone: the loop does the work of the second caller, so it is kept.</summary>
    [Fact]
    public Task PrivateHelper_OneCallerWithoutADeeperNest_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Scaling
            {
                public static void Transform(double[,] m, double[] v)
                {
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * 2.0;
                        }
                    }

                    Scale(v, 0.5);
                }

                public static void Normalize(double[] v, double norm) => Scale(v, 1.0 / norm);

                static void Scale(double[] v, double factor)
                {
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = v[i] * factor;
                    }
                }
            }
            """, VectorLoop());

    /// <summary>A call in another part of a partial type, without a deeper nest beside it, keeps the loop.</summary>
    [Fact]
    public Task PrivateHelper_CalledAloneFromAnotherPartialPart_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static partial class Scaling
            {
                public static void Transform(double[,] m, double[] v)
                {
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * 2.0;
                        }
                    }

                    Scale(v, 0.5);
                }

                static void Scale(double[] v, double factor)
                {
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = v[i] * factor;
                    }
                }
            }

            static partial class Scaling
            {
                public static void Halve(double[] v) => Scale(v, 0.5);
            }
            """, VectorLoop());

    /// <summary>A private extension method called as one (<c>v.Scale(…)</c>) alone: that call is found, and the loop kept.</summary>
    [Fact]
    public Task PrivateExtension_CalledAloneAsAnExtension_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Scaling
            {
                public static void Transform(double[,] m, double[] v)
                {
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * 2.0;
                        }
                    }

                    Scale(v, 0.5);
                }

                public static void Halve(double[] v) => v.Scale(0.5);

                static void Scale(this double[] v, double factor)
                {
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = v[i] * factor;
                    }
                }
            }
            """, VectorLoop());

    /// <summary>A method that other types may call has callers the analysis cannot see: kept.</summary>
    [Fact]
    public Task NotPrivateHelper_BesideADeeperNestOfItsOnlyVisibleCaller_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            public static class Scaling
            {
                public static void Transform(double[,] m, double[] v)
                {
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * 2.0;
                        }
                    }

                    Scale(v, 0.5);
                }

                internal static void Scale(double[] v, double factor)
                {
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = v[i] * factor;
                    }
                }
            }
            """, VectorLoop());

    /// <summary>A private method used as a delegate may run anywhere: kept.</summary>
    [Fact]
    public Task PrivateHelper_AlsoUsedAsAMethodGroup_Flagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Scaling
            {
                public static System.Action<double[], double> Scaler => Scale;

                public static void Transform(double[,] m, double[] v)
                {
                    for (int i = 0; i < m.GetLength(0); i++)
                    {
                        for (int j = 0; j < m.GetLength(1); j++)
                        {
                            m[i, j] = m[i, j] * 2.0;
                        }
                    }

                    Scale(v, 0.5);
                }

                static void Scale(double[] v, double factor)
                {
                    {|#0:for (int i = 0; i < v.Length; i++)|}
                    {
                        v[i] = v[i] * factor;
                    }
                }
            }
            """, VectorLoop());

    // ---------------------------------------------------------------------------------------------------------
    // The lambdas a statement call runs are the caller's work — only their for/foreach loops count
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Math.NET Stable.SamplesUnchecked: the per-sample transform (several transcendental calls) beside a sampler whose
    /// lambda retries a rare zero draw with a <c>while</c> — O(n), not O(n²): the transform is still reported.
    /// </summary>
    [Fact]
    public Task TransformBesideASamplerWhoseLambdaRetries_Flagged()
        => Verify301.VerifyAnalyzerAsync("""
            static class Stable
            {
                static void Exponential(System.Random rnd, double[] values)
                {
                    for (var i = 0; i < values.Length; i++)
                    {
                        values[i] = rnd.NextDouble();
                    }

                    CommonParallel.For(0, values.Length, 4096, (a, b) =>
                    {
                        for (int i = a; i < b; i++)
                        {
                            var r = values[i];
                            while (r == 0.0)
                            {
                                r = 0.5;
                            }

                            values[i] = -System.Math.Log(r);
                        }
                    });
                }

                internal static void SamplesUnchecked(System.Random rnd, double[] values, double[] thetas, double alpha)
                {
                    var ws = new double[values.Length];
                    Exponential(rnd, ws);
                    {|#0:for (int i = 0; i < values.Length; i++)|}
                    {
                        var angle = alpha * thetas[i];
                        var factor1 = System.Math.Sin(angle) / System.Math.Pow(System.Math.Cos(thetas[i]), 1.0 / alpha);
                        var factor2 = System.Math.Pow(System.Math.Cos(thetas[i] - angle) / ws[i], (1 - alpha) / alpha);
                        values[i] = factor1 * factor2;
                    }
                }
            }
            """ + CommonParallel, Verify301.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    /// <summary>An O(n) loop beside a statement call whose lambda runs an O(n²) nest is a side loop.</summary>
    [Fact]
    public Task LoopBesideALambdaNestRunByAStatementCall_NotFlagged()
        => Verify302.VerifyAnalyzerAsync("""
            static class Kernel
            {
                static void Gram(double[][] x, double[,] g, double[] scale)
                {
                    CommonParallel.For(0, x.Length, (a, b) =>
                    {
                        for (int i = a; i < b; i++)
                        {
                            for (int j = 0; j < x.Length; j++)
                            {
                                g[i, j] = System.Math.Exp(-x[i][0] * x[j][0]);
                            }
                        }
                    });

                    for (int i = 0; i < scale.Length; i++)
                    {
                        scale[i] = scale[i] * 0.5;
                    }
                }
            }
            """ + CommonParallel);
}
