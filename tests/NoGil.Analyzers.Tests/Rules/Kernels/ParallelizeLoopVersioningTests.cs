using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL301 loop versioning: where the only obstacle is that two arrays of one element type may be the same object,
/// the loop is reported and the fix checks <c>ReferenceEquals</c> first, keeping the original loop for the aliased case.
/// </summary>
public sealed class ParallelizeLoopVersioningTests
{
    [Fact]
    public Task MatrixMultiplyIntoAParameter_GuardedByReferenceEquals()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static void Multiply(double[,] a, double[,] b, double[,] c)
                {
                    int n = c.GetLength(0), m = c.GetLength(1), p = a.GetLength(1);

                    // One row of c per iteration.
                    {|#0:for (int i = 0; i < n; i++)|}
                    {
                        for (int j = 0; j < m; j++)
                        {
                            double s = 0;
                            for (int k = 0; k < p; k++)
                            {
                                s += a[i, k] * b[k, j];
                            }

                            c[i, j] = s;
                        }
                    }
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static void Multiply(double[,] a, double[,] b, double[,] c)
                {
                    int n = c.GetLength(0), m = c.GetLength(1), p = a.GetLength(1);

                    // One row of c per iteration.
                    if (!ReferenceEquals(c, b))
                    {
                        Parallel.For(0, n, i =>
                        {
                            for (int j = 0; j < m; j++)
                            {
                                double s = 0;
                                for (int k = 0; k < p; k++)
                                {
                                    s += a[i, k] * b[k, j];
                                }

                                c[i, j] = s;
                            }
                        });
                    }
                    else
                    {
                        for (int i = 0; i < n; i++)
                        {
                            for (int j = 0; j < m; j++)
                            {
                                double s = 0;
                                for (int k = 0; k < p; k++)
                                {
                                    s += a[i, k] * b[k, j];
                                }

                                c[i, j] = s;
                            }
                        }
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'c' is not the same array as 'b'", "Parallel.For", "; the fix checks this first and keeps the original loop for the case where they are the same"));

    private const string Guarded = "; the fix checks this first and keeps the original loop for the case where they are the same";

    /// <summary>A pure helper that loops (Collatz steps): a call to it makes a body heavy.</summary>
    private const string Collatz = """
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
        """;

    [Fact]
    public Task NBodyIntoAParameter_GuardedByReferenceEquals()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static void Forces(double[] pos, double[] acc)
                {
                    {|#0:for (int i = 0; i < pos.Length; i++)|}
                    {
                        double sum = 0;
                        for (int j = 0; j < pos.Length; j++)
                        {
                            double d = pos[j] - pos[i];
                            sum += d / ((d * d) + 0.01);
                        }

                        acc[i] = sum;
                    }
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static void Forces(double[] pos, double[] acc)
                {
                    if (!ReferenceEquals(acc, pos))
                    {
                        Parallel.For(0, pos.Length, i =>
                        {
                            double sum = 0;
                            for (int j = 0; j < pos.Length; j++)
                            {
                                double d = pos[j] - pos[i];
                                sum += d / ((d * d) + 0.01);
                            }

                            acc[i] = sum;
                        });
                    }
                    else
                    {
                        for (int i = 0; i < pos.Length; i++)
                        {
                            double sum = 0;
                            for (int j = 0; j < pos.Length; j++)
                            {
                                double d = pos[j] - pos[i];
                                sum += d / ((d * d) + 0.01);
                            }

                            acc[i] = sum;
                        }
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'acc' is not the same array as 'pos'", "Parallel.For", Guarded));

    [Fact]
    public Task SpectralNormInnerSumIntoAParameter_GuardedByReferenceEquals()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                // The spectral-norm shape: v and av may be one array. (Whether the caller already runs row ranges on
                // threads is a question of the parallel context, not of this loop.)
                static void MultiplyAv(double[] v, double[] av, int from, int to)
                {
                    {|#0:for (int i = from; i < to; i++)|}
                    {
                        double sum = 0;
                        for (int j = 0; j < v.Length; j++)
                            sum += EvalA(i, j) * v[j];
                        av[i] = sum;
                    }
                }

                static double EvalA(int i, int j) => 1.0 / (((i + j) * (i + j + 1) / 2) + i + 1);
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'av' is not the same array as 'v'", "Parallel.For", Guarded));

    [Fact]
    public Task OffsetReadOfAParameterThatMayBeTheDestination_GuardedByReferenceEquals()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                static void Next(long[] dst, long[] src)
                {
                    {|#0:for (int i = 0; i < dst.Length; i++)|}
                    {
                        dst[i] = src[i + 1] + Collatz(src[i + 1]);
                    }
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'dst' is not the same array as 'src'", "Parallel.For", Guarded));

    [Fact]
    public Task FieldsOfThis_GuardedWithTheFieldNames_AndAShadowedFieldQualified()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                private long[] _input = new long[16];
                private long[] output = new long[16];

                void Next(int output)
                {
                    {|#0:for (int i = 0; i < this.output.Length - 1; i++)|}
                    {
                        this.output[i] = Collatz(_input[i + 1]) + output;
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                private long[] _input = new long[16];
                private long[] output = new long[16];

                void Next(int output)
                {
                    if (!ReferenceEquals(this.output, _input))
                    {
                        Parallel.For(0, this.output.Length - 1, i =>
                        {
                            this.output[i] = Collatz(_input[i + 1]) + output;
                        });
                    }
                    else
                    {
                        for (int i = 0; i < this.output.Length - 1; i++)
                        {
                            this.output[i] = Collatz(_input[i + 1]) + output;
                        }
                    }
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'output' is not the same array as '_input'", "Parallel.For", Guarded));

    [Fact]
    public Task SameIndexInPlaceUpdate_NeedsNoGuard()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                // dst may be src: reading and writing the same element in one iteration is safe.
                static void Steps(long[] src, long[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        long v = src[i];
                        dst[i] = v + Collatz(v);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                // dst may be src: reading and writing the same element in one iteration is safe.
                static void Steps(long[] src, long[] dst)
                {
                    Parallel.For(0, src.Length, i =>
                    {
                        long v = src[i];
                        dst[i] = v + Collatz(v);
                    });
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public Task DenseLayer_ReportedWithARowCheck()
        => Verify.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                static void Dense(double[][] w, double[] x, double[] y)
                {
                    {|#0:for (int i = 0; i < y.Length; i++)|}
                    {
                        double s = 0;
                        for (int j = 0; j < x.Length; j++)
                        {
                            s += w[i][j] * x[j];
                        }

                        y[i] = Math.Tanh(s);
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" as long as 'y' is not the same array as 'x' and not a row of 'w'", "Parallel.For", Guarded));

    [Fact]
    public Task RowsOfRows_NotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;

            class C
            {
                // t[i][0] may be y, and no check before the loop looks at rows of rows.
                static void Dense(double[][][] t, double[] x, double[] y)
                {
                    for (int i = 0; i < y.Length; i++)
                    {
                        double s = 0;
                        for (int j = 0; j < x.Length; j++)
                        {
                            s += t[i][0][j] * x[j];
                        }

                        y[i] = Math.Tanh(s);
                    }
                }
            }
            """);

    // ---------------------------------------------------------------------------------------------------------
    // Must not flag
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task JaggedParameters_NotVersioned_RowsMayBeShared()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                // Two different jagged arrays may still hold the same row: ReferenceEquals on them proves nothing.
                static void Next(long[][] dst, long[][] src, int n)
                {
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < dst[i].Length; j++)
                        {
                            dst[i][j] = Collatz(src[i + 1][j]);
                        }
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task AliasAndAnotherObstacle_NotReported()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                static long Next(long[] dst, long[] src)
                {
                    long last = 0;
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = Collatz(src[i + 1]);
                        last = dst[i];
                    }

                    return last;
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task DestinationReachedThroughAnotherObject_NotReported()
        => Verify.VerifyAnalyzerAsync($$"""
            class C
            {
                private long[] _in = new long[16];
                private long[] _out = new long[16];

                // this._out and other._out are one field but two arrays: a check on this._out says nothing about other._out.
                void Next(C other)
                {
                    for (int i = 0; i < _in.Length - 1; i++)
                    {
                        other._out[i] = Collatz(_in[i + 1]);
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task SpansThatMayOverlap_NotVersionedByNOGIL301()
        => Verify.VerifyAnalyzerAsync($$"""
            using System;

            class C
            {
                // A lambda cannot capture spans, and two spans may overlap partially: no guarded parallel fix.
                static void Next(Span<long> dst, ReadOnlySpan<long> src)
                {
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = Collatz(src[i + 1]);
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task TheAliasedCaseOfAVersionedLoop_NotReported()
        => Verify.VerifyAnalyzerAsync($$"""
            using System.Threading.Tasks;

            class C
            {
                static void Next(long[] dst, long[] src)
                {
                    if (!ReferenceEquals(dst, src))
                    {
                        Parallel.For(0, dst.Length - 1, i =>
                        {
                            dst[i] = Collatz(src[i + 1]);
                        });
                    }
                    else
                    {
                        for (int i = 0; i < dst.Length - 1; i++)
                        {
                            dst[i] = Collatz(src[i + 1]);
                        }
                    }
                }

            {{Collatz}}
            }
            """);
}
