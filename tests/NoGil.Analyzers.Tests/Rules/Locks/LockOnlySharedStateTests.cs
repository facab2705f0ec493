using System;
using System.Linq;
using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Locks.LockOnlySharedStateAnalyzer,
    NoGil.CodeFixes.Rules.Locks.LockOnlySharedStateFixer>;

namespace NoGil.Analyzers.Tests.Rules.Locks;

public sealed class LockOnlySharedStateTests
{
    [Fact]
    public Task SynchronizedMethodWithSorting_LocksOnlyTheSharedPart()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Runtime.CompilerServices;
            class Stats
            {
                private readonly List<double> _medians = new List<double>();

                [{|#0:MethodImpl(MethodImplOptions.Synchronized)|}]
                public void Add(double[] batch)
                {
                    var sorted = batch.OrderBy(x => x).ToArray();
                    var median = sorted[sorted.Length / 2];
                    _medians.Add(median);
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Runtime.CompilerServices;
            class Stats
            {
                private readonly List<double> _medians = new List<double>();
                private readonly object _syncRoot = new object();

                public void Add(double[] batch)
                {
                    var sorted = batch.OrderBy(x => x).ToArray();
                    var median = sorted[sorted.Length / 2];
                    lock (_syncRoot)
                    {
                        _medians.Add(median);
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("'this'", "Add", "the call to 'Enumerable.ToArray'", ""));

    [Fact]
    public Task StaticSynchronizedMethod_UsesAStaticLock()
        => Verify.VerifyCodeFixAsync("""
            using System.Runtime.CompilerServices;
            static class Totals
            {
                private static long s_total;

                [[|MethodImpl(MethodImplOptions.Synchronized)|]]
                public static void Add(int[] values)
                {
                    long local = 0;
                    foreach (var v in values) local += v;
                    s_total += local;
                }
            }
            """, """
            using System.Runtime.CompilerServices;
            static class Totals
            {
                private static long s_total;
                private static readonly object s_syncRoot = new object();

                public static void Add(int[] values)
                {
                    long local = 0;
                    foreach (var v in values) local += v;
                    lock (s_syncRoot)
                    {
                        s_total += local;
                    }
                }
            }
            """);

    [Fact]
    public Task OtherSynchronizedMethodShareTheLock_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Runtime.CompilerServices;
            class Totals
            {
                private long _total;

                [[|MethodImpl(MethodImplOptions.Synchronized)|]]
                public void Add(int[] values)
                {
                    long local = 0;
                    foreach (var v in values) local += v;
                    _total += local;
                }

                [MethodImpl(MethodImplOptions.Synchronized)]
                public long Read() => _total;
            }
            """);

    [Fact]
    public Task WorkOnSharedStateOnly_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            class Totals
            {
                private readonly List<int> _items = new List<int>();

                [[|MethodImpl(MethodImplOptions.Synchronized)|]]
                public long Sum()
                {
                    long sum = 0;
                    foreach (var item in _items) sum += item;
                    return sum;
                }
            }
            """);

    [Fact]
    public Task SynchronizedWithoutCpuWork_OrLazyInitialization_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            class C
            {
                private int _count;
                private List<int>? _table;
                static List<int> Build() { var list = new List<int>(); for (var i = 0; i < 1000; i++) list.Add(i * i); return list; }

                [MethodImpl(MethodImplOptions.Synchronized)]
                public void Increment() => _count++;

                [MethodImpl(MethodImplOptions.Synchronized)]
                public List<int> Table()
                {
                    if (_table == null) _table = Build();
                    return _table;
                }

                [MethodImpl(MethodImplOptions.NoInlining)]
                public long NotSynchronized(int[] values) { long s = 0; foreach (var v in values) s += v; return s; }
            }
            """);

    // ----- Differential -----

    private const string DifferentialBefore = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        public class Stats
        {
            private readonly List<long> _medians = new List<long>();

            [[|MethodImpl(MethodImplOptions.Synchronized)|]]
            public void Add(long[] batch)
            {
                var sorted = batch.OrderBy(x => x).ToArray();
                var median = sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
                _medians.Add(median);
            }

            public long[] Medians() => _medians.OrderBy(x => x).ToArray();

            public static long[] Run(int n, int threads)
            {
                var stats = new Stats();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var batch = new long[(i % 17) + 1];
                    for (var k = 0; k < batch.Length; k++) batch[k] = ((long)i * 7919 + k * 104729) % 1000;
                    stats.Add(batch);
                });
                return stats.Medians();
            }
        }
        """;

    private const string DifferentialAfter = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        public class Stats
        {
            private readonly List<long> _medians = new List<long>();
            private readonly object _syncRoot = new object();

            public void Add(long[] batch)
            {
                var sorted = batch.OrderBy(x => x).ToArray();
                var median = sorted.Length == 0 ? 0 : sorted[sorted.Length / 2];
                lock (_syncRoot)
                {
                    _medians.Add(median);
                }
            }

            public long[] Medians() => _medians.OrderBy(x => x).ToArray();

            public static long[] Run(int n, int threads)
            {
                var stats = new Stats();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var batch = new long[(i % 17) + 1];
                    for (var k = 0; k < batch.Length; k++) batch[k] = ((long)i * 7919 + k * 104729) % 1000;
                    stats.Add(batch);
                });
                return stats.Medians();
            }
        }
        """;

    [Fact]
    public Task Differential_FixOutputIsWhatTheFixerProduces()
        => Verify.VerifyCodeFixAsync(DifferentialBefore, DifferentialAfter);

    [Fact]
    public void Differential_FixedCodeRecordsTheSameMedians()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        foreach (var size in LockDifferential.Sizes)
        {
            foreach (var threads in LockDifferential.ThreadCounts)
            {
                for (var run = 0; run < LockDifferential.Runs; run++)
                {
                    Assert.Equal((long[])before.Invoke("Stats", "Run", size, threads)!, (long[])after.Invoke("Stats", "Run", size, threads)!);
                }
            }
        }
    }
}
