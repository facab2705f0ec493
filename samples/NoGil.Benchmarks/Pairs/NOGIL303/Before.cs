// Benchmark pair for NOGIL303 (vectorize the reduction).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair

namespace NoGil.Benchmarks.Pairs.Nogil303.Before;

/// <summary>Sums an array of integers (exact in any order: unchecked addition wraps around).</summary>
public static class Totals
{
    public static int Sum(int[] values)
    {
        int total = 0;
        for (int i = 0; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }
}
