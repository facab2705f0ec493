using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Locks.MoveWorkOutOfLockAnalyzer,
    NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>;

namespace NoGil.Analyzers.Tests.Rules.Locks;

public sealed class MoveWorkOutOfLockTests
{
    /// <summary>System.Threading.Lock exists from .NET 9; the tests compile against .NET 8, so they declare its shape.</summary>
    internal const string LockStub = """

        namespace System.Threading
        {
            public sealed class Lock
            {
                public Scope EnterScope() => default;
                public ref struct Scope { public void Dispose() { } }
            }
        }
        """;

    // ----- Must flag, with the fix -----

    [Fact]
    public Task Hashing_UnderLock_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    {|#0:lock (_gate)|}
                    {
                        var h = SHA256.HashData(data);
                        _cache[key] = h;
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    lock (_gate)
                    {
                        _cache[key] = h;
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("The call to 'SHA256.HashData'", "_gate", ""));

    [Fact]
    public Task LoopOverLocals_UnderLock_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) => (long)i * i;
                public void Recompute(int n)
                {
                    [|lock (_gate)|]
                    {
                        long local = 0;
                        for (var i = 0; i < n; i++) local += Compute(i);
                        _total = local;
                    }
                }
            }
            """, """
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) => (long)i * i;
                public void Recompute(int n)
                {
                    long local = 0;
                    for (var i = 0; i < n; i++) local += Compute(i);
                    lock (_gate)
                    {
                        _total = local;
                    }
                }
            }
            """);

    [Fact]
    public Task LoopIntoLocalDeclaredBeforeTheLock_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                public void Recompute(int[] values)
                {
                    long local = 0;
                    [|lock (_gate)|]
                    {
                        for (var i = 0; i < values.Length; i++) local += values[i] * (long)values[i];
                        _total = local;
                    }
                }
            }
            """, """
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                public void Recompute(int[] values)
                {
                    long local = 0;
                    for (var i = 0; i < values.Length; i++) local += values[i] * (long)values[i];
                    lock (_gate)
                    {
                        _total = local;
                    }
                }
            }
            """);

    [Fact]
    public Task HeavyValueOfASharedWrite_IsExtracted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    [|lock (_gate)|]
                    {
                        _cache[key] = SHA256.HashData(data);
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var hashData = SHA256.HashData(data);
                    lock (_gate)
                    {
                        _cache[key] = hashData;
                    }
                }
            }
            """);

    [Fact]
    public Task MonitorEnterExit_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) { long s = 0; for (var k = 0; k < i; k++) s += k; return s; }
                public void Recompute(int n)
                {
                    [|Monitor.Enter(_gate)|];
                    try
                    {
                        var local = Compute(n);
                        _total = local;
                    }
                    finally
                    {
                        Monitor.Exit(_gate);
                    }
                }
            }
            """, """
            using System.Threading;
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) { long s = 0; for (var k = 0; k < i; k++) s += k; return s; }
                public void Recompute(int n)
                {
                    var local = Compute(n);
                    Monitor.Enter(_gate);
                    try
                    {
                        _total = local;
                    }
                    finally
                    {
                        Monitor.Exit(_gate);
                    }
                }
            }
            """);

    [Fact]
    public Task MonitorEnterWithLockTaken_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) { long s = 0; for (var k = 0; k < i; k++) s += k; return s; }
                public void Recompute(int n)
                {
                    var taken = false;
                    try
                    {
                        [|Monitor.Enter(_gate, ref taken)|];
                        var local = Compute(n);
                        _total = local;
                    }
                    finally
                    {
                        if (taken) Monitor.Exit(_gate);
                    }
                }
            }
            """, """
            using System.Threading;
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) { long s = 0; for (var k = 0; k < i; k++) s += k; return s; }
                public void Recompute(int n)
                {
                    var taken = false;
                    var local = Compute(n);
                    try
                    {
                        Monitor.Enter(_gate, ref taken);
                        _total = local;
                    }
                    finally
                    {
                        if (taken) Monitor.Exit(_gate);
                    }
                }
            }
            """);

    [Fact]
    public Task MonitorTryEnter_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading;
            class Totals
            {
                private readonly object _gate = new object();
                private long _total;
                static long Compute(int i) { long s = 0; for (var k = 0; k < i; k++) s += k; return s; }
                public void Recompute(int n)
                {
                    var taken = false;
                    try
                    {
                        [|Monitor.TryEnter(_gate, 100, ref taken)|];
                        var local = Compute(n);
                        _total = local;
                    }
                    finally
                    {
                        if (taken) Monitor.Exit(_gate);
                    }
                }
            }
            """);

    [Fact]
    public Task SemaphoreSlimAsMutex_WithAwaitWaitAsync_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            using System.Threading.Tasks;
            class Cache
            {
                private readonly SemaphoreSlim _mutex = new SemaphoreSlim(1, 1);
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public async Task PutAsync(string key, byte[] data)
                {
                    await [|_mutex.WaitAsync()|];
                    try
                    {
                        var h = SHA256.HashData(data);
                        _cache[key] = h;
                    }
                    finally
                    {
                        _mutex.Release();
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            using System.Threading.Tasks;
            class Cache
            {
                private readonly SemaphoreSlim _mutex = new SemaphoreSlim(1, 1);
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public async Task PutAsync(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    await _mutex.WaitAsync();
                    try
                    {
                        _cache[key] = h;
                    }
                    finally
                    {
                        _mutex.Release();
                    }
                }
            }
            """);

    [Fact]
    public Task SemaphoreSlimCreatedInConstructor_WithWait_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            class Totals
            {
                private readonly SemaphoreSlim _mutex;
                private long _total;
                public Totals() { _mutex = new SemaphoreSlim(1); }
                public void Recompute(int[] values)
                {
                    [|_mutex.Wait()|];
                    try
                    {
                        long local = 0;
                        foreach (var v in values) local += v;
                        _total = local;
                    }
                    finally
                    {
                        _mutex.Release();
                    }
                }
            }
            """, """
            using System.Threading;
            class Totals
            {
                private readonly SemaphoreSlim _mutex;
                private long _total;
                public Totals() { _mutex = new SemaphoreSlim(1); }
                public void Recompute(int[] values)
                {
                    long local = 0;
                    foreach (var v in values) local += v;
                    _mutex.Wait();
                    try
                    {
                        _total = local;
                    }
                    finally
                    {
                        _mutex.Release();
                    }
                }
            }
            """);

    [Fact]
    public Task SystemThreadingLock_LockStatement_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    [|lock (_lock)|]
                    {
                        var h = SHA256.HashData(data);
                        _cache[key] = h;
                    }
                }
            }
            """ + LockStub, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    lock (_lock)
                    {
                        _cache[key] = h;
                    }
                }
            }
            """ + LockStub);

    [Fact]
    public Task SystemThreadingLock_EnterScopeBlock_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    using ([|_lock.EnterScope()|])
                    {
                        var h = SHA256.HashData(data);
                        _cache[key] = h;
                    }
                }
            }
            """ + LockStub, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    using (_lock.EnterScope())
                    {
                        _cache[key] = h;
                    }
                }
            }
            """ + LockStub);

    [Fact]
    public Task SystemThreadingLock_UsingDeclaration_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    using var scope = [|_lock.EnterScope()|];
                    var h = SHA256.HashData(data);
                    _cache[key] = h;
                }
            }
            """ + LockStub, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            using System.Threading;
            class Cache
            {
                private readonly Lock _lock = new Lock();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    using var scope = _lock.EnterScope();
                    _cache[key] = h;
                }
            }
            """ + LockStub);

    [Fact]
    public Task WriteLock_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Index
            {
                private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
                private int[] _sorted = new int[0];
                public void Replace(int[] values)
                {
                    [|_rw.EnterWriteLock()|];
                    try
                    {
                        var sorted = values.OrderBy(v => v).ToArray();
                        _sorted = sorted;
                    }
                    finally
                    {
                        _rw.ExitWriteLock();
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            class Index
            {
                private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
                private int[] _sorted = new int[0];
                public void Replace(int[] values)
                {
                    var sorted = values.OrderBy(v => v).ToArray();
                    _rw.EnterWriteLock();
                    try
                    {
                        _sorted = sorted;
                    }
                    finally
                    {
                        _rw.ExitWriteLock();
                    }
                }
            }
            """);

    [Fact]
    public Task Mutex_IsHoisted()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            class Totals
            {
                private readonly Mutex _mutex = new Mutex();
                private long _total;
                public void Recompute(int[] values)
                {
                    [|_mutex.WaitOne()|];
                    try
                    {
                        long local = 0;
                        foreach (var v in values) local += v;
                        _total = local;
                    }
                    finally
                    {
                        _mutex.ReleaseMutex();
                    }
                }
            }
            """, """
            using System.Threading;
            class Totals
            {
                private readonly Mutex _mutex = new Mutex();
                private long _total;
                public void Recompute(int[] values)
                {
                    long local = 0;
                    foreach (var v in values) local += v;
                    _mutex.WaitOne();
                    try
                    {
                        _total = local;
                    }
                    finally
                    {
                        _mutex.ReleaseMutex();
                    }
                }
            }
            """);

    [Fact]
    public Task EverythingLockFree_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            class C
            {
                private readonly object _gate = new object();
                public long Sum(int[] values)
                {
                    long local = 0;
                    [|lock (_gate)|]
                    {
                        foreach (var v in values) local += v;
                    }

                    return local;
                }
            }
            """);

    [Fact]
    public Task NameClashOutsideTheSection_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Security.Cryptography;
            class C
            {
                private readonly object _gate = new object();
                private byte[] _last = new byte[0];
                public void Put(byte[] data, bool again)
                {
                    [|lock (_gate)|]
                    {
                        var h = SHA256.HashData(data);
                        _last = h;
                    }

                    if (again) { var h = 1; _ = h; }
                }
            }
            """);

    [Fact]
    public Task SectionInAnEmbeddedStatement_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Security.Cryptography;
            class C
            {
                private readonly object _gate = new object();
                private byte[] _last = new byte[0];
                public void Put(byte[] data, bool keep)
                {
                    if (keep)
                        [|lock (_gate)|]
                        {
                            var h = SHA256.HashData(data);
                            _last = h;
                        }
                }
            }
            """);

    [Fact]
    public Task WorkAfterASharedWrite_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Security.Cryptography;
            class C
            {
                private readonly object _gate = new object();
                private byte[] _last = new byte[0];
                private int _count;
                public void Put(byte[] data)
                {
                    [|lock (_gate)|]
                    {
                        _count++;
                        var h = SHA256.HashData(data);
                        _last = h;
                    }
                }
            }
            """);

    [Fact]
    public Task CheapPrefixThenHeavyValue_HoistsBoth()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    [|lock (_gate)|]
                    {
                        var k = key.Trim();
                        _cache[k] = SHA256.HashData(data);
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var k = key.Trim();
                    var hashData = SHA256.HashData(data);
                    lock (_gate)
                    {
                        _cache[k] = hashData;
                    }
                }
            }
            """);

    // ----- Must not flag -----

    [Fact]
    public Task LazyInitialization_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class C
            {
                private readonly object _gate = new object();
                private List<int>? _table;
                static List<int> Build() { var list = new List<int>(); for (var i = 0; i < 1000; i++) list.Add(i * i); return list; }
                public List<int> Table
                {
                    get
                    {
                        lock (_gate)
                        {
                            if (_table == null) _table = Build();
                            return _table;
                        }
                    }
                }
                public List<int> Table2
                {
                    get
                    {
                        if (_table == null)
                        {
                            lock (_gate)
                            {
                                if (_table == null)
                                {
                                    _table = Build();
                                }
                            }
                        }

                        return _table;
                    }
                }
                public List<int> Table3()
                {
                    lock (_gate)
                    {
                        _table ??= Build();
                        return _table;
                    }
                }
            }
            """);

    [Fact]
    public Task LoopOverTheGuardedCollection_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class C
            {
                private readonly object _gate = new object();
                private readonly List<int> _items = new List<int>();
                public long Total()
                {
                    lock (_gate)
                    {
                        long sum = 0;
                        foreach (var item in _items) sum += item;
                        return sum;
                    }
                }
            }
            """);

    [Fact]
    public Task LoopUsingTheGuardedObjectEveryIteration_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            class C
            {
                private readonly object _gate = new object();
                private readonly Random _random = new Random(42);
                public double[] Draw(int n)
                {
                    lock (_gate)
                    {
                        var samples = new double[n];
                        for (var i = 0; i < n; i++) samples[i] = _random.NextDouble();
                        return samples;
                    }
                }
            }
            """);

    [Fact]
    public Task TrivialConstantLoop_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private readonly object _gate = new object();
                private int _total;
                public void Add()
                {
                    lock (_gate)
                    {
                        var s = 0;
                        for (var i = 0; i < 4; i++) s += i;
                        _total += s;
                    }
                }
            }
            """);

    [Fact]
    public Task OnlySharedState_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            class C
            {
                private readonly object _gate = new object();
                private readonly List<int> _items = new List<int>();
                private int _count;
                public void Add(int x)
                {
                    lock (_gate)
                    {
                        _count++;
                        _items.Add(x);
                    }
                }
            }
            """);

    [Fact]
    public Task AlreadyMinimalLock_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Security.Cryptography;
            class Cache
            {
                private readonly object _gate = new object();
                private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();
                public void Put(string key, byte[] data)
                {
                    var h = SHA256.HashData(data);
                    lock (_gate)
                    {
                        _cache[key] = h;
                    }
                }
            }
            """);

    [Fact]
    public Task SemaphoreWithCountTwo_IsNotAMutex()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            class Totals
            {
                private readonly SemaphoreSlim _throttle = new SemaphoreSlim(2, 2);
                private long _total;
                public void Recompute(int[] values)
                {
                    _throttle.Wait();
                    try
                    {
                        long local = 0;
                        foreach (var v in values) local += v;
                        _total = local;
                    }
                    finally
                    {
                        _throttle.Release();
                    }
                }
            }
            """);

    [Fact]
    public Task WorkOnThis_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private readonly object _gate = new object();
                private int _factor = 3;
                private long _total;
                long Compute(int n) { long s = 0; for (var i = 0; i < n; i++) s += i * _factor; return s; }
                public void Recompute(int n)
                {
                    lock (_gate)
                    {
                        var local = Compute(n);
                        _total = local;
                    }
                }
            }
            """);

    [Fact]
    public Task CalleeReadingMutableStaticState_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private static readonly object Gate = new object();
                private static int s_factor = 3;
                private static long s_total;
                static long Compute(int n) { long s = 0; for (var i = 0; i < n; i++) s += i * s_factor; return s; }
                public static void Recompute(int n)
                {
                    lock (Gate)
                    {
                        var local = Compute(n);
                        s_total = local;
                    }
                }
                public static void SetFactor(int f) { lock (Gate) { s_factor = f; } }
            }
            """);

    [Fact]
    public Task CalleeReadingConstantsAndReadonlyImmutableStatics_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private static readonly object Gate = new object();
                private static readonly int Factor = 3;
                private const int Offset = 7;
                private static long s_total;
                static long Compute(int n) { long s = 0; for (var i = 0; i < n; i++) s += (i * Factor) + Offset; return s; }
                public static void Recompute(int n)
                {
                    [|lock (Gate)|]
                    {
                        var local = Compute(n);
                        s_total = local;
                    }
                }
            }
            """);

    [Fact]
    public Task ArrayFromAFieldAliasedInALocal_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            class C
            {
                private readonly object _gate = new object();
                private int[] _values = new int[100];
                private long _total;
                public void Recompute()
                {
                    lock (_gate)
                    {
                        var values = _values;
                        long local = 0;
                        foreach (var v in values) local += v;
                        _total = local;
                    }
                }
            }
            """);
}

