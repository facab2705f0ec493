// Benchmark pair for NOGIL102 (compute outside the lock shared by every parallel iteration).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Collections.Generic;
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil102.Before;

/// <summary>Simulates a batch of items in parallel and collects the results in one list.</summary>
public static class Simulator
{
    /// <summary>Rounds of the simulation: about 0.1 ms of CPU work per item.</summary>
    public const int Rounds = 20_000;

    public static List<long> SimulateAll(int items, int threads)
    {
        var gate = new object();
        var results = new List<long>();
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            lock (gate)
            {
                results.Add(Simulate(i));
            }
        });

        return results;
    }

    /// <summary>A pure CPU-bound function of one item (an xorshift chain).</summary>
    public static long Simulate(int item)
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
