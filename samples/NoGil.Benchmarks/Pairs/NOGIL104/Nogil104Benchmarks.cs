using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil104;

/// <summary>
/// NOGIL104: a [MethodImpl(MethodImplOptions.Synchronized)] method sorts each batch while holding a lock on the
/// object, so concurrent callers sort one at a time; the fix sorts first and locks a private object around the shared
/// list only. Measured: <see cref="Threads"/> threads adding <see cref="Batches"/> batches of 4096 values. Before is the
/// baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil104Benchmarks
{
    private double[][] _batches = Array.Empty<double[]>();

    /// <summary>Threads adding batches at the same time.</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Batches added per measurement.</summary>
    [Params(128)]
    public int Batches { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var random = new Random(104);
        _batches = Enumerable.Range(0, Batches).Select(_ => Enumerable.Range(0, 4096).Select(_ => random.NextDouble()).ToArray()).ToArray();
        if (!RunBefore().Medians().SequenceEqual(RunAfter().Medians()))
        {
            throw new InvalidOperationException("NOGIL104: Before and After recorded different medians; the pair is not equivalent.");
        }
    }

    [Benchmark(Baseline = true)]
    public object Before() => RunBefore();

    [Benchmark]
    public object After() => RunAfter();

    private Pairs.Nogil104.Before.MedianLog RunBefore()
    {
        var log = new Pairs.Nogil104.Before.MedianLog();
        Parallel.For(0, Batches, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => log.Add(_batches[i]));
        return log;
    }

    private Pairs.Nogil104.After.MedianLog RunAfter()
    {
        var log = new Pairs.Nogil104.After.MedianLog();
        Parallel.For(0, Batches, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => log.Add(_batches[i]));
        return log;
    }
}
