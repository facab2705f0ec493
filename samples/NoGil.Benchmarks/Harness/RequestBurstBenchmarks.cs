using System;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Harness;

/// <summary>
/// Base of the async-rule pairs. Measured: the time until the last of <see cref="Requests"/> requests started
/// together has completed, each request making two 1 ms I/O calls, on a thread pool that starts with one thread
/// per core (see <see cref="ColdThreadPoolJobAttribute"/>). Before is the baseline.
/// </summary>
public abstract class RequestBurstBenchmarks
{
    /// <summary>Requests started together in one burst.</summary>
    [Params(16, 64)]
    public int Requests { get; set; }

    /// <summary>The rule ID, for messages.</summary>
    protected abstract string Rule { get; }

    /// <summary>The request handler as written before the fix.</summary>
    protected abstract Func<int, Task<int>> BeforeHandler { get; }

    /// <summary>The request handler exactly as the fix leaves it.</summary>
    protected abstract Func<int, Task<int>> AfterHandler { get; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        ConcurrentRequests.UseMinimalThreadPool();
        ConcurrentRequests.CheckSameResult(
            Rule,
            ConcurrentRequests.RunOneByOne(Requests, BeforeHandler),
            ConcurrentRequests.RunOneByOne(Requests, AfterHandler));
    }

    [Benchmark(Baseline = true)]
    public long Before() => ConcurrentRequests.Run(Requests, BeforeHandler);

    [Benchmark]
    public long After() => ConcurrentRequests.Run(Requests, AfterHandler);
}
