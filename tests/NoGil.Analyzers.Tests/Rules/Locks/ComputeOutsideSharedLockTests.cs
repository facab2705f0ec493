using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Locks.ComputeOutsideSharedLockAnalyzer,
    NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>;

namespace NoGil.Analyzers.Tests.Rules.Locks;

public sealed class ComputeOutsideSharedLockTests
{
    [Fact]
    public Task ParallelForAddingHeavyResultsUnderOneLock_ComputesOutside()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static List<long> Run(int n)
                {
                    var g = new object();
                    var results = new List<long>();
                    Parallel.For(0, n, i =>
                    {
                        {|#0:lock (g)|}
                        {
                            results.Add(Heavy(i));
                        }
                    });
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static List<long> Run(int n)
                {
                    var g = new object();
                    var results = new List<long>();
                    Parallel.For(0, n, i =>
                    {
                        var heavy = Heavy(i);
                        lock (g)
                        {
                            results.Add(heavy);
                        }
                    });
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "g", "the call to 'C.Heavy'", "compute outside the lock and keep only the shared update inside"));

    [Fact]
    public Task TenTaskRunWorkersStartedInALoop_WholeBodyOneLock_ComputesOutside()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                private static readonly object Gate = new object();
                private static readonly List<long> Results = new List<long>();
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static void Run()
                {
                    var tasks = new Task[10];
                    for (var w = 0; w < 10; w++)
                    {
                        var id = w;
                        tasks[w] = Task.Run(() =>
                        {
                            [|lock (Gate)|]
                            {
                                var r = Heavy(id);
                                Results.Add(r);
                            }
                        });
                    }

                    Task.WaitAll(tasks);
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                private static readonly object Gate = new object();
                private static readonly List<long> Results = new List<long>();
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static void Run()
                {
                    var tasks = new Task[10];
                    for (var w = 0; w < 10; w++)
                    {
                        var id = w;
                        tasks[w] = Task.Run(() =>
                        {
                            var r = Heavy(id);
                            lock (Gate)
                            {
                                Results.Add(r);
                            }
                        });
                    }

                    Task.WaitAll(tasks);
                }
            }
            """);

    [Fact]
    public Task PlinqForAll_ComputesOutside()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static Dictionary<int, long> Run(int[] items)
                {
                    var g = new object();
                    var map = new Dictionary<int, long>();
                    items.AsParallel().ForAll(x =>
                    {
                        [|lock (g)|]
                        {
                            map[x] = Heavy(x);
                        }
                    });
                    return map;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static Dictionary<int, long> Run(int[] items)
                {
                    var g = new object();
                    var map = new Dictionary<int, long>();
                    items.AsParallel().ForAll(x =>
                    {
                        var heavy = Heavy(x);
                        lock (g)
                        {
                            map[x] = heavy;
                        }
                    });
                    return map;
                }
            }
            """);

