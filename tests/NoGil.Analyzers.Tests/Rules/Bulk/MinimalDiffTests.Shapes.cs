using System.Threading.Tasks;
using Xunit;
using Parallelize = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;
using Reduce = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeReductionAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeReductionFixer>;
using Vectorize = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Bulk;

/// <summary>
/// The kernel fixes in every shape keep the code they reuse as it was written: the body of an index-range or reduction
/// form (only re-indented where it moves one level in), an embedded loop (<c>if (c) for …</c>), the original loop of a
/// versioned form, the scalar tail of a vector loop; a scope is added only where a name would clash. Each test asserts
/// the exact fixed text, with spacing the formatter would change (<c>i*n</c>), comments, blank lines and directives.
/// </summary>
public sealed class MinimalDiffShapeTests
{
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

    // ----- NOGIL301 -----

    [Fact]
    public Task IndexRanges_TheBodyKeepsItsTextCommentsBlankLinesAndRegions()
        => Parallelize.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase, int n)
                {
                    // leading comment
                    [|for (int i = 0; i < src.Length; i++)|]
                    {
                        // inside
                        double x = src[i]+phase*n;

                        #region calc
                        dst[i] = (Math.Sin(x)*Math.Cos(x)) + Math.Exp(-x*x);   // trailing
                        #endregion
                    } // after the loop
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase, int n)
                {
                    // leading comment
                    if (src.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                // inside
                                double x = src[i]+phase*n;

                                #region calc
                                dst[i] = (Math.Sin(x)*Math.Cos(x)) + Math.Exp(-x*x);   // trailing
                                #endregion
                            }
                        });
                    } // after the loop
                }
            }
            """);

    [Fact]
    public Task IndexRanges_DisabledCodeAndDirectivesAtColumnZeroStayWhereTheyAre()
        => Parallelize.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Wave(double[] src, double[] dst)
                {
                    [|for (int i = 0; i < src.Length; i++)|]
                    {
            #if NEVER_DEFINED
                        dst[i] = 0;
            #endif
                        dst[i] = Math.Sin(src[i])*Math.Cos(src[i]);
                    }
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Wave(double[] src, double[] dst)
                {
                    if (src.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
            #if NEVER_DEFINED
                        dst[i] = 0;
            #endif
                                dst[i] = Math.Sin(src[i])*Math.Cos(src[i]);
                            }
                        });
                    }
                }
            }
            """);

    [Fact]
    public Task IndexRangeReduction_TheBodyKeepsItsText()
        => Parallelize.VerifyInteractiveCodeFixAsync("""
            using System;

            class C
            {
                public static double Wave(double[] src, double phase)
                {
                    double total = 0;
                    [|for (int i = 0; i < src.Length; i++)|]
                    {
                        double x = src[i]+phase;
                        total += (Math.Sin(x)*Math.Cos(x)); // trailing
                    }

                    return total;
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static double Wave(double[] src, double phase)
                {
                    double total = 0;
                    if (src.Length > 0)
                    {
                        var gate = new object();
                        Parallel.ForEach(Partitioner.Create(0, src.Length), () => 0.0, (range, loopState, localTotal) =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                double x = src[i]+phase;
                                localTotal += (Math.Sin(x)*Math.Cos(x)); // trailing
                            }

                            return localTotal;
                        }, localTotal => { lock (gate) { total += localTotal; } });
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task ForEachIndexRanges_TheBodyKeepsItsText()
        => Parallelize.VerifyInteractiveCodeFixAsync("""
            using System;

            class C
            {
                public static double Wave(double[] src, double phase)
                {
                    double total = 0;
                    [|foreach (var x in src)|]
                    {
                        total += Math.Sin(x)*Math.Cos(x+phase); // trailing
                    }

                    return total;
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static double Wave(double[] src, double phase)
                {
                    double total = 0;
                    if (src.Length > 0)
                    {
                        var gate = new object();
                        Parallel.ForEach(Partitioner.Create(0, src.Length), () => 0.0, (range, loopState, localTotal) =>
                        {
                            for (int index = range.Item1; index < range.Item2; index++)
                            {
                                var x = src[index];
                                localTotal += Math.Sin(x)*Math.Cos(x+phase); // trailing
                            }

                            return localTotal;
                        }, localTotal => { lock (gate) { total += localTotal; } });
                    }

                    return total;
                }
            }
            """);

    [Fact]
    public Task EmbeddedInIfElse_TheGuardGetsBracesSoTheElseKeepsItsIf()
        => Parallelize.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase, bool on)
                {
                    if (on)
                        [|for (int i = 0; i < src.Length; i++)|]
                            dst[i] = (Math.Sin(src[i])*Math.Cos(phase)); // trailing
                    else
                        [|for (int i = 0; i < src.Length; i++)|]
                        {
                            dst[i] = Math.Exp(-src[i]*phase);
                        }
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase, bool on)
                {
                    if (on)
                    {
                        if (src.Length > 0)
                        {
                            Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                            {
                                for (int i = range.Item1; i < range.Item2; i++)
                                {
                                    dst[i] = (Math.Sin(src[i])*Math.Cos(phase)); // trailing
                                }
                            });
                        }
                    }
                    else
                        if (src.Length > 0)
                        {
                            Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                            {
                                for (int i = range.Item1; i < range.Item2; i++)
                                {
                                    dst[i] = Math.Exp(-src[i]*phase);
                                }
                            });
                        }
                }
            }
            """);

    [Fact]
    public Task EmbeddedPerIndex_StaysEmbeddedAndKeepsItsText()
        => Parallelize.VerifyCodeFixAsync($$"""
            class C
            {
                public static void Lengths(long[] seeds, int[] lengths, bool on)
                {
                    if (on)
                        [|for (int i = 0; i < seeds.Length; i++)|]
                            lengths[i] = Collatz(seeds[i])*2; // per index
                    else
                        [|for (int i = 0; i < seeds.Length; i++)|]
                        {
                            // other
                            lengths[i] = Collatz(seeds[i]+1);
                        }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static void Lengths(long[] seeds, int[] lengths, bool on)
                {
                    if (on)
                        Parallel.For(0, seeds.Length, i =>
                        {
                            lengths[i] = Collatz(seeds[i])*2; // per index
                        });
                    else
                        Parallel.For(0, seeds.Length, i =>
                        {
                            // other
                            lengths[i] = Collatz(seeds[i]+1);
                        });
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task Versioned_TheOriginalLoopInTheElseBranchKeepsItsExactText()
        => Parallelize.VerifyCodeFixAsync("""
            class C
            {
                public static void Forces(double[] pos, double[] acc)
                {
                    // One body per iteration.
                    {|#0:for (int i = 0; i < pos.Length; i++)|}
                    {
                        double sum = 0;
                        for (int j = 0; j < pos.Length; j++)
                        {
                            double d = pos[j]-pos[i];  // spacing kept

                            sum += d / ((d*d) + 0.01);
                        }

                        acc[i] = sum;
                    } // end of the loop
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static void Forces(double[] pos, double[] acc)
                {
                    // One body per iteration.
                    if (!ReferenceEquals(acc, pos))
                    {
                        Parallel.For(0, pos.Length, i =>
                        {
                            double sum = 0;
                            for (int j = 0; j < pos.Length; j++)
                            {
                                double d = pos[j]-pos[i];  // spacing kept

                                sum += d / ((d*d) + 0.01);
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
                                double d = pos[j]-pos[i];  // spacing kept

                                sum += d / ((d*d) + 0.01);
                            }

                            acc[i] = sum;
                        } // end of the loop
                    }
                }
            }
            """, Parallelize.Diagnostic().WithLocation(0).WithArguments(" as long as 'acc' is not the same array as 'pos'", "Parallel.For", "; the fix checks this first and keeps the original loop for the case where they are the same"));

    // ----- NOGIL302 -----

    [Fact]
    public Task VectorLoop_NoNameClash_NoScope_TheTailKeepsItsText()
        => Vectorize.VerifyCodeFixAsync("""
            class C
            {
                public static void Scale(double[] a, double[] b, double s)
                {
                    // scale
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        b[i] = a[i]*s; // kept
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static void Scale(double[] a, double[] b, double s)
                {
                    // scale
                    int i = 0;
                    for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        var va = new Vector<double>(a, i);
                        (va * s).CopyTo(b, i);
                    }

                    for (; i < a.Length; i++)
                    {
                        b[i] = a[i]*s; // kept
                    }
                }
            }
            """);

    [Fact]
    public Task VectorLoop_InARangeLambda_NoScope()
        => Vectorize.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Normalize(double[] values, double[] y, Action<int, int, Action<int, int>> forRange)
                {
                    forRange(0, values.Length, (aa, bb) =>
                    {
                        [|for (int i = aa; i < bb; i++)|]
                        {
                            values[i] = values[i]/(values[i] + y[i]);
                        }
                    });
                }
            }
            """, """
            using System;
            using System.Numerics;

            class C
            {
                public static void Normalize(double[] values, double[] y, Action<int, int, Action<int, int>> forRange)
                {
                    forRange(0, values.Length, (aa, bb) =>
                    {
                        int i = aa;
                        for (; i <= (long)bb - Vector<double>.Count; i += Vector<double>.Count)
                        {
                            var valuesVector = new Vector<double>(values, i);
                            var vy = new Vector<double>(y, i);
                            (valuesVector / (valuesVector + vy)).CopyTo(values, i);
                        }

                        for (; i < bb; i++)
                        {
                            values[i] = values[i]/(values[i] + y[i]);
                        }
                    });
                }
            }
            """);

    [Fact]
    public Task VectorLoop_NameClash_ScopeAndTheTailKeepsItsText()
        => Vectorize.VerifyCodeFixAsync("""
            class C
            {
                public static void Scale(double[] a, double[] b, double s)
                {
                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        b[i] = a[i]*s;
                    }

                    for (int i = 0; i < a.Length; i++)
                    {
                        System.Console.WriteLine(a[i]);
                    }
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static void Scale(double[] a, double[] b, double s)
                {
                    {
                        int i = 0;
                        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                        {
                            var va = new Vector<double>(a, i);
                            (va * s).CopyTo(b, i);
                        }

                        for (; i < a.Length; i++)
                        {
                            b[i] = a[i]*s;
                        }
                    }

                    for (int i = 0; i < a.Length; i++)
                    {
                        System.Console.WriteLine(a[i]);
                    }
                }
            }
            """);

    [Fact]
    public Task VectorLoop_EmbeddedInIfElse_OneBlockAndTheCommentOnce()
        => Vectorize.VerifyCodeFixAsync("""
            class C
            {
                public static void Scale(double[] a, double[] b, double s, bool on)
                {
                    if (on)
                        [|for (int i = 0; i < a.Length; i++)|]
                            b[i] = a[i]*s; // kept
                    else
                        b[0] = 1;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static void Scale(double[] a, double[] b, double s, bool on)
                {
                    if (on)
                    {
                        int i = 0;
                        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
                        {
                            var va = new Vector<double>(a, i);
                            (va * s).CopyTo(b, i);
                        }

                        for (; i < a.Length; i++)
                            b[i] = a[i]*s; // kept
                    }
                    else
                        b[0] = 1;
                }
            }
            """);

    // ----- NOGIL303 -----

    [Fact]
    public Task VectorReduction_EmbeddedInUsing_TheTailKeepsItsText()
        => Reduce.VerifyCodeFixAsync("""
            using System.IO;

            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    using (var s = new MemoryStream())
                        [|for (int i = 0; i < values.Length; i++)|]
                        {
                            total+=values[i]; // kept as written
                        }
                    return total;
                }
            }
            """, """
            using System.IO;
            using System.Numerics;

            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    using (var s = new MemoryStream())
                    {
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
                    }
                    return total;
                }
            }
            """);

    [Fact]
    public Task VectorReduction_EmbeddedInIf_TheCommentOnce()
        => Reduce.VerifyCodeFixAsync("""
            class C
            {
                public static int Total(int[] values, bool on)
                {
                    int total = 0;
                    if (on)
                        [|for (int i = 0; i < values.Length; i++)|]
                            total+=values[i]; // kept as written
                    return total;
                }
            }
            """, """
            using System.Numerics;

            class C
            {
                public static int Total(int[] values, bool on)
                {
                    int total = 0;
                    if (on)
                    {
                        int i = 0;
                        var vsum = Vector<int>.Zero;
                        for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
                        {
                            vsum += new Vector<int>(values, i);
                        }
                        total += Vector.Sum(vsum);
                        for (; i < values.Length; i++)
                            total+=values[i]; // kept as written
                    }
                    return total;
                }
            }
            """);

    [Fact]
    public Task VectorReduction_ForEach_TheTailKeepsTheBodysText()
        => Reduce.VerifyCodeFixAsync("""
            class C
            {
                public static int Total(int[] values)
                {
                    int total = 0;
                    [|foreach (var v in values)|]
                    {
                        total+=v; // kept as written
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
