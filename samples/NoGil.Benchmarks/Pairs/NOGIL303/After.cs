// Benchmark pair for NOGIL303 (vectorize the reduction).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair

using System.Numerics;

namespace NoGil.Benchmarks.Pairs.Nogil303.After;

/// <summary>Sums an array of integers (exact in any order: unchecked addition wraps around).</summary>
public static class Totals
{
    public static int Sum(int[] values)
    {
        int total = 0;
        int i = 0;
        var vsum = Vector<int>.Zero;
        for (; i <= values.Length - Vector<int>.Count; i += Vector<int>.Count)
        {
            vsum += new Vector<int>(values, i);
        }
        total += Vector.Sum(vsum);
        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }
}
