using System;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil301;

/// <summary>
/// NOGIL301 with loop versioning: <c>c = a × b</c> for <see cref="N"/> × <see cref="N"/> matrices passed as three
/// parameters (c may be b, so the fix checks <c>ReferenceEquals(c, b)</c> and keeps the original loop for that case).
/// Before is the baseline; After runs the rows with Parallel.For behind the check.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil301AliasGuardBenchmarks
{
    private double[,] _a = new double[0, 0];
    private double[,] _b = new double[0, 0];
    private double[,] _c = new double[0, 0];

    [Params(256)]
    public int N { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var random = new Random(301);
        _a = Matrix(N, random);
        _b = Matrix(N, random);
        _c = new double[N, N];

        var before = new double[N, N];
        var after = new double[N, N];
        Pairs.Nogil301.Before.MatrixMultiply.Multiply(_a, _b, before);
        Pairs.Nogil301.After.MatrixMultiply.Multiply(_a, _b, after);
        Check(before, after, "Multiply(a, b, c)");

        // The aliased call takes the original loop in After: the same result as Before, element for element.
        var beforeAliased = (double[,])_a.Clone();
        var afterAliased = (double[,])_a.Clone();
        Pairs.Nogil301.Before.MatrixMultiply.Multiply(beforeAliased, beforeAliased, beforeAliased);
        Pairs.Nogil301.After.MatrixMultiply.Multiply(afterAliased, afterAliased, afterAliased);
        Check(beforeAliased, afterAliased, "Multiply(a, a, a)");
    }

    [Benchmark(Baseline = true)]
    public double[,] Before()
    {
        Pairs.Nogil301.Before.MatrixMultiply.Multiply(_a, _b, _c);
        return _c;
    }

    [Benchmark]
    public double[,] After()
    {
        Pairs.Nogil301.After.MatrixMultiply.Multiply(_a, _b, _c);
        return _c;
    }

    private static double[,] Matrix(int n, Random random)
    {
        var matrix = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                matrix[i, j] = (random.NextDouble() * 2) - 1;
            }
        }

        return matrix;
    }

    private static void Check(double[,] before, double[,] after, string call)
    {
        foreach (var (x, y) in Elements(before, after))
        {
            if (BitConverter.DoubleToInt64Bits(x) != BitConverter.DoubleToInt64Bits(y))
            {
                throw new InvalidOperationException("NOGIL301: Before and After computed different products for " + call + "; the pair is not equivalent.");
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<(double, double)> Elements(double[,] before, double[,] after)
    {
        for (var i = 0; i < before.GetLength(0); i++)
        {
            for (var j = 0; j < before.GetLength(1); j++)
            {
                yield return (before[i, j], after[i, j]);
            }
        }
    }
}
