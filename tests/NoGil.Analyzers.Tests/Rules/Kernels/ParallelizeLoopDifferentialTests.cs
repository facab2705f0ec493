using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// NOGIL301 differential tests: every shape of the fix (per index, index ranges, each reduction kind, foreach over an
/// array) is produced by running the fixer on <see cref="Before"/>; both versions are compiled and run on the same
/// random inputs at <see cref="KernelData.Sizes"/>, the parallel one several times. Integer results and Math.Min/Max
/// must be identical; floating-point sums and products — whose order of operations the fix declares to change — within
/// <see cref="FloatReassociationTolerance"/>.
/// </summary>
public sealed class ParallelizeLoopDifferentialTests
{
    /// <summary>Relative tolerance of a reassociated double sum or product of at most a few thousand terms.</summary>
    public const double FloatReassociationTolerance = 1e-9;

    private const int Runs = 4;

    /// <summary>One method per fix shape; each loop is reported once.</summary>
    public const string Before = """
        using System;

        public static class Kernels
        {
            // Per index, no reduction: Mandelbrot rows (inner loop), continue in an inner loop stays.
            public static int[] Mandelbrot(int width, int height, int maxIterations)
            {
                var result = new int[width * height];
                for (int y = 0; y < height; y++)
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

            // Per index, <= bound, continue of the parallel loop itself becomes return.
            public static void Steps(long[] src, int[] dst)
            {
                for (int i = 0; i <= src.Length - 1; i++)
                {
                    if (src[i] <= 0)
                    {
                        dst[i] = -1;
                        continue;
                    }

                    dst[i] = Collatz(src[i]);
                }
            }

            // Per index over a rectangular array, outer loop only.
            public static double[,] Multiply(double[,] a, double[,] b)
            {
                int n = a.GetLength(0), m = b.GetLength(1), p = a.GetLength(1);
                var c = new double[n, m];
                for (int i = 0; i < n; i++)
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

            // Per index over a jagged array.
            public static double[][] MultiplyJagged(double[][] a, double[][] b, int m)
            {
                var c = new double[a.Length][];
                for (int i = 0; i < a.Length; i++)
                {
                    c[i] = new double[m];
                }

                for (int i = 0; i < a.Length; i++)
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

            // Per index: n-body style, an inner loop into a body-local sum.
            public static double[] Forces(double[] pos)
            {
                var acc = new double[pos.Length];
                for (int i = 0; i < pos.Length; i++)
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

            // Versioned (ReferenceEquals): c may be b; c may also be a, which is harmless (row i is read and written by iteration i only).
            public static void MultiplyInto(double[,] a, double[,] b, double[,] c)
            {
                int n = c.GetLength(0), m = c.GetLength(1), p = a.GetLength(1);
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

            // Versioned (ReferenceEquals): acc may be pos.
            public static void ForcesInto(double[] pos, double[] acc)
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

            // Versioned (ReferenceEquals and Array.IndexOf): x may be y, and y may be one of the rows of w.
            public static void Dense(double[][] w, double[] x, double[] y)
            {
                for (int i = 0; i < y.Length; i++)
                {
                    double s = 0;
                    for (int j = 0; j < x.Length; j++)
                    {
                        s += w[i][j] * x[j];
                    }

                    y[i] = Math.Tanh(s);
                }
            }

            // No guard: dst may be src, read and written at the same index.
            public static void MapInPlace(double[] src, double[] dst)
            {
                for (int i = 0; i < src.Length; i++)
                {
                    double x = src[i];
                    dst[i] = (Math.Sin(x) * Math.Cos(x)) + Math.Exp(-x * x);
                }
            }

            // Per index over columns of a flattened matrix (a[j * order + i]): r may be a, at the same elements.
            public static void ExpColumns(double[] a, double[] r, int order)
            {
                for (int i = 0; i < order; i++)
                {
                    for (int j = 0; j < order; j++)
                    {
                        r[(j * order) + i] = Math.Exp(a[(j * order) + i] / 100) * 2;
                    }
                }
            }

            // Ranged reduction: a sum of logarithms (declared reassociation), which no vector rule takes.
            public static double SumLog(double[] x)
            {
                double sum = 0;
                for (int i = 0; i < x.Length; i++)
                {
                    sum += Math.Log(Math.Abs(x[i]) + 1);
                }

                return sum;
            }

            // Index ranges, no guard: one transcendental call in place (dst may be src), which no vector rule takes without TensorPrimitives.
            public static void ExpInPlace(double[] src, double[] dst)
            {
                for (int i = 0; i < src.Length; i++)
                {
                    dst[i] = Math.Exp(src[i] / 100);
                }
            }

            // Index ranges: a light body (transcendental calls, no inner loop).
            public static void Wave(double[] src, double[] dst, double phase)
            {
                for (int i = 0; i < src.Length; i++)
                {
                    double x = src[i] + phase;
                    dst[i] = (Math.Sin(x) * Math.Cos(x)) + Math.Exp(-x * x);
                }
            }

            // Index ranges with a lower bound other than 0 and a continue (kept).
            public static void Clamp(int[] src, int[] dst, int from)
            {
                for (int i = from; i < src.Length; i++)
                {
                    int v = Mix(src[i]);
                    if (v < 0)
                    {
                        continue;
                    }

                    dst[i] = v;
                }
            }

            // Per-index reduction: long sum merged with Interlocked.Add.
            public static long TotalSteps(int[] values)
            {
                long total = 7;
                for (int i = 0; i < values.Length; i++)
                {
                    total += Collatz(values[i]);
                }

                return total;
            }

            // Per-index reduction: double sum merged under a lock (declared reassociation).
            public static double TotalRoots(double[] values)
            {
                double total = 0.5;
                for (int i = 0; i < values.Length; i++)
                {
                    total += Integrate(values[i]);
                }

                return total;
            }

            // Ranged reduction: int sum, wrapping.
            public static int Checksum(int[] values)
            {
                int sum = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    int v = Mix(values[i]);
                    sum += v;
                }

                return sum;
            }

            // Ranged reduction: Math.Max over doubles with NaN and -0 (exact); every value is <= 0, ties of +0 and -0 included.
            public static double Peak(double[] values)
            {
                double peak = double.NegativeInfinity;
                for (int i = 0; i < values.Length; i++)
                {
                    double v = (values[i] > 0 ? -values[i] : values[i]) * Math.Abs(Math.Sin(values[i]));
                    peak = Math.Max(peak, v);
                }

                return peak;
            }

            // Ranged reduction: Math.Min over ints.
            public static int Lowest(int[] values)
            {
                int lowest = int.MaxValue;
                for (int i = 0; i < values.Length; i++)
                {
                    int v = Mix(values[i]);
                    lowest = Math.Min(v, lowest);
                }

                return lowest;
            }

            // Ranged reduction: compare-max over ints.
            public static long Best(long[] values)
            {
                long best = long.MinValue;
                for (int i = 0; i < values.Length; i++)
                {
                    long v = Mix((int)values[i]) * 3L;
                    if (v > best)
                    {
                        best = v;
                    }
                }

                return best;
            }

            // Ranged reduction: xor over uints.
            public static uint Hash(uint[] values)
            {
                uint hash = 2166136261;
                for (int i = 0; i < values.Length; i++)
                {
                    uint v = (uint)Mix((int)values[i]);
                    hash ^= v;
                }

                return hash;
            }

            // Ranged reduction: bitwise AND over ulongs, and a conditional count.
            public static ulong Common(ulong[] values)
            {
                ulong common = ulong.MaxValue;
                for (int i = 0; i < values.Length; i++)
                {
                    ulong v = values[i] | (ulong)Mix((int)values[i]);
                    common &= v;
                }

                return common;
            }

            public static int CountBig(double[] values, double threshold)
            {
                int count = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    double v = Math.Exp(values[i] / 50);
                    if (v > threshold)
                    {
                        count++;
                    }
                }

                return count;
            }

            // Ranged reduction: a wrapping integer product.
            public static long Product(int[] values)
            {
                long product = 3;
                for (int i = 0; i < values.Length; i++)
                {
                    long v = (Mix(values[i]) * 2L) + 1;
                    product *= v;
                }

                return product;
            }

            // Ranged reduction: a double product (declared reassociation).
            public static double Growth(double[] values)
            {
                double growth = 1.0;
                for (int i = 0; i < values.Length; i++)
                {
                    double rate = 1.0 + (Math.Tanh(values[i]) / 1000);
                    growth *= rate;
                }

                return growth;
            }

            // foreach, heavy: Parallel.ForEach over the array with a reduction.
            public static long TotalStepsOf(int[] items)
            {
                long total = 0;
                foreach (var item in items)
                {
                    total += Collatz(item);
                }

                return total;
            }

            // foreach, light: index ranges over the array.
            public static int Positives(double[] items)
            {
                int positives = 0;
                foreach (double item in items)
                {
                    double t = Math.Log(Math.Abs(item) + 1) - 3;
                    if (t > 0)
                    {
                        positives++;
                    }
                }

                return positives;
            }

            private static int Collatz(long n)
            {
                if (n <= 0)
                {
                    return 0;
                }

                int steps = 0;
                while (n != 1)
                {
                    n = n % 2 == 0 ? n / 2 : (3 * n) + 1;
                    steps++;
                }

                return steps;
            }

            private static double Integrate(double x)
            {
                double sum = 0;
                for (int k = 1; k <= 64; k++)
                {
                    sum += Math.Sqrt(Math.Abs(x) + k) / k;
                }

                return sum;
            }

            // Two rounds of a 32-bit finalizer: enough operations (counted into the caller's body) to pay for index ranges.
            private static int Mix(int x)
            {
                uint h = (uint)x * 0x9E3779B1u;
                h ^= h >> 16;
                h *= 0x85EBCA6Bu;
                h ^= h >> 13;
                h *= 0xC2B2AE35u;
                h ^= h >> 16;
                h += 0x7F4A7C15u;
                h ^= h >> 15;
                h *= 0x2C1B3C6Du;
                h ^= h >> 12;
                h *= 0x297A2D39u;
                h ^= h >> 15;
                return (int)h;
            }
        }
        """;

