using BenchmarkDotNet.Attributes;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil203;

/// <summary>
/// NOGIL203: an async request handler calls a synchronous wrapper that blocks on an async API; the fix makes the wrapper async and awaits it.
/// Measured: the time until the last of <see cref="Requests"/> requests started together has completed, each request
/// making two 1 ms I/O calls, on a thread pool that starts with one thread per core (see <see cref="ColdThreadPoolJobAttribute"/>).
/// </summary>
[ColdThreadPoolJob]
public class Nogil203Benchmarks
{
    /// <summary>Requests started together in one burst.</summary>
    [Params(16, 64)]
    public int Requests { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        ConcurrentRequests.UseMinimalThreadPool();
        ConcurrentRequests.CheckSameResult(
            "NOGIL203",
            ConcurrentRequests.RunOneByOne(Requests, Pairs.Nogil203.Before.InventoryService.HandleRequestAsync),
            ConcurrentRequests.RunOneByOne(Requests, Pairs.Nogil203.After.InventoryService.HandleRequestAsync));
    }

    [Benchmark(Baseline = true)]
    public long Before() => ConcurrentRequests.Run(Requests, Pairs.Nogil203.Before.InventoryService.HandleRequestAsync);

    [Benchmark]
    public long After() => ConcurrentRequests.Run(Requests, Pairs.Nogil203.After.InventoryService.HandleRequestAsync);
}
