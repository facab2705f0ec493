// Benchmark pair for NOGIL104 (lock only the shared-state part instead of synchronizing the whole method).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;

namespace NoGil.Benchmarks.Pairs.Nogil104.After;

/// <summary>Records the median of each batch it is given, from many threads.</summary>
public sealed class MedianLog
{
    private readonly List<double> _medians = new List<double>();
    private readonly object _syncRoot = new object();

    /// <summary>Sorts the batch and records its median; the whole method holds a lock on this object.</summary>
    public void Add(double[] batch)
    {
        var sorted = batch.OrderBy(x => x).ToArray();
        var median = sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
        lock (_syncRoot)
        {
            _medians.Add(median);
        }
    }

    public List<double> Medians() => _medians.OrderBy(x => x).ToList();
}
