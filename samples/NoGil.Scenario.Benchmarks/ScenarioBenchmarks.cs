extern alias after;
extern alias before;

using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace NoGil.Scenario.Benchmarks;

/// <summary>
/// The scenario's batch of <see cref="Requests"/> requests, as written (Before, the baseline) and as the fixes leave it
/// (After). Each measurement is the first batch of a fresh process — ten processes, one measured invocation each, no
/// warmup — because a thread pool that an earlier batch has grown no longer starves: the application meets the blocking
/// waits after every start or quiet period. [GlobalSetup] runs one request of each, which compiles every path (so the
/// measured batch is not JIT compilation) without growing the pool, and checks that both compute the same result.
/// </summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: Launches, warmupCount: 0, iterationCount: 1, id: "FirstBatch")]
[MemoryDiagnoser(displayGenColumns: false)]
public class ScenarioBenchmarks
{
    public const int Launches = 10;

    /// <summary>The fixed dot product adds in another order: results agree to this relative tolerance.</summary>
    private const double Tolerance = 1e-9;

    [Params(64)]
    public int Requests { get; set; }

    [GlobalSetup]
    public void CheckBothComputeTheSameResult()
    {
        var expected = before::NoGil.Scenario.Batch.Run(1);
        var actual = after::NoGil.Scenario.Batch.Run(1);
        if (Math.Abs(expected - actual) > Tolerance * Math.Max(1, Math.Abs(expected)))
        {
            throw new InvalidOperationException($"The fixed scenario computes {actual:R}, the original {expected:R}.");
        }
    }

    [Benchmark(Baseline = true)]
    public double Before() => before::NoGil.Scenario.Batch.Run(Requests);

    [Benchmark]
    public double After() => after::NoGil.Scenario.Batch.Run(Requests);
}
