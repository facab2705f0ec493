// Benchmark pair for NOGIL101 (move CPU work out of the critical section).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System.Collections.Generic;
using System.Security.Cryptography;

namespace NoGil.Benchmarks.Pairs.Nogil101.After;

/// <summary>A digest cache shared by every request thread.</summary>
public sealed class DigestCache
{
    private readonly object _gate = new object();
    private readonly Dictionary<int, byte[]> _digests = new Dictionary<int, byte[]>();

    /// <summary>Hashes the payload and remembers its digest: the hashing happens while the lock is held.</summary>
    public void Remember(int key, byte[] payload)
    {
        var digest = SHA256.HashData(payload);
        lock (_gate)
        {
            _digests[key] = digest;
        }
    }

    public byte[] Digest(int key)
    {
        lock (_gate)
        {
            return _digests[key];
        }
    }
}