    [Fact]
    public Task TwoSectionsInOneMethod_FixAllPicksDistinctNames()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static void Run(int n, List<long> evens, List<long> odds)
                {
                    var g = new object();
                    Parallel.For(0, n, i =>
                    {
                        [|lock (g)|]
                        {
                            evens.Add(Heavy(2 * i));
                        }

                        [|lock (g)|]
                        {
                            odds.Add(Heavy((2 * i) + 1));
                        }
                    });
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static void Run(int n, List<long> evens, List<long> odds)
                {
                    var g = new object();
                    Parallel.For(0, n, i =>
                    {
                        var heavy = Heavy(2 * i);
                        lock (g)
                        {
                            evens.Add(heavy);
                        }

                        var heavy2 = Heavy((2 * i) + 1);
                        lock (g)
                        {
                            odds.Add(heavy2);
                        }
                    });
                }
            }
            """);

    [Fact]
    public Task MethodOnASharedNonThreadSafeObject_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class Model
            {
                private readonly double[] _weights = new double[256];
                public void Train(int sample) { for (var k = 0; k < _weights.Length; k++) _weights[k] += sample * 1e-6; }
            }
            class C
            {
                private readonly object _gate = new object();
                private readonly Model _model = new Model();
                public void Run(int n)
                {
                    Parallel.For(0, n, i =>
                    {
                        {|#0:lock (_gate)|}
                        {
                            _model.Train(i);
                        }
                    });
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "_gate", "the call to 'Model.Train'", "the work runs on a shared object that needs the lock: give each worker its own instance, or use a thread-safe one"));

    // ----- Not reported -----

    [Fact]
    public Task Reduction_IsLeftToNogil103()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, i => { lock (g) { sum += F(i); } });
                    return sum;
                }
            }
            """);

    [Fact]
    public Task LockTakenOnlyInLocalFinally_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, () => 0L, (i, state, local) => local + F(i), local => { lock (g) { sum += local; } });
                    return sum;
                }
            }
            """);

    [Fact]
    public Task AlreadyMinimalLock_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static List<long> Run(int n)
                {
                    var g = new object();
                    var results = new List<long>();
                    Parallel.For(0, n, i =>
                    {
                        var h = Heavy(i);
                        lock (g) { results.Add(h); }
                    });
                    return results;
                }
            }
            """);

    [Fact]
    public Task SharedRandomDrawnEveryIteration_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                public static double[] Run(int n)
                {
                    var g = new object();
                    var random = new Random(7);
                    var samples = new double[n * 8];
                    Parallel.For(0, n, i =>
                    {
                        lock (g)
                        {
                            for (var k = 0; k < 100; k++) samples[(i * 8) + (k % 8)] += random.NextDouble();
                        }
                    });
                    return samples;
                }
            }
            """);

    [Fact]
    public Task LockCreatedPerIteration_OrWorkerNotInALoop_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                private static readonly object Gate = new object();
                private static readonly List<long> Results = new List<long>();
                static long Heavy(int i) { long s = 0; for (var k = 0; k < 1000; k++) s += k * i; return s; }
                public static Task RunOnce(int id) => Task.Run(() => { lock (Gate) { Results.Add(Heavy(id)); } });
                public static void PerIteration(int n)
                {
                    Parallel.For(0, n, i => { var mine = new object(); lock (mine) { Results.Add(Heavy(i)); } });
                }
            }
            """);

    // ----- Differential -----

    private const string DifferentialBefore = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        public static class Work
        {
            static long Heavy(int i) { long s = i; for (var k = 0; k < 200; k++) s = (s * 6364136223846793005L) + k; return s; }
            public static long[] Results(int n, int threads)
            {
                var g = new object();
                var results = new List<long>();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    [|lock (g)|]
                    {
                        results.Add(Heavy(i));
                    }
                });
                return results.OrderBy(x => x).ToArray();
            }
            public static long[] Map(int n, int threads)
            {
                var g = new object();
                var map = new Dictionary<int, long>();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    [|lock (g)|]
                    {
                        var h = Heavy(i);
                        map[i] = h;
                    }
                });
                return map.OrderBy(p => p.Key).Select(p => p.Value).ToArray();
            }
        }
        """;

    private const string DifferentialAfter = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        public static class Work
        {
            static long Heavy(int i) { long s = i; for (var k = 0; k < 200; k++) s = (s * 6364136223846793005L) + k; return s; }
            public static long[] Results(int n, int threads)
            {
                var g = new object();
                var results = new List<long>();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var heavy = Heavy(i);
                    lock (g)
                    {
                        results.Add(heavy);
                    }
                });
                return results.OrderBy(x => x).ToArray();
            }
            public static long[] Map(int n, int threads)
            {
                var g = new object();
                var map = new Dictionary<int, long>();
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
                {
                    var h = Heavy(i);
                    lock (g)
                    {
                        map[i] = h;
                    }
                });
                return map.OrderBy(p => p.Key).Select(p => p.Value).ToArray();
            }
        }
        """;

    [Fact]
    public Task Differential_FixOutputIsWhatTheFixerProduces()
        => Verify.VerifyCodeFixAsync(DifferentialBefore, DifferentialAfter);

    [Fact]
    public void Differential_FixedCodeProducesTheSameCollections()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        foreach (var size in LockDifferential.Sizes)
        {
            foreach (var threads in LockDifferential.ThreadCounts)
            {
                for (var run = 0; run < LockDifferential.Runs; run++)
                {
                    Assert.Equal((long[])before.Invoke("Work", "Results", size, threads)!, (long[])after.Invoke("Work", "Results", size, threads)!);
                    Assert.Equal((long[])before.Invoke("Work", "Map", size, threads)!, (long[])after.Invoke("Work", "Map", size, threads)!);
                }
            }
        }
    }
}
