using System;
using System.Linq;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;

namespace NoGil.Benchmarks.Pairs.Nogil101;

/// <summary>
/// NOGIL101: a cache hashes each payload while holding its lock, so concurrent callers hash one at a time; the fix
/// hashes before taking the lock. Measured: <see cref="Threads"/> threads remembering <see cref="Items"/> payloads of
/// 64 KB each. Before is the baseline.
/// </summary>
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class Nogil101Benchmarks
{
    private byte[][] _payloads = Array.Empty<byte[]>();

    /// <summary>Threads calling the cache at the same time.</summary>
    [Params(2)]
    public int Threads { get; set; }

    /// <summary>Payloads remembered per measurement.</summary>
    [Params(256)]
    public int Items { get; set; }

    [GlobalSetup]
    public void CheckBothHalvesComputeTheSameResult()
    {
        var random = new Random(101);
        _payloads = Enumerable.Range(0, Items).Select(_ =>
        {
            var payload = new byte[64 * 1024];
            random.NextBytes(payload);
            return payload;
        }).ToArray();

        var before = RunBefore();
        var after = RunAfter();
        for (var i = 0; i < Items; i++)
        {
            if (!before.Digest(i).SequenceEqual(after.Digest(i)))
            {
                throw new InvalidOperationException("NOGIL101: Before and After cached different digests; the pair is not equivalent.");
            }
        }
    }

    [Benchmark(Baseline = true)]
    public object Before() => RunBefore();

    [Benchmark]
    public object After() => RunAfter();

    private Pairs.Nogil101.Before.DigestCache RunBefore()
    {
        var cache = new Pairs.Nogil101.Before.DigestCache();
        Parallel.For(0, Items, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => cache.Remember(i, _payloads[i]));
        return cache;
    }

    private Pairs.Nogil101.After.DigestCache RunAfter()
    {
        var cache = new Pairs.Nogil101.After.DigestCache();
        Parallel.For(0, Items, new ParallelOptions { MaxDegreeOfParallelism = Threads }, i => cache.Remember(i, _payloads[i]));
        return cache;
    }
}
