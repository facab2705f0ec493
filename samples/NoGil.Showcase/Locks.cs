using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace NoGil.Showcase;

/// <summary>NOGIL101–104: work serialized under a lock — the home-made GIL.</summary>
public sealed class Locks
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, byte[]> _digests = new();
    private readonly List<double> _medians = new();

    // NOGIL101: hashing needs no lock, yet every other caller waits for it; the fix hashes first, then locks.
    public void Remember(string key, byte[] payload)
    {
        lock (_gate)
        {
            var digest = SHA256.HashData(payload);
            _digests[key] = digest;
        }
    }

    // NOGIL102: every Parallel.For iteration takes the same lock to run Simulate: the loop runs on one core.
    // The fix computes outside the lock and only adds the result inside.
    public static List<long> SimulateAll(int count)
    {
        var gate = new object();
        var results = new List<long>();
        Parallel.For(0, count, i =>
        {
            lock (gate)
            {
                results.Add(Simulate(i));
            }
        });
        return results;
    }

    // NOGIL103: one Interlocked.Add per item makes every worker fight over one cache line;
    // the fix keeps a partial sum per worker (localInit/localFinally) and adds it once.
    public static long TotalCost(IReadOnlyList<string> items)
    {
        long total = 0;
        Parallel.ForEach(items, item => Interlocked.Add(ref total, Cost(item)));
        return total;
    }

    // NOGIL104: [MethodImpl(MethodImplOptions.Synchronized)] locks 'this' for the whole sort;
    // the fix sorts first and locks a private object around the shared list only.
    [MethodImpl(MethodImplOptions.Synchronized)]
    public void AddBatch(double[] batch)
    {
        var sorted = batch.OrderBy(x => x).ToArray();
        var median = sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
        _medians.Add(median);
    }

    private static long Simulate(int seed)
    {
        var state = (ulong)seed + 1;
        for (var i = 0; i < 10_000; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
        }

        return (long)(state % 1_000_003);
    }

    private static int Cost(string item) => item.Length * 3;
}