    /// <summary>The number of loops in <see cref="Before"/>, each reported and fixed once.</summary>
    private const int LoopsInBefore = 27;

    private static readonly Lazy<Task<string>> After = new(async () =>
    {
        var result = await FixRunner.FixAllAsync(Before, new ParallelizeLoopAnalyzer(), new ParallelizeLoopFixer(), TestReferences.Runtime, maxRounds: 50);
        var (after, fixes) = (result.FixedSource, result.FixedCount);
        Assert.Equal(LoopsInBefore, fixes);
        return after;
    });

    /// <summary>The arguments of each method for one size, and the tolerance of its results (0: bit-exact).</summary>
    private static readonly (string Method, double Tolerance, Func<int, Random, object?[]> Arguments)[] Cases =
    {
        ("Mandelbrot", 0, (n, _) => new object?[] { n, Math.Min(n, 17), 64 }),
        ("Steps", 0, (n, r) => new object?[] { Longs(n, r), new int[n] }),
        ("Multiply", 0, (n, r) => new object?[] { Matrix(n, (n % 7) + 1, r), Matrix((n % 7) + 1, 5, r) }),
        ("MultiplyJagged", 0, (n, r) => new object?[] { Jagged(n, (n % 5) + 1, r), Jagged((n % 5) + 1, 3, r), 3 }),
        ("Forces", 0, (n, r) => new object?[] { Doubles(n, r) }),
        ("MultiplyInto", 0, (n, r) => new object?[] { Matrix(n, (n % 7) + 1, r), Matrix((n % 7) + 1, 5, r), new double[n, 5] }),
        ("ForcesInto", 0, (n, r) => new object?[] { Doubles(n, r), new double[n] }),
        ("Dense", 0, (n, r) => new object?[] { Jagged(n, (n % 5) + 1, r), Doubles((n % 5) + 1, r), new double[n] }),
        ("MapInPlace", 0, (n, r) => new object?[] { Doubles(n, r), new double[n] }),
        ("ExpColumns", 0, (n, r) => new object?[] { Doubles(Side(n) * Side(n), r), new double[Side(n) * Side(n)], Side(n) }),
        ("SumLog", FloatReassociationTolerance, (n, r) => new object?[] { Doubles(n, r) }),
        ("ExpInPlace", 0, (n, r) => new object?[] { Doubles(n, r), new double[n] }),
        ("Wave", 0, (n, r) => new object?[] { Doubles(n, r), Doubles(n, r), 0.25 }),
        ("Clamp", 0, (n, r) => new object?[] { Random(typeof(int), n, r), new int[n], n / 3 }),
        ("TotalSteps", 0, (n, r) => new object?[] { Ints(n, r) }),
        ("TotalRoots", FloatReassociationTolerance, (n, r) => new object?[] { Doubles(n, r) }),
        ("Checksum", 0, (n, r) => new object?[] { Random(typeof(int), n, r) }),
        ("Peak", 0, (n, r) => new object?[] { Doubles(n, r) }),
        ("Lowest", 0, (n, r) => new object?[] { Random(typeof(int), n, r) }),
        ("Best", 0, (n, r) => new object?[] { Random(typeof(long), n, r) }),
        ("Hash", 0, (n, r) => new object?[] { Random(typeof(uint), n, r) }),
        ("Common", 0, (n, r) => new object?[] { Random(typeof(ulong), n, r) }),
        ("CountBig", 0, (n, r) => new object?[] { Doubles(n, r), 1.5 }),
        ("Product", 0, (n, r) => new object?[] { Random(typeof(int), n, r) }),
        ("Growth", FloatReassociationTolerance, (n, r) => new object?[] { Doubles(n, r) }),
        ("TotalStepsOf", 0, (n, r) => new object?[] { Ints(n, r) }),
        ("Positives", 0, (n, r) => new object?[] { Doubles(n, r) }),
    };

