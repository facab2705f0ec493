using System;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil302;

/// <summary>
/// NOGIL302: a scalar loop computes saxpy (y = a·x + y) one float at a time; the fix computes a Vector&lt;float&gt; of
/// them per step, then finishes the remainder with the original loop. Measured: one saxpy over <see cref="Length"/>
/// floats (the results are bit-identical in both halves). Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil302Benchmarks
{
    private float[] _x = Array.Empty<float>();
    private float[] _y = Array.Empty<float>();

    /// <summary>Elements per measurement.</summary>
    [Params(16_384, 1_000_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var random = new Random(302);
        _x = new float[Length];
        _y = new float[Length];
        for (var k = 0; k < Length; k++)
        {
            _x[k] = (float)(random.NextDouble() * 2 - 1);
            _y[k] = (float)(random.NextDouble() * 2 - 1);
        }

        var before = (float[])_y.Clone();
        var after = (float[])_y.Clone();
        Pairs.Nogil302.Before.Blas.Saxpy(1.5f, _x, before);
        Pairs.Nogil302.After.Blas.Saxpy(1.5f, _x, after);
        for (var k = 0; k < Length; k++)
        {
            if (BitConverter.SingleToInt32Bits(before[k]) != BitConverter.SingleToInt32Bits(after[k]))
            {
                throw new InvalidOperationException($"NOGIL302: y[{k}] is {before[k]:R} Before and {after[k]:R} After; the pair is not equivalent.");
            }
        }
    }

    // y grows by a·x per call in both halves alike; a = 0.5 keeps it far from overflow over every iteration run.
    [Benchmark(Baseline = true)]
    public void Before() => Pairs.Nogil302.Before.Blas.Saxpy(0.5f, _x, _y);

    [Benchmark]
    public void After() => Pairs.Nogil302.After.Blas.Saxpy(0.5f, _x, _y);
}
