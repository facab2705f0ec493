// Benchmark pair for NOGIL103 (aggregate per worker instead of synchronizing every iteration).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil103.After;

/// <summary>Sums a cheap score over a range of items in parallel.</summary>
public static class Scores
{
    public static long Total(int items, int threads)
    {
        var gate = new object();
        long total = 0;
        Parallel.For(0, items, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0L, (i, loopState, localSum) =>
        {
            localSum += Score(i);
            return localSum;
        }, localSum => { lock (gate) { total += localSum; } });

        return total;
    }

    /// <summary>A cheap pure function of one item (a few multiply-xor steps).</summary>
    public static long Score(int item)
    {
        var x = (ulong)item * 0x9E3779B97F4A7C15UL;
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 32;
        return (long)(x & 0xFFFF);
    }
}
