using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Kernels.ParallelizeLoopAnalyzer,
    NoGil.CodeFixes.Rules.Kernels.ParallelizeLoopFixer>;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

public sealed partial class ParallelizeLoopTests
{
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

    // ---------------------------------------------------------------------------------------------------------
    // Must flag
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public Task Mandelbrot_RowsRunInParallel()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static int[] Render(int width, int height, int maxIterations)
                {
                    var result = new int[width * height];

                    // One row per iteration.
                    {|#0:for (int y = 0; y < height; y++)|}
                    {
                        for (int x = 0; x < width; x++)
                        {
                            double cr = -2.0 + (3.0 * x / width), ci = -1.5 + (3.0 * y / height);
                            double zr = 0, zi = 0;
                            int iteration = 0;
                            while (iteration < maxIterations && (zr * zr) + (zi * zi) <= 4.0)
                            {
                                double t = (zr * zr) - (zi * zi) + cr;
                                zi = (2 * zr * zi) + ci;
                                zr = t;
                                iteration++;
                            }

                            result[(y * width) + x] = iteration;
                        }
                    }

                    return result;
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static int[] Render(int width, int height, int maxIterations)
                {
                    var result = new int[width * height];

                    // One row per iteration.
                    Parallel.For(0, height, y =>
                    {
                        for (int x = 0; x < width; x++)
                        {
                            double cr = -2.0 + (3.0 * x / width), ci = -1.5 + (3.0 * y / height);
                            double zr = 0, zi = 0;
                            int iteration = 0;
                            while (iteration < maxIterations && (zr * zr) + (zi * zi) <= 4.0)
                            {
                                double t = (zr * zr) - (zi * zi) + cr;
                                zi = (2 * zr * zi) + ci;
                                zr = t;
                                iteration++;
                            }

                            result[(y * width) + x] = iteration;
                        }
                    });

                    return result;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", string.Empty));

    [Fact]
    public Task MatrixMultiply_Rectangular_OnlyTheOuterLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static double[,] Multiply(double[,] a, double[,] b)
                {
                    int n = a.GetLength(0), m = b.GetLength(1), p = a.GetLength(1);
                    var c = new double[n, m];
                    [|for (int i = 0; i < n; i++)|]
                    {
                        for (int j = 0; j < m; j++)
                        {
                            for (int k = 0; k < p; k++)
                            {
                                c[i, j] += a[i, k] * b[k, j];
                            }
                        }
                    }

                    return c;
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static double[,] Multiply(double[,] a, double[,] b)
                {
                    int n = a.GetLength(0), m = b.GetLength(1), p = a.GetLength(1);
                    var c = new double[n, m];
                    Parallel.For(0, n, i =>
                    {
                        for (int j = 0; j < m; j++)
                        {
                            for (int k = 0; k < p; k++)
                            {
                                c[i, j] += a[i, k] * b[k, j];
                            }
                        }
                    });

                    return c;
                }
            }
            """);

    [Fact]
    public Task MatrixMultiply_Jagged_OnlyTheOuterLoop()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static double[][] Multiply(double[][] a, double[][] b, int m)
                {
                    var c = new double[a.Length][];
                    for (int i = 0; i < a.Length; i++)
                    {
                        c[i] = new double[m];
                    }

                    [|for (int i = 0; i < a.Length; i++)|]
                    {
                        for (int j = 0; j < m; j++)
                        {
                            for (int k = 0; k < b.Length; k++)
                            {
                                c[i][j] += a[i][k] * b[k][j];
                            }
                        }
                    }

                    return c;
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static double[][] Multiply(double[][] a, double[][] b, int m)
                {
                    var c = new double[a.Length][];
                    for (int i = 0; i < a.Length; i++)
                    {
                        c[i] = new double[m];
                    }

                    Parallel.For(0, a.Length, i =>
                    {
                        for (int j = 0; j < m; j++)
                        {
                            for (int k = 0; k < b.Length; k++)
                            {
                                c[i][j] += a[i][k] * b[k][j];
                            }
                        }
                    });

                    return c;
                }
            }
            """);

    [Fact]
    public Task NBody_InnerSumIntoABodyLocal_ContinueOfTheInnerLoopStays()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static double[] Forces(double[] pos)
                {
                    var acc = new double[pos.Length];
                    [|for (int i = 0; i < pos.Length; i++)|]
                    {
                        double sum = 0;
                        for (int j = 0; j < pos.Length; j++)
                        {
                            if (j == i)
                            {
                                continue;
                            }

                            double d = pos[j] - pos[i];
                            sum += d / ((d * d) + 0.01);
                        }

                        acc[i] = sum;
                    }

                    return acc;
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                public static double[] Forces(double[] pos)
                {
                    var acc = new double[pos.Length];
                    Parallel.For(0, pos.Length, i =>
                    {
                        double sum = 0;
                        for (int j = 0; j < pos.Length; j++)
                        {
                            if (j == i)
                            {
                                continue;
                            }

                            double d = pos[j] - pos[i];
                            sum += d / ((d * d) + 0.01);
                        }

                        acc[i] = sum;
                    });

                    return acc;
                }
            }
            """);

    [Fact]
    public Task PureStaticHelperOfTheSameProject_PerIndex()
        => Verify.VerifyCodeFixAsync($$"""
            using System;

            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    [|for (int i = 0; i < src.Length; i++)|]
                        dst[i] = Collatz(src[i]);
                }

            {{Collatz}}
            }
            """, $$"""
            using System;
            using System.Threading.Tasks;

            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    Parallel.For(0, src.Length, i =>
                    {
                        dst[i] = Collatz(src[i]);
                    });
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task IntegerSumOfAHeavyCall_LocalInitFinally_MergedWithInterlocked()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static long TotalSteps(int n)
                {
                    long total = 0;
                    {|#0:for (int i = 1; i <= n; i++)|}
                    {
                        total += Collatz(i);
                    }

                    return total;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                public static long TotalSteps(int n)
                {
                    long total = 0;
                    Parallel.For(1, n + 1, () => 0L, (i, loopState, localTotal) =>
                    {
                        localTotal += Collatz(i);
                        return localTotal;
                    }, localTotal => Interlocked.Add(ref total, localTotal));

                    return total;
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the sum into 'total'", "Parallel.For", string.Empty));

    [Fact]
    public Task FloatingPointSum_MessageSaysTheOrderOfAdditionsChanges_MergedUnderALock()
        => Verify.VerifyInteractiveCodeFixAsync($$"""
            class C
            {
                public static double Total(double[] values)
                {
                    double total = 0.5;
                    {|#0:for (int i = 0; i < values.Length; i++)|}
                    {
                        total += Collatz((long)values[i]) * 0.5;
                    }

                    return total;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static double Total(double[] values)
                {
                    double total = 0.5;
                    var gate = new object();
                    Parallel.For(0, values.Length, () => 0.0, (i, loopState, localTotal) =>
                    {
                        localTotal += Collatz((long)values[i]) * 0.5;
                        return localTotal;
                    }, localTotal => { lock (gate) { total += localTotal; } });

                    return total;
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(
                " apart from the sum into 'total'",
                "Parallel.For",
                "; each worker keeps a partial result, so the order of floating-point additions into 'total' changes and rounding may differ"));

    [Fact]
    public Task LightBody_IndexRanges_GuardedAgainstAnEmptyRange()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        double x = src[i] + phase;
                        dst[i] = (Math.Sin(x) * Math.Cos(x)) + Math.Exp(-x * x);
                    }
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Wave(double[] src, double[] dst, double phase)
                {
                    if (src.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                double x = src[i] + phase;
                                dst[i] = (Math.Sin(x) * Math.Cos(x)) + Math.Exp(-x * x);
                            }
                        });
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task HelperThatReachesATranscendentalCall_IndexRanges()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Activate(double[] src, double[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                        dst[i] = Sigmoid(src[i]);
                }

                static double Sigmoid(double x) => 1.0 / (1.0 + Exp(-x));

                static double Exp(double x) => Math.Exp(x);
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Activate(double[] src, double[] dst)
                {
                    if (src.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                dst[i] = Sigmoid(src[i]);
                            }
                        });
                    }
                }

                static double Sigmoid(double x) => 1.0 / (1.0 + Exp(-x));

                static double Exp(double x) => Math.Exp(x);
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task RecursiveHelper_IndexRanges()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static void Fibonacci(int[] n, long[] result)
                {
                    {|#0:for (int i = 0; i < n.Length; i++)|}
                        result[i] = Fib(n[i]);
                }

                static long Fib(int k) => k < 2 ? k : Fib(k - 1) + Fib(k - 2);
            }
            """, """
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Fibonacci(int[] n, long[] result)
                {
                    if (n.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, n.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                result[i] = Fib(n[i]);
                            }
                        });
                    }
                }

                static long Fib(int k) => k < 2 ? k : Fib(k - 1) + Fib(k - 2);
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task HelperWithEnoughArithmetic_CountedIntoTheBody_IndexRanges()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                public static void Hash(uint[] src, uint[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                        dst[i] = Mix(src[i]);
                }

                static uint Mix(uint h)
                {
                    h *= 0x9E3779B1u; h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
                    h += 0x7F4A7C15u; h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
                    return h;
                }
            }
            """, """
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Hash(uint[] src, uint[] dst)
                {
                    if (src.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                dst[i] = Mix(src[i]);
                            }
                        });
                    }
                }

                static uint Mix(uint h)
                {
                    h *= 0x9E3779B1u; h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
                    h += 0x7F4A7C15u; h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
                    return h;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task LightBody_WithLowerBoundAndContinue_RangesKeepTheContinue()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static void Roots(double[] src, double[] dst, int from)
                {
                    [|for (int i = from; i < src.Length; i++)|]
                    {
                        double x = src[i];
                        if (x < 0)
                        {
                            continue;
                        }

                        dst[i] = Math.Sqrt(x) + Math.Log(x + 1);
                    }
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static void Roots(double[] src, double[] dst, int from)
                {
                    if (from < src.Length)
                    {
                        Parallel.ForEach(Partitioner.Create(from, src.Length), range =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                double x = src[i];
                                if (x < 0)
                                {
                                    continue;
                                }

                                dst[i] = Math.Sqrt(x) + Math.Log(x + 1);
                            }
                        });
                    }
                }
            }
            """);

    [Fact]
    public Task LightReduction_RangesWithLocalInitFinally()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static double Peak(double[] values)
                {
                    double peak = double.NegativeInfinity;
                    {|#0:for (int i = 0; i < values.Length; i++)|}
                    {
                        double v = Math.Sin(values[i]) * values[i];
                        peak = Math.Max(peak, v);
                    }

                    return peak;
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading.Tasks;

            class C
            {
                public static double Peak(double[] values)
                {
                    double peak = double.NegativeInfinity;
                    if (values.Length > 0)
                    {
                        var gate = new object();
                        Parallel.ForEach(Partitioner.Create(0, values.Length), () => double.NegativeInfinity, (range, loopState, localPeak) =>
                        {
                            for (int i = range.Item1; i < range.Item2; i++)
                            {
                                double v = Math.Sin(values[i]) * values[i];
                                localPeak = Math.Max(localPeak, v);
                            }

                            return localPeak;
                        }, localPeak => { lock (gate) { peak = Math.Max(peak, localPeak); } });
                    }

                    return peak;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the maximum into 'peak'", "Parallel.ForEach over index ranges", string.Empty));

    [Fact]
    public Task InclusiveBound_MinusOne_BecomesTheExclusiveBound_ContinueBecomesReturn()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    [|for (int i = 0; i <= src.Length - 1; i++)|]
                    {
                        if (src[i] <= 0)
                        {
                            dst[i] = -1;
                            continue;
                        }

                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    Parallel.For(0, src.Length, i =>
                    {
                        if (src[i] <= 0)
                        {
                            dst[i] = -1;
                            return;
                        }

                        dst[i] = Collatz(src[i]);
                    });
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task ForEachOverAnArray_HeavyReduction_ParallelForEach()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static int Longest(long[] seeds)
                {
                    int longest = 0;
                    {|#0:foreach (var seed in seeds)|}
                    {
                        longest = System.Math.Max(longest, Collatz(seed));
                    }

                    return longest;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static int Longest(long[] seeds)
                {
                    int longest = 0;
                    var gate = new object();
                    Parallel.ForEach(seeds, () => int.MinValue, (seed, loopState, localLongest) =>
                    {
                        localLongest = System.Math.Max(localLongest, Collatz(seed));
                        return localLongest;
                    }, localLongest => { lock (gate) { longest = System.Math.Max(longest, localLongest); } });

                    return longest;
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the maximum into 'longest'", "Parallel.ForEach", string.Empty));

    [Fact]
    public Task ForEachOverAnArray_LightBody_IndexRanges()
        => Verify.VerifyCodeFixAsync("""
            using System;

            class C
            {
                public static int Positives(double[] items)
                {
                    int positives = 0;
                    [|foreach (double item in items)|]
                    {
                        double t = Math.Log(Math.Abs(item) + 1) - 3;
                        if (t > 0)
                        {
                            positives++;
                        }
                    }

                    return positives;
                }
            }
            """, """
            using System;
            using System.Collections.Concurrent;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                public static int Positives(double[] items)
                {
                    int positives = 0;
                    if (items.Length > 0)
                    {
                        Parallel.ForEach(Partitioner.Create(0, items.Length), () => 0, (range, loopState, localPositives) =>
                        {
                            for (int index = range.Item1; index < range.Item2; index++)
                            {
                                double item = items[index];
                                double t = Math.Log(Math.Abs(item) + 1) - 3;
                                if (t > 0)
                                {
                                    localPositives++;
                                }
                            }

                            return localPositives;
                        }, localPositives => Interlocked.Add(ref positives, localPositives));
                    }

                    return positives;
                }
            }
            """);

    [Fact]
    public Task IntegerCompareMax_IsFixed()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static int Longest(long[] seeds)
                {
                    int longest = -1;
                    [|for (int i = 0; i < seeds.Length; i++)|]
                    {
                        int steps = Collatz(seeds[i]);
                        if (steps > longest)
                        {
                            longest = steps;
                        }
                    }

                    return longest;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static int Longest(long[] seeds)
                {
                    int longest = -1;
                    var gate = new object();
                    Parallel.For(0, seeds.Length, () => int.MinValue, (i, loopState, localLongest) =>
                    {
                        int steps = Collatz(seeds[i]);
                        if (steps > localLongest)
                        {
                            localLongest = steps;
                        }

                        return localLongest;
                    }, localLongest => { lock (gate) { if (localLongest > longest) longest = localLongest; } });

                    return longest;
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task EmbeddedStatement_IsWrappedInABlock()
        => Verify.VerifyInteractiveCodeFixAsync($$"""
            class C
            {
                public static double Total(double[] values, bool enabled)
                {
                    double total = 0;
                    if (enabled)
                        [|for (int i = 0; i < values.Length; i++)|]
                            total += Collatz((long)values[i]);
                    else
                        total = -1;

                    return total;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static double Total(double[] values, bool enabled)
                {
                    double total = 0;
                    if (enabled)
                    {
                        var gate = new object();
                        Parallel.For(0, values.Length, () => 0.0, (i, loopState, localTotal) =>
                        {
                            localTotal += Collatz((long)values[i]);
                            return localTotal;
                        }, localTotal => { lock (gate) { total += localTotal; } });
                    }
                    else
                        total = -1;

                    return total;
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task NamesInUse_FreshNamesArePicked()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static long Total(int[] values, object gate)
                {
                    long total = 0;
                    [|for (int i = 0; i < values.Length; i++)|]
                    {
                        int localTotal = Collatz(values[i]);
                        int loopState = localTotal * 2;
                        total += loopState;
                    }

                    return total;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                public static long Total(int[] values, object gate)
                {
                    long total = 0;
                    Parallel.For(0, values.Length, () => 0L, (i, loopState1, localTotal1) =>
                    {
                        int localTotal = Collatz(values[i]);
                        int loopState = localTotal * 2;
                        localTotal1 += loopState;
                        return localTotal1;
                    }, localTotal1 => Interlocked.Add(ref total, localTotal1));

                    return total;
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task NamesOfLocalsDeclaredAfterTheLoop_AreAvoided()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static long Total(int[] values)
                {
                    long total = 0;
                    [|for (int i = 0; i < values.Length; i++)|]
                    {
                        total += Collatz(values[i]);
                    }

                    long loopState = total, localTotal = 2 * total;
                    return loopState + localTotal;
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                public static long Total(int[] values)
                {
                    long total = 0;
                    Parallel.For(0, values.Length, () => 0L, (i, loopState1, localTotal1) =>
                    {
                        localTotal1 += Collatz(values[i]);
                        return localTotal1;
                    }, localTotal1 => Interlocked.Add(ref total, localTotal1));

                    long loopState = total, localTotal = 2 * total;
                    return loopState + localTotal;
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public async Task FixAll_TwoLoopsInOneMethod_WhereTheProjectOptedInToBulkReassociation()
    {
        var test = new Verify.Test
        {
            TestCode = $$"""
                class C
                {
                    public static double Run(double[] a, double[] b)
                    {
                        double first = 0, second = 0;
                        [|for (int i = 0; i < a.Length; i++)|]
                        {
                            first += Collatz((long)a[i]);
                        }

                        [|for (int i = 0; i < b.Length; i++)|]
                        {
                            second += Collatz((long)b[i]);
                        }

                        return first + second;
                    }

                {{Collatz}}
                }
                """,
            FixedCode = $$"""
                using System.Threading.Tasks;

                class C
                {
                    public static double Run(double[] a, double[] b)
                    {
                        double first = 0, second = 0;
                        var gate = new object();
                        Parallel.For(0, a.Length, () => 0.0, (i, loopState, localFirst) =>
                        {
                            localFirst += Collatz((long)a[i]);
                            return localFirst;
                        }, localFirst => { lock (gate) { first += localFirst; } });

                        var gate1 = new object();
                        Parallel.For(0, b.Length, () => 0.0, (i, loopState, localSecond) =>
                        {
                            localSecond += Collatz((long)b[i]);
                            return localSecond;
                        }, localSecond => { lock (gate1) { second += localSecond; } });

                        return first + second;
                    }

                {{Collatz}}
                }
                """,
        };
        // Floating-point sums: Fix All applies them only where the project opted in.
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            nogil.float_reassociation = bulk
            """));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task LongIndex_PerIndexKeepsALongIndex()
        => Verify.VerifyCodeFixAsync($$"""
            class C
            {
                public static void Steps(long count, int[] dst)
                {
                    [|for (long i = 0; i < count; i++)|]
                    {
                        dst[i] = Collatz(i * 3);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            using System.Threading.Tasks;

            class C
            {
                public static void Steps(long count, int[] dst)
                {
                    Parallel.For(0, count, i =>
                    {
                        dst[i] = Collatz(i * 3);
                    });
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task LongIndexOverIntBounds_PerIndex_ReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync($$"""
            class C
            {
                public static void Steps(int count, int[] dst)
                {
                    [|for (long i = 0; i < count; i++)|]
                    {
                        dst[i] = Collatz(i * 3);
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task ParallelNameTaken_QualifiedName()
        => Verify.VerifyCodeFixAsync($$"""
            class Parallel { }

            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    [|for (int i = 0; i < src.Length; i++)|]
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """, $$"""
            class Parallel { }

            class C
            {
                public static void Steps(long[] src, int[] dst)
                {
                    global::System.Threading.Tasks.Parallel.For(0, src.Length, i =>
                    {
                        dst[i] = Collatz(src[i]);
                    });
                }

            {{Collatz}}
            }
            """);

    // ---------------------------------------------------------------------------------------------------------
    // Reported, not fixed
    // ---------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A lambda cannot capture a span, so the loop has no parallel form: not reported (NOGIL300 explains it,
    /// span-capture). On ImageSharp every NOGIL301 report of a span loop was a per-row primitive its callers already split.
    /// </summary>
    [Fact]
    public Task Spans_NotReported()
        => Verify.VerifyAnalyzerAsync($$"""
            using System;

            class C
            {
                public static void Steps(ReadOnlySpan<long> src, Span<int> dst)
                {
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task RefParameterUsedInTheBody_ReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync($$"""
            class C
            {
                public static void Steps(long[] src, ref int[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", " (not fixed automatically: a lambda cannot capture the ref parameter 'dst')"));

    [Fact]
    public Task ThisOfAStruct_ReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync($$"""
            struct S
            {
                private long _offset;

                public void Steps(long[] src, int[] dst)
                {
                    {|#0:for (int i = 0; i < src.Length; i++)|}
                    {
                        dst[i] = Collatz(src[i] + _offset);
                    }
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(string.Empty, "Parallel.For", " (not fixed automatically: a lambda cannot capture 'this' of a struct)"));

    [Fact]
    public Task SeveralReductions_NamedInTheMessage_ReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System;

            class C
            {
                public static double Norms(double[] a, double[] b)
                {
                    double s = 0, t = 0;
                    {|#0:for (int i = 0; i < a.Length; i++)|}
                    {
                        s += Math.Pow(a[i], 2);
                        t += Math.Pow(b[i], 2);
                    }

                    return s * t;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the reductions into 's', 't'", "Parallel.ForEach over index ranges",
                " (not fixed automatically: the body folds values into several variables); each worker keeps a partial result, so the order of floating-point additions into 's' and 't' changes and rounding may differ"));

    [Fact]
    public Task LoopInAConstructor_NotReported()
        => Verify.VerifyAnalyzerAsync($$"""
            using System;

            class DelayLine
            {
                private readonly float[] _table;

                public DelayLine(int length, double rate)
                {
                    _table = new float[length];
                    var table = _table;
                    for (int t = 0; t < table.Length; t++)
                    {
                        table[t] = (float)(rate * Math.Sin(2 * Math.PI * t / table.Length));
                    }
                }

                static DelayLine()
                {
                    var steps = new int[4096];
                    for (int i = 0; i < steps.Length; i++)
                    {
                        steps[i] = Collatz(i);
                    }
                }

            {{Collatz}}
            }
            """);

    [Fact]
    public Task TableBuiltWithASmallCountdownInnerLoop_NotReported()
        => NotReported("""
                static uint[] CrcTable()
                {
                    var table = new uint[256];
                    for (int i = 0; i < table.Length; i++)
                    {
                        uint c = (uint)i;
                        for (int k = 8; k > 0; k--)
                        {
                            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                        }

                        table[i] = c;
                    }

                    return table;
                }
            """);

    [Fact]
    public Task CheckedIntegerSum_ReportedWithoutAFix()
        => Verify.VerifyNoCodeFixAsync($$"""
            class C
            {
                public static long Total(long[] seeds)
                {
                    long total = 0;
                    {|#0:for (int i = 0; i < seeds.Length; i++)|}
                    {
                        total = checked(total + Collatz(seeds[i]));
                    }

                    return total;
                }

            {{Collatz}}
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the sum into 'total'", "Parallel.For", " (not fixed automatically: partial sums in a checked context may overflow where the sequential loop does not)"));

    // ---------------------------------------------------------------------------------------------------------
    // Options
    // ---------------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AllowFloatReassociationFalse_FloatSumsAreNotReported_IntegerSumsAre()
    {
        var test = new Verify.Test
        {
            TestCode = $$"""
                class C
                {
                    public static double Total(double[] values)
                    {
                        double total = 0;
                        for (int i = 0; i < values.Length; i++)
                        {
                            total += Collatz((long)values[i]);
                        }

                        return total;
                    }

                    public static long Count(long[] values)
                    {
                        long total = 0;
                        {|#0:for (int i = 0; i < values.Length; i++)|}
                        {
                            total += Collatz(values[i]);
                        }

                        return total;
                    }

                {{Collatz}}
                }
                """,
            FixedCode = $$"""
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    public static double Total(double[] values)
                    {
                        double total = 0;
                        for (int i = 0; i < values.Length; i++)
                        {
                            total += Collatz((long)values[i]);
                        }

                        return total;
                    }

                    public static long Count(long[] values)
                    {
                        long total = 0;
                        Parallel.For(0, values.Length, () => 0L, (i, loopState, localTotal) =>
                        {
                            localTotal += Collatz(values[i]);
                            return localTotal;
                        }, localTotal => Interlocked.Add(ref total, localTotal));

                        return total;
                    }

                {{Collatz}}
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments(" apart from the sum into 'total'", "Parallel.For", string.Empty));
        const string Config = """
            root = true

            [*]
            NOGIL301.allow_float_reassociation = false
            """;
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", Config));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", Config));
        await test.RunAsync(CancellationToken.None);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Must not flag
    // ---------------------------------------------------------------------------------------------------------

    private static Task NotReported(string method, string usings = "")
        => Verify.VerifyAnalyzerAsync($$"""
            {{usings}}
            class C
            {
            {{method}}

            {{Collatz}}
            }
            """);

    [Fact]
    public Task PrefixSum_NotReported()
        => NotReported("""
                static void Scan(long[] a, long[] b)
                {
                    for (int i = 1; i < a.Length; i++)
                    {
                        a[i] = a[i - 1] + Collatz(b[i]);
                    }
                }
            """);

    [Fact]
    public Task Shift_NotReported()
        => NotReported("""
                static void Shift(long[] a)
                {
                    for (int i = 0; i < a.Length - 1; i++)
                    {
                        a[i] = a[i + 1] + Collatz(a[i + 1]);
                    }
                }
            """);

    [Fact]
    public Task Histogram_NotReported()
        => NotReported("""
                static void Histogram(long[] a, int[] h)
                {
                    for (int i = 0; i < a.Length; i++)
                    {
                        h[Collatz(a[i]) % h.Length]++;
                    }
                }
            """);

    [Fact]
    public Task Break_NotReported()
        => NotReported("""
                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        if (src[i] < 0)
                        {
                            break;
                        }

                        dst[i] = Collatz(src[i]);
                    }
                }
            """);

    [Fact]
    public Task Return_NotReported()
        => NotReported("""
                static int Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        if (src[i] < 0)
                        {
                            return i;
                        }

                        dst[i] = Collatz(src[i]);
                    }

                    return -1;
                }
            """);

    [Fact]
    public Task FieldWritten_NotReported()
        => NotReported("""
                private int _last;

                void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]);
                        _last = dst[i];
                    }
                }
            """);

    [Fact]
    public Task StaticWritten_NotReported()
        => NotReported("""
                private static long s_total;

                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]);
                        s_total += dst[i];
                    }
                }
            """);

    [Fact]
    public Task RandomInTheBody_NotReported()
        => NotReported("""
                static void Noise(long[] src, int[] dst, Random random)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]) + random.Next(10);
                    }
                }
            """, "using System;");

    [Fact]
    public Task ConsoleInTheBody_NotReported()
        => NotReported("""
                static void Print(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]);
                        Console.WriteLine(dst[i]);
                    }
                }
            """, "using System;");

    [Fact]
    public Task ListAddInTheBody_NotReported()
        => NotReported("""
                static void Collect(long[] src, List<int> results)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        int steps = Collatz(src[i]);
                        results.Add(steps);
                    }
                }
            """, "using System.Collections.Generic;");

    [Fact]
    public Task ImpureSourceMethod_NotReported()
        => NotReported("""
                private static int s_calls;

                static int Counted(long n)
                {
                    s_calls++;
                    return Collatz(n);
                }

                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Counted(src[i]);
                    }
                }
            """);

    [Fact]
    public Task ConstantTripCountOfAtMost16_NotReported()
        => NotReported("""
                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < 16; i++)
                    {
                        dst[i] = Collatz(src[i]);
                    }
                }
            """);

    [Fact]
    public Task InsideAParallelForBody_NotReported()
        => NotReported("""
                static void Steps(long[][] rows, int[][] results)
                {
                    Parallel.For(0, rows.Length, r =>
                    {
                        var src = rows[r];
                        var dst = results[r];
                        for (int i = 0; i < src.Length; i++)
                        {
                            dst[i] = Collatz(src[i]);
                        }
                    });
                }
            """, "using System.Threading.Tasks;");

    [Fact]
    public Task InsideATaskRunBody_NotReported()
        => NotReported("""
                static Task StepsAsync(long[] src, int[] dst)
                    => Task.Run(() =>
                    {
                        for (int i = 0; i < src.Length; i++)
                        {
                            dst[i] = Collatz(src[i]);
                        }
                    });
            """, "using System.Threading.Tasks;");

    [Fact]
    public Task VolatileFieldRead_NotReported()
        => NotReported("""
                private volatile int _scale;

