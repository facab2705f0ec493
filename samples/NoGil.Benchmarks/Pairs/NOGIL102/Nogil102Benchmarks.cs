using System;
using System.Linq;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil102;

/// <summary>
/// NOGIL102: every Parallel.For iteration runs its simulation inside one shared lock, so the loop uses one core at a
/// time; the fix simulates outside the lock and only adds the result inside. Measured: <see cref="Items"/> items of
/// about 0.1 ms each on <see cref="Threads"/> threads. Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil102Benchmarks
{
    /// <summary>Degree of parallelism of the loop.</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Items simulated per measurement.</summary>
    [Params(512)]
    public int Items { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var before = Pairs.Nogil102.Before.Simulator.SimulateAll(Items, Threads).OrderBy(x => x);
        var after = Pairs.Nogil102.After.Simulator.SimulateAll(Items, Threads).OrderBy(x => x);
        if (!before.SequenceEqual(after))
        {
            throw new InvalidOperationException("NOGIL102: Before and After collected different results; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public int Before() => Pairs.Nogil102.Before.Simulator.SimulateAll(Items, Threads).Count;

    [Benchmark]
    public int After() => Pairs.Nogil102.After.Simulator.SimulateAll(Items, Threads).Count;
}
