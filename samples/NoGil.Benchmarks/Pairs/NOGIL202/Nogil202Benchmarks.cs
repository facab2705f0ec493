using BenchmarkDotNet.Attributes;
using NoGil.Benchmarks.Harness;

namespace NoGil.Benchmarks.Pairs.Nogil202;

/// <summary>
/// NOGIL202: an async request handler makes its second I/O call through the synchronous API (<c>FetchPrice</c>); the fix awaits its twin <c>FetchPriceAsync</c>.
/// Measured: the time until the last of <see cref="Requests"/> requests started together has completed, each request
/// making two 1 ms I/O calls, on a thread pool that starts with one thread per core (see <see cref="ColdThreadPoolJobAttribute"/>).
/// </summary>
[ColdThreadPoolJob]
public class Nogil202Benchmarks
{
    /// <summary>Requests started together in one burst.</summary>
    [Params(16, 64)]
    public int Requests { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        ConcurrentRequests.UseMinimalThreadPool();
        ConcurrentRequests.CheckSameResult(
            "NOGIL202",
            ConcurrentRequests.RunOneByOne(Requests, Pairs.Nogil202.Before.OrderService.HandleRequestAsync),
            ConcurrentRequests.RunOneByOne(Requests, Pairs.Nogil202.After.OrderService.HandleRequestAsync));
    }

    [Benchmark(Baseline = true)]
    public long Before() => ConcurrentRequests.Run(Requests, Pairs.Nogil202.Before.OrderService.HandleRequestAsync);

    [Benchmark]
    public long After() => ConcurrentRequests.Run(Requests, Pairs.Nogil202.After.OrderService.HandleRequestAsync);
}
