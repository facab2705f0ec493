using System;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil103;

/// <summary>
/// NOGIL103: every Parallel.For iteration takes one lock to add its score to a shared total; the fix keeps a partial
/// total per worker (localInit/localFinally) and takes the lock once per worker. Measured: the sum over
/// <see cref="Items"/> items on <see cref="Threads"/> threads. Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil103Benchmarks
{
    /// <summary>Degree of parallelism of the loop.</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Items summed per measurement.</summary>
    [Params(1_000_000)]
    public int Items { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var before = Pairs.Nogil103.Before.Scores.Total(Items, Threads);
        var after = Pairs.Nogil103.After.Scores.Total(Items, Threads);
        if (before != after)
        {
            throw new InvalidOperationException($"NOGIL103: Before summed {before}, After {after}; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public long Before() => Pairs.Nogil103.Before.Scores.Total(Items, Threads);

    [Benchmark]
    public long After() => Pairs.Nogil103.After.Scores.Total(Items, Threads);
}
