// Benchmark pair for NOGIL204 (run offloaded work concurrently, or do not offload it).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Collections.Generic;
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil204.Before;

/// <summary>Scores a batch of items, offloading each item's CPU work to the thread pool.</summary>
public static class BatchScorer
{
    /// <summary>Rounds of the scoring function: about 1 ms of CPU work per item on the benchmark machine.</summary>
    public const int Rounds = 200_000;

    public static async Task<List<long>> ScoreAllAsync(int[] items)
    {
        var results = new List<long>();
        foreach (var item in items)
        {
            results.Add(await Task.Run(() => Score(item)));
        }

        return results;
    }

    /// <summary>A pure CPU-bound function of one item (an xorshift chain).</summary>
    public static long Score(int item)
    {
        var state = (ulong)item * 0x9E3779B97F4A7C15UL + 1;
        for (var i = 0; i < Rounds; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }

        return (long)(state % 1_000_003);
    }
}
