using System;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil303;

/// <summary>
/// NOGIL303: a scalar loop sums an int array one element at a time; the fix sums a Vector&lt;int&gt; of them per step,
/// then finishes the remainder with the original loop. Measured: the sum of <see cref="Length"/> random ints (the
/// result is exact in both halves). Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil303Benchmarks
{
    private int[] _values = Array.Empty<int>();

    /// <summary>Elements summed per measurement.</summary>
    [Params(16_384, 1_000_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var random = new Random(303);
        _values = new int[Length];
        for (var k = 0; k < _values.Length; k++)
        {
            _values[k] = random.Next(int.MinValue, int.MaxValue);
        }

        var before = Pairs.Nogil303.Before.Totals.Sum(_values);
        var after = Pairs.Nogil303.After.Totals.Sum(_values);
        if (before != after)
        {
            throw new InvalidOperationException($"NOGIL303: Before summed {before}, After {after}; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Before() => Pairs.Nogil303.Before.Totals.Sum(_values);

    [Benchmark]
    public int After() => Pairs.Nogil303.After.Totals.Sum(_values);
}