public sealed class MoveWorkOutOfLockDifferentialTests
{
    private const string DifferentialBefore = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Security.Cryptography;
        using System.Threading;
        using System.Threading.Tasks;
        public sealed class Store
        {
            private readonly object _gate = new object();
            private readonly SemaphoreSlim _mutex = new SemaphoreSlim(1, 1);
            private readonly Dictionary<int, string> _hashes = new Dictionary<int, string>();
            private long _total;
            private long _version;

            public void Put(int key, byte[] data)
            {
                [|lock (_gate)|]
                {
                    var h = SHA256.HashData(data);
                    _hashes[key] = System.Convert.ToHexString(h);
                    _version++;
                }
            }

            public async Task AddAsync(int[] values)
            {
                await [|_mutex.WaitAsync()|];
                try
                {
                    long local = 0;
                    foreach (var v in values) local += (long)v * v;
                    _total += local;
                }
                finally
                {
                    _mutex.Release();
                }
            }

            public string State() => _version + ":" + _total + ":" + string.Join(",", _hashes.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value));

            public static string Run(int n, int threads)
            {
                var store = new Store();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var data = new byte[(i % 13) + 1];
                    for (var k = 0; k < data.Length; k++) data[k] = (byte)(i * 31 + k);
                    store.Put(i % 50, new byte[] { (byte)(i % 50) });
                    store.AddAsync(new[] { i, i + 1, -i }).GetAwaiter().GetResult();
                });
                return store.State();
            }
        }
        """;

    private const string DifferentialAfter = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Security.Cryptography;
        using System.Threading;
        using System.Threading.Tasks;
        public sealed class Store
        {
            private readonly object _gate = new object();
            private readonly SemaphoreSlim _mutex = new SemaphoreSlim(1, 1);
            private readonly Dictionary<int, string> _hashes = new Dictionary<int, string>();
            private long _total;
            private long _version;

            public void Put(int key, byte[] data)
            {
                var h = SHA256.HashData(data);
                lock (_gate)
                {
                    _hashes[key] = System.Convert.ToHexString(h);
                    _version++;
                }
            }

            public async Task AddAsync(int[] values)
            {
                long local = 0;
                foreach (var v in values) local += (long)v * v;
                await _mutex.WaitAsync();
                try
                {
                    _total += local;
                }
                finally
                {
                    _mutex.Release();
                }
            }

            public string State() => _version + ":" + _total + ":" + string.Join(",", _hashes.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value));

            public static string Run(int n, int threads)
            {
                var store = new Store();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var data = new byte[(i % 13) + 1];
                    for (var k = 0; k < data.Length; k++) data[k] = (byte)(i * 31 + k);
                    store.Put(i % 50, new byte[] { (byte)(i % 50) });
                    store.AddAsync(new[] { i, i + 1, -i }).GetAwaiter().GetResult();
                });
                return store.State();
            }
        }
        """;

    [Fact]
    public Task Differential_FixOutputIsWhatTheFixerProduces()
        => Verify.VerifyCodeFixAsync(DifferentialBefore, DifferentialAfter);

    [Fact]
    public void Differential_FixedCodeReachesTheSameFinalState()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        foreach (var size in LockDifferential.Sizes)
        {
            foreach (var threads in LockDifferential.ThreadCounts)
            {
                for (var run = 0; run < LockDifferential.Runs; run++)
                {
                    Assert.Equal(before.Invoke("Store", "Run", size, threads), after.Invoke("Store", "Run", size, threads));
                }
            }
        }
    }
}