    public static TheoryData<string> Methods
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (method, _, _) in Cases)
            {
                data.Add(method);
            }

            return data;
        }
    }

    [Fact]
    public async Task EveryLoopOfBeforeIsFixed_AndTheFixedCodeIsNotReported()
    {
        var after = await After.Value;
        Assert.DoesNotContain("for (int i = 0; i < values.Length; i++)", after, StringComparison.Ordinal);
        Assert.Contains("Parallel.For(0, height, y =>", after, StringComparison.Ordinal);
        Assert.Contains("Partitioner.Create(0, src.Length)", after, StringComparison.Ordinal);
        Assert.Contains("if (!ReferenceEquals(c, b))", after, StringComparison.Ordinal);
        Assert.Contains("if (!ReferenceEquals(acc, pos))", after, StringComparison.Ordinal);
        Assert.Contains("if (!ReferenceEquals(y, x) && (w == null || Array.IndexOf(w, y) < 0))", after, StringComparison.Ordinal);
        Assert.DoesNotContain("ReferenceEquals(dst, src)", after, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task FixedCodeComputesTheSameResults(string method)
    {
        var (_, tolerance, arguments) = System.Array.Find(Cases, c => c.Method == method);
        using var before = CompileAndRun.Load(Before);
        using var after = CompileAndRun.Load(await After.Value);
        foreach (var size in KernelData.Sizes)
        {
            var inputs = arguments(size, new Random(301_000 + size));
            var expectedArguments = Copy(inputs);
            var expected = before.Invoke("Kernels", method, expectedArguments);
            for (var run = 0; run < Runs; run++)
            {
                var actualArguments = Copy(inputs);
                var actual = after.Invoke("Kernels", method, actualArguments);
                var context = $"{method}, size {size}, run {run}";
                KernelData.AssertSame(expected, actual, tolerance, context + ", result");
                for (var k = 0; k < inputs.Length; k++)
                {
                    KernelData.AssertSame(expectedArguments[k], actualArguments[k], tolerance, context + ", argument " + k);
                }
            }
        }
    }

    /// <summary>
    /// Calls where arrays the fix may run in parallel are one object: the versioned loops must take the original loop (or,
    /// for rows and same-index updates, give the same result in parallel). Square matrices are at most 64 × 64.
    /// </summary>
    private static readonly (string Name, string Method, Func<int, Random, object?[]> Arguments)[] AliasedCases =
    {
        ("Multiply(a, a, a)", "MultiplyInto", (n, r) => Three(Matrix(Math.Min(n, 64), Math.Min(n, 64), r), a => new object?[] { a, a, a })),
        ("Multiply(a, b, a)", "MultiplyInto", (n, r) => new object?[] { Matrix(n, (n % 7) + 1, r), Matrix((n % 7) + 1, (n % 7) + 1, r), null }),
        ("Multiply(a, b, b)", "MultiplyInto", (n, r) => Three(Matrix(Math.Min(n, 64), Math.Min(n, 64), r), b => new object?[] { Matrix(Math.Min(n, 64), Math.Min(n, 64), r), b, b })),
        ("Forces(pos, pos)", "ForcesInto", (n, r) => Three(Doubles(n, r), pos => new object?[] { pos, pos })),
        ("Dense(w, x, w[k])", "Dense", (n, r) => Three(Jagged(Math.Max(1, Side(n)), Math.Max(1, Side(n)), r), w => new object?[] { w, Doubles(w.Length, r), w[w.Length / 2] })),
        ("Dense(w, y, y)", "Dense", (n, r) => Three(Doubles(Side(n), r), y => new object?[] { Jagged(Side(n), Side(n), r), y, y })),
        ("MapInPlace(x, x)", "MapInPlace", (n, r) => Three(Doubles(n, r), x => new object?[] { x, x })),
        ("ExpInPlace(x, x)", "ExpInPlace", (n, r) => Three(Doubles(n, r), x => new object?[] { x, x })),
        ("ExpColumns(a, a, order)", "ExpColumns", (n, r) => Three(Doubles(Side(n) * Side(n), r), a => new object?[] { a, a, Side(n) })),
    };

    public static TheoryData<string> AliasedCalls
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var (name, _, _) in AliasedCases)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AliasedCalls))]
    public async Task AliasedCallsComputeWhatTheOriginalComputes(string name)
    {
        var (_, method, arguments) = System.Array.Find(AliasedCases, c => c.Name == name);
        using var before = CompileAndRun.Load(Before);
        using var after = CompileAndRun.Load(await After.Value);
        foreach (var size in KernelData.Sizes)
        {
            var inputs = arguments(size, new Random(301_500 + size));
            if (inputs.Length == 3 && inputs[2] is null)
            {
                inputs[2] = inputs[0]; // Multiply(a, b, a)
            }

            var expectedArguments = Copy(inputs);
            before.Invoke("Kernels", method, expectedArguments);
            for (var run = 0; run < Runs; run++)
            {
                var actualArguments = Copy(inputs);
                Assert.Equal(Sharing(inputs), Sharing(actualArguments));
                after.Invoke("Kernels", method, actualArguments);
                for (var k = 0; k < inputs.Length; k++)
                {
                    KernelData.AssertSame(expectedArguments[k], actualArguments[k], 0, $"{name}, size {size}, run {run}, argument {k}");
                }
            }
        }
    }

    /// <summary>The side of a square matrix for size <paramref name="n"/>: n itself up to 64 (a 4099 × 4099 matrix would only slow the test).</summary>
    private static int Side(int n) => System.Math.Min(n, 64);

    private static object?[] Three<T>(T value, Func<T, object?[]> arguments) => arguments(value);

    /// <summary>Which arguments are the same object as an earlier one (index of the first), so a copy can be checked to keep the aliasing.</summary>
    private static string Sharing(object?[] arguments)
        => string.Join(",", arguments.Select((a, k) => System.Array.FindIndex(arguments, b => b is not null && ReferenceEquals(a, b)) is var first && first >= 0 && first < k ? first : k))
           + ";" + string.Join(",", arguments.SelectMany((a, k) => a is object[] rows
               ? rows.Select((row, r) => (row, r)).Where(x => x.row is not null).Select(x => k + "[" + x.r + "]=" + System.Array.FindIndex(arguments, b => ReferenceEquals(x.row, b)))
               : Enumerable.Empty<string>()));


    /// <summary>The project's own Parallel.For (<c>NOGIL301.parallel_for_method</c>): blocks of indices, the blocks in parallel.</summary>
    private const string WithPoolHelper = """
        using System;
        using System.Threading.Tasks;

        namespace Scheduling
        {
            public static class Pool
            {
                public static void For(int fromInclusive, int toExclusive, Action<int> body)
                {
                    const int Block = 7;
                    int blocks = (toExclusive - fromInclusive + Block - 1) / Block;
                    Parallel.For(0, Math.Max(0, blocks), b =>
                    {
                        int end = Math.Min(toExclusive, fromInclusive + ((b + 1) * Block));
                        for (int i = fromInclusive + (b * Block); i < end; i++)
                        {
                            body(i);
                        }
                    });
                }
            }
        }

        public static class Kernels
        {
            public static int[] Mandelbrot(int width, int height, int maxIterations)
            {
                var result = new int[width * height];
                for (int y = 0; y < height; y++)
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

            public static void Steps(long[] src, int[] dst)
            {
                for (int i = 1; i <= src.Length - 1; i++)
                {
                    if (src[i] <= 0)
                    {
                        dst[i] = -1;
                        continue;
                    }

                    int steps = 0;
                    for (long n = src[i]; n > 1; n = (n & 1) == 0 ? n / 2 : (3 * n) + 1)
                    {
                        steps++;
                    }

                    dst[i] = steps;
                }
            }
        }
        """;

    [Fact]
    public async Task ParallelForMethod_TheFixCallsTheProjectsHelper_AndComputesTheSameResults()
    {
        var result = await FixRunner.FixAllAsync(
            WithPoolHelper,
            new ParallelizeLoopAnalyzer(),
            new ParallelizeLoopFixer(),
            TestReferences.Runtime,
            globalConfig: "NOGIL301.parallel_for_method = Scheduling.Pool.For\n");
        Assert.Equal(2, result.FixedCount);
        Assert.Contains("Pool.For(0, height, y =>", result.FixedSource, StringComparison.Ordinal);
        Assert.Contains("Pool.For(1, src.Length, i =>", result.FixedSource, StringComparison.Ordinal);
        Assert.DoesNotContain("Parallel.For(0, height", result.FixedSource, StringComparison.Ordinal);

        using var before = CompileAndRun.Load(WithPoolHelper);
        using var after = CompileAndRun.Load(result.FixedSource);
        foreach (var size in KernelData.Sizes)
        {
            var random = new Random(301_500 + size);
            var mandelbrot = new object?[] { size, Math.Min(size, 17), 64 };
            KernelData.AssertSame(before.Invoke("Kernels", "Mandelbrot", mandelbrot), after.Invoke("Kernels", "Mandelbrot", mandelbrot), 0, "Mandelbrot, size " + size);

            var src = Longs(size, random);
            var (expected, actual) = (new int[size], new int[size]);
            before.Invoke("Kernels", "Steps", new object?[] { src, expected });
            after.Invoke("Kernels", "Steps", new object?[] { src, actual });
            KernelData.AssertSame(expected, actual, 0, "Steps, size " + size);
        }
    }

    private static double[] Doubles(int n, Random random) => (double[])KernelData.RandomArray(typeof(double), n, random, specials: true);

    private static Array Random(Type type, int n, Random random) => KernelData.RandomArray(type, n, random);

    /// <summary>Collatz inputs: small, some not positive (the loop's early exit), never overflowing.</summary>
    private static int[] Ints(int n, Random random)
    {
        var values = new int[n];
        for (var k = 0; k < n; k++)
        {
            values[k] = random.Next(-5, 1_000_000);
        }

        return values;
    }

    private static long[] Longs(int n, Random random)
    {
        var values = new long[n];
        for (var k = 0; k < n; k++)
        {
            values[k] = random.Next(-5, 1_000_000);
        }

        return values;
    }

    private static double[,] Matrix(int rows, int columns, Random random)
    {
        var matrix = new double[rows, columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                matrix[r, c] = (random.NextDouble() * 20) - 10;
            }
        }

        return matrix;
    }

    private static double[][] Jagged(int rows, int columns, Random random)
    {
        var matrix = new double[rows][];
        for (var r = 0; r < rows; r++)
        {
            matrix[r] = Doubles(columns, random);
        }

        return matrix;
    }

    /// <summary>
    /// A deep copy of the arguments (arrays and the rows of jagged arrays), so each run starts from the same inputs; an
    /// array passed twice is copied once and passed twice, so aliased calls stay aliased.
    /// </summary>
    private static object?[] Copy(object?[] arguments)
    {
        var copies = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        var copy = new object?[arguments.Length];
        for (var k = 0; k < arguments.Length; k++)
        {
            copy[k] = arguments[k] is Array array ? DeepClone(array, copies) : arguments[k];
        }

        return copy;
    }

    /// <summary>A deep copy that copies each array once, so a row passed as an argument of its own stays that row.</summary>
    private static Array DeepClone(Array array, Dictionary<object, object> copies)
    {
        if (copies.TryGetValue(array, out var known))
        {
            return (Array)known;
        }

        var clone = (Array)array.Clone();
        copies[array] = clone;
        if (array.Rank == 1 && array.GetType().GetElementType()!.IsArray)
        {
            for (var k = 0; k < array.Length; k++)
            {
                clone.SetValue(array.GetValue(k) is Array row ? DeepClone(row, copies) : null, k);
            }
        }

        return clone;
    }
}
