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
}
