using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;

namespace NoGil.Benchmarks.Harness;

/// <summary>
/// Each measurement is the first burst of a fresh process: ten processes, one measured invocation each, no warmup.
/// A thread pool that earlier iterations have grown no longer starves, and no API shrinks it again (idle threads stay
/// for 20 s and are woken without the injection delay), so blocking waits can only be measured as a service meets
/// them after a start or a quiet period. The benchmark's [GlobalSetup] runs every code path once, one request at a
/// time, so the measured burst is not JIT compilation.
/// </summary>
public sealed class ColdThreadPoolJobAttribute : JobConfigBaseAttribute
{
    public const int Launches = 10;

    public ColdThreadPoolJobAttribute()
        : base(Job.Default
            .WithStrategy(RunStrategy.ColdStart)
            .WithLaunchCount(Launches)
            .WithWarmupCount(0)
            .WithIterationCount(1)
            .WithId("ColdThreadPool"))
    {
    }
}
