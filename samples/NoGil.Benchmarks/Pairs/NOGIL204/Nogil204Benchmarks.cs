using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil204;

/// <summary>
/// NOGIL204: a loop awaits <c>Task.Run</c> once per item, so the items' CPU work runs one at a time; the fix starts
/// them all and awaits <c>Task.WhenAll</c>, so they run on every core. Measured: the time to score
/// <see cref="Items"/> items of about 1 ms of CPU work each. Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil204Benchmarks
{
    private int[] _items = Array.Empty<int>();

    /// <summary>Items in the batch.</summary>
    [Params(16, 64)]
    public int Items { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        _items = Enumerable.Range(1, Items).ToArray();
        var before = Pairs.Nogil204.Before.BatchScorer.ScoreAllAsync(_items).GetAwaiter().GetResult();
        var after = Pairs.Nogil204.After.BatchScorer.ScoreAllAsync(_items).GetAwaiter().GetResult();
        if (!before.SequenceEqual(after))
        {
            throw new InvalidOperationException("NOGIL204: Before and After scored the batch differently; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Before() => Pairs.Nogil204.Before.BatchScorer.ScoreAllAsync(_items).GetAwaiter().GetResult().Count;

    [Benchmark]
    public int After() => Pairs.Nogil204.After.BatchScorer.ScoreAllAsync(_items).GetAwaiter().GetResult().Count;
}
