using System.Threading;
using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Parallelize = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;
using Reduce = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;

namespace NoGil.Analyzers.Tests.Rules.Bulk;

/// <summary>
/// A fix touches only what it rewrites: new usings go where the file's own order puts them, and no guard is written
/// where the range cannot be empty. Each test asserts the exact fixed text.
/// </summary>
public sealed class MinimalDiffTests
{
    private const string Body = """
        class C
        {
            public static int[] Lengths(long[] seeds)
            {
                var lengths = new int[seeds.Length];
                [|for (int i = 0; i < seeds.Length; i++)|]
                {
                    lengths[i] = Collatz(seeds[i]);
                }

                return lengths;
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
        """;

    private static readonly string FixedBody = Body
        .Replace("[|for (int i = 0; i < seeds.Length; i++)|]\n        {\n            lengths[i] = Collatz(seeds[i]);\n        }", "Parallel.For(0, seeds.Length, i =>\n        {\n            lengths[i] = Collatz(seeds[i]);\n        });", System.StringComparison.Ordinal)
        .Replace("[|for (int i = 0; i < seeds.Length; i++)|]\r\n        {\r\n            lengths[i] = Collatz(seeds[i]);\r\n        }", "Parallel.For(0, seeds.Length, i =>\r\n        {\r\n            lengths[i] = Collatz(seeds[i]);\r\n        });", System.StringComparison.Ordinal);

    [Fact]
    public void FixedBodyIsTheParallelForm()
        => Assert.Contains("Parallel.For(0, seeds.Length, i =>", FixedBody, System.StringComparison.Ordinal);

    [Fact]
    public Task Usings_SystemFirst_NewSystemUsingJoinsTheSystemOnes()
        => Parallelize.VerifyCodeFixAsync(
            "using System;\nusing System.Linq;\nusing Microsoft.Win32.SafeHandles;\n\n" + Body,
            "using System;\nusing System.Linq;\nusing System.Threading.Tasks;\nusing Microsoft.Win32.SafeHandles;\n\n" + FixedBody);

    [Fact]
    public Task Usings_SystemFirst_InGroups_TheGroupsBlankLineStays()
        => Parallelize.VerifyCodeFixAsync(
            "using System;\nusing System.Linq;\n\nusing Microsoft.Win32.SafeHandles;\n\n" + Body,
            "using System;\nusing System.Linq;\nusing System.Threading.Tasks;\n\nusing Microsoft.Win32.SafeHandles;\n\n" + FixedBody);

    [Fact]
    public Task Usings_Alphabetical_NewUsingInAlphabeticalPlace()
        => Parallelize.VerifyCodeFixAsync(
            "using Microsoft.Win32.SafeHandles;\nusing System;\nusing System.Text;\nusing System.Xml;\n\n" + Body,
            "using Microsoft.Win32.SafeHandles;\nusing System;\nusing System.Text;\nusing System.Threading.Tasks;\nusing System.Xml;\n\n" + FixedBody);

    [Fact]
    public Task Usings_Unsorted_NewUsingAppended()
        => Parallelize.VerifyCodeFixAsync(
            "using System.Linq;\nusing System;\n\n" + Body,
            "using System.Linq;\nusing System;\nusing System.Threading.Tasks;\n\n" + FixedBody);

    [Fact]
    public Task Guard_RangeFromZeroToAnEnclosingCounterPlusOne_NoDeadGuard()
    {
        // j runs over 0..k and k over 0..n-1: the range is never empty, so Max needs no 'if (k >= 0)'.
        var test = new Reduce.Test
        {
            TestCode = """
                using System;

                class C
                {
                    public static void PrefixMax(double[] a, double[] result)
                    {
                        for (int k = 0; k < a.Length; k++)
                        {
                            double m = double.NegativeInfinity;
                            [|for (int j = 0; j <= k; j++)|]
                            {
                                m = Math.Max(m, a[j]);
                            }

                            result[k] = m;
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Numerics.Tensors;

                class C
                {
                    public static void PrefixMax(double[] a, double[] result)
                    {
                        for (int k = 0; k < a.Length; k++)
                        {
                            double m = double.NegativeInfinity;
                            m = Math.Max(m, TensorPrimitives.Max<double>(a.AsSpan(0, k + 1)));

                            result[k] = m;
                        }
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.FixedState.AdditionalReferences.Add(TestReferences.Tensors);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Guard_RangeThatMayBeEmpty_KeepsItsGuard()
    {
        // The same loop from 1: when k is 0 the range is empty, and Max would throw.
        var test = new Reduce.Test
        {
            TestCode = """
                using System;

                class C
                {
                    public static void PrefixMax(double[] a, double[] result)
                    {
                        for (int k = 0; k < a.Length; k++)
                        {
                            double m = double.NegativeInfinity;
                            [|for (int j = 1; j <= k; j++)|]
                            {
                                m = Math.Max(m, a[j]);
                            }

                            result[k] = m;
                        }
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Numerics.Tensors;

                class C
                {
                    public static void PrefixMax(double[] a, double[] result)
                    {
                        for (int k = 0; k < a.Length; k++)
                        {
                            double m = double.NegativeInfinity;
                            if (k >= 1)
                            {
                                m = Math.Max(m, TensorPrimitives.Max<double>(a.AsSpan(1, k - 1 + 1)));
                            }

                            result[k] = m;
                        }
                    }
                }
                """,
        };
        test.TestState.AdditionalReferences.Add(TestReferences.Tensors);
        test.FixedState.AdditionalReferences.Add(TestReferences.Tensors);
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task PerIndex_TheBodyKeepsItsTextAndTrivia()
        => Parallelize.VerifyCodeFixAsync("""
            class C
            {
                public static int[] Lengths(long[] seeds)
                {
                    var lengths = new int[seeds.Length];
                    [|for (int i = 0; i < seeds.Length; i++)|]
                    {
                        // the body's spacing and comments stay as they are
                        lengths[i] = Collatz(seeds[i])*2+1;   // not reformatted
                    }

                    return lengths;
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
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static int[] Lengths(long[] seeds)
                {
                    var lengths = new int[seeds.Length];
                    Parallel.For(0, seeds.Length, i =>
                    {
                        // the body's spacing and comments stay as they are
                        lengths[i] = Collatz(seeds[i])*2+1;   // not reformatted
                    });

                    return lengths;
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
    public Task VectorReduction_TheScalarTailKeepsTheLoopsText()
        => Reduce.VerifyCodeFixAsync("""
            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    [|for (int i = 0; i < values.Length; i++)|]
                    {
                        total+=values[i]; // kept as written
                    }

                    return total;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    int i = 0;
                    var vsum = Vector<int>.Zero;
                    for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
                    {
                        vsum += new Vector<int>(values, i);
                    }
                    total += Vector.Sum(vsum);
                    for (; i < values.Length; i++)
                    {
                        total+=values[i]; // kept as written
                    }

                    return total;
                }
            }
            """);
}