                void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]) * _scale;
                    }
                }
            """);

    [Fact]
    public Task InductionVariableWritten_NotReported()
        => NotReported("""
                static void Steps(long[] src, int[] dst)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        dst[i] = Collatz(src[i]);
                        if (dst[i] == 0)
                        {
                            i++;
                        }
                    }
                }
            """);

    [Fact]
    public Task LightElementWiseLoop_BelongsToNogil302_NotReported()
        => NotReported("""
                static void Add(float[] a, float[] b, float[] c)
                {
                    for (int i = 0; i < c.Length; i++)
                    {
                        c[i] = a[i] + b[i];
                    }
                }
            """, "using System;");

    [Fact]
    public Task SingleStatementReduction_BelongsToNogil303_NotReported()
        => NotReported("""
                static double Sum(double[] a)
                {
                    double sum = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        sum += Math.Sqrt(a[i]);
                    }

                    return sum;
                }
            """, "using System;");

    [Fact]
    public Task FloatingPointCompareMax_NotReported()
        => NotReported("""
                static double Peak(double[] values)
                {
                    double peak = double.NegativeInfinity;
                    for (int i = 0; i < values.Length; i++)
                    {
                        double v = Collatz((long)values[i]) * values[i];
                        if (v > peak)
                        {
                            peak = v;
                        }
                    }

                    return peak;
                }
            """);

    [Fact]
    public Task CheapBody_NotReported()
        => NotReported("""
                static void Scale(int[] src, int[] dst, int k)
                {
                    for (int i = 0; i < src.Length; i++)
                    {
                        int v = src[i] * k;
                        dst[i] = v + 1;
                    }
                }
            """);

    [Fact]
    public Task OneLineHelper_IsAFewOperations_NotReported()
        => NotReported("""
                // A call into the project is not work by itself: Relu is one instruction per element (docs/precision.md
                // measured a parallel loop around it 1.7-6.8x slower on 1K-1M floats).
                static void Activate(float[] x)
                {
                    for (int j = 0; j < x.Length; j++)
                        x[j] = Relu(x[j]);
                }

                static float Relu(float v) => Math.Max(0, v);
            """, "using System;");

    [Fact]
    public Task InstanceHelperWithABranch_NotReported()
        => NotReported("""
                static void Derivative(float[] x, float[] output)
                {
                    var activation = new Activation();
                    for (int j = 0; j < x.Length; j++)
                    {
                        output[j] = activation.Derivative(x[j]);
                    }
                }

                sealed class Activation
                {
                    public float Derivative(float input) => input > 0 ? 1 : 0;
                }
            """);

    [Fact]
    public Task JaggedAllocation_OnlyMovesData_NotReported()
        => NotReported("""
                static T[][][] AllocArray<T>(int n1, int n2, int n3)
                {
                    T[][][] a = new T[n1][][];
                    for (int i = 0; i < n1; ++i)
                    {
                        a[i] = new T[n2][];
                        for (int j = 0; j < n2; j++)
                        {
                            a[i][j] = new T[n3];
                        }
                    }

                    return a;
                }
            """);

    [Fact]
    public Task WhileLoop_NotReported()
        => NotReported("""
                static void Steps(long[] src, int[] dst)
                {
                    int i = 0;
                    while (i < src.Length)
                    {
                        dst[i] = Collatz(src[i]);
                        i++;
                    }
                }
            """);

    [Fact]
    public Task BrokenCode_DoesNotThrow()
    {
        var test = new Verify.Test
        {
            TestCode = """
                class C
                {
                    static void M(int[] a)
                    {
                        for (int i = 0; i < a.; i++)
                        {
                            a[i] = Undefined(a[i]) + Collatz(
                        }

                        for (int i = 0; i < a.Length; i++)
                        {
                            a[i] = Undefined(a[i]);
                        }
                    }
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        return test.RunAsync(CancellationToken.None);
    }
}
