using System;
using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Locks.UseThreadLocalAggregationAnalyzer,
    NoGil.CodeFixes.Rules.Locks.UseThreadLocalAggregationFixer>;

namespace NoGil.Analyzers.Tests.Rules.Locks;

public sealed class UseThreadLocalAggregationTests
{
    [Fact]
    public Task SumUnderLock_BecomesLocalInitLocalFinally()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) => (long)i * i;
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, i => { {|#0:lock (g)|} { sum += F(i); } });
                    return sum;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) => (long)i * i;
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, () => 0L, (i, loopState, localSum) => { localSum += F(i); return localSum; }, localSum => { lock (g) { sum += localSum; } });
                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "takes the lock on 'g' to update", "sum", string.Empty));

    [Fact]
    public Task InterlockedAdd_ExpressionBody_BecomesLocalInitLocalFinally()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static int Cost(string s) => s.Length;
                public static long Total(List<string> items)
                {
                    long total = 0;
                    Parallel.ForEach(items, x => {|#0:Interlocked.Add(ref total, Cost(x))|});
                    return total;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static int Cost(string s) => s.Length;
                public static long Total(List<string> items)
                {
                    long total = 0;
                    Parallel.ForEach(items, () => 0L, (x, loopState, localSum) => localSum + (Cost(x)), localSum => Interlocked.Add(ref total, localSum));
                    return total;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.ForEach", "uses Interlocked.Add on", "total", string.Empty));

    [Fact]
    public Task InterlockedIncrement_UnderCondition_CountsLocally()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private int _count;
                static bool IsOdd(int n) => (n & 1) == 1;
                public int CountOdd(int n)
                {
                    Parallel.For(0, n, i =>
                    {
                        if (IsOdd(i)) [|Interlocked.Increment(ref _count);|]
                    });
                    return _count;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private int _count;
                static bool IsOdd(int n) => (n & 1) == 1;
                public int CountOdd(int n)
                {
                    Parallel.For(0, n, () => 0, (i, loopState, localCount) =>
                    {
                        if (IsOdd(i)) localCount++;
                        return localCount;
                    }, localCount => Interlocked.Add(ref _count, localCount));
                    return _count;
                }
            }
            """);

    [Fact]
    public Task MaxUnderLock_UsesIdentityAndMathMaxMerge()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                static double Score(double x) => Math.Sqrt(x) * 3;
                public static double Best(double[] xs, ParallelOptions options)
                {
                    var gate = new object();
                    var max = double.NegativeInfinity;
                    Parallel.ForEach(xs, options, x =>
                    {
                        var s = Score(x);
                        [|lock (gate)|]
                        {
                            max = Math.Max(max, s);
                        }
                    });
                    return max;
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                static double Score(double x) => Math.Sqrt(x) * 3;
                public static double Best(double[] xs, ParallelOptions options)
                {
                    var gate = new object();
                    var max = double.NegativeInfinity;
                    Parallel.ForEach(xs, options, () => double.NegativeInfinity, (x, loopState, localMax) =>
                    {
                        var s = Score(x);
                        localMax = Math.Max(localMax, s);
                        return localMax;
                    }, localMax => { lock (gate) { max = Math.Max(max, localMax); } });
                    return max;
                }
            }
            """);

    [Fact]
    public Task EarlyReturn_ReturnsThePartialResult()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                private static readonly object Gate = new object();
                private static int s_total;
                public static void Add(int[] values)
                {
                    Parallel.For(0, values.Length, i =>
                    {
                        if (values[i] < 0) return;
                        [|lock (Gate)|] s_total += values[i];
                    });
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                private static readonly object Gate = new object();
                private static int s_total;
                public static void Add(int[] values)
                {
                    Parallel.For(0, values.Length, () => 0, (i, loopState, localSum) =>
                    {
                        if (values[i] < 0) return localSum;
                        localSum += values[i];
                        return localSum;
                    }, localSum => { lock (Gate) { s_total += localSum; } });
                }
            }
            """);

    [Fact]
    public Task FloatingPointSum_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                public static double Sum(double[] xs)
                {
                    var g = new object();
                    double sum = 0;
                    Parallel.For(0, xs.Length, i => { {|#0:lock (g)|} { sum += xs[i]; } });
                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "takes the lock on 'g' to update", "sum", " (not fixed automatically: per-worker partial sums would change the order of the floating-point additions, so rounding may differ)"));

    [Fact]
    public Task ParenthesizedBody_IsReportedWithoutFix()
        // The body argument is a parenthesized lambda: the rewrite has no faithful form, and a fix that left the code
        // unchanged used to be offered.
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) => (long)i * i;
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, (i => { {|#0:lock (g)|} { sum += F(i); } }));
                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "takes the lock on 'g' to update", "sum", ""));

    [Fact]
    public Task ReorderedNamedArguments_AreReportedWithoutFix()
        // The localInit/localFinally overload takes the arguments in another order; named arguments other than the
        // body are not rewritten.
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) => (long)i * i;
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(toExclusive: n, fromInclusive: 0, body: i => { {|#0:lock (g)|} { sum += F(i); } });
                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "takes the lock on 'g' to update", "sum", ""));

    [Fact]
    public Task CheckedSum_IsReportedWithoutFix()
        // Interlocked.Add wraps, and a checked sum throws when the running total overflows: per-worker partial sums
        // in a checked context would overflow (or not) at other points.
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static long F(int i) => (long)i * i;
                public static long Sum(int n)
                {
                    long sum = 0;
                    checked
                    {
                        Parallel.For(0, n, i => { {|#0:Interlocked.Add(ref sum, F(i));|} });
                    }
                    return sum;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "uses Interlocked.Add on", "sum", " (not fixed automatically: in checked arithmetic a per-worker partial sum can overflow where the shared one does not)"));

    [Fact]
    public async Task CheckedProject_SumIsReportedWithoutFix()
    {
        const string source = """
                using System.Threading.Tasks;
                class C
                {
                    static long F(int i) => (long)i * i;
                    public static long Sum(int n)
                    {
                        var g = new object();
                        long sum = 0;
                        Parallel.For(0, n, i => { {|#0:lock (g)|} { sum += F(i); } });
                        return sum;
                    }
                }
                """;
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, solution.GetProject(projectId)!.CompilationOptions!.WithOverflowChecks(true)));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("Parallel.For", "takes the lock on 'g' to update", "sum", " (not fixed automatically: in checked arithmetic a per-worker partial sum can overflow where the shared one does not)"));
        await test.RunAsync();
    }

    // ----- Not reported -----

    [Fact]
    public Task LockOnlyInLocalFinally_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                public static long Sum(int n)
                {
                    var g = new object();
                    long sum = 0;
                    Parallel.For(0, n, () => 0L, (i, state, local) => local + i, local => { lock (g) { sum += local; } });
                    return sum;
                }
            }
            """);

    [Fact]
    public Task AccumulatorReadElsewhereInTheBody_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                public static long Sum(int n)
                {
                    long total = 0;
                    Parallel.For(0, n, i =>
                    {
                        Interlocked.Add(ref total, i);
                        if (Interlocked.Read(ref total) > 1000) { }
                    });
                    return total;
                }
            }
            """);

    [Fact]
    public Task ImpureValue_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                public static long Sum(int n)
                {
                    var g = new object();
                    var random = new Random(1);
                    long sum = 0;
                    Parallel.For(0, n, i => { lock (g) { sum += random.Next(); } });
                    return sum;
                }
            }
            """);

    [Fact]
    public Task ValueReadingMutableStaticStateUnderTheLock_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                private static int s_bias;
                static long F(int i) => i + s_bias;
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
    public Task CounterBumpedAfterHeavyWork_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private int _done;
                static long Process(int i) { long s = 0; for (var k = 0; k < 100000; k++) s += k ^ i; return s; }
                public void Run(int n, long[] results)
                {
                    Parallel.For(0, n, i =>
                    {
                        results[i] = Process(i);
                        Interlocked.Increment(ref _done);
                    });
                }
            }
            """);

    [Fact]
    public Task InterlockedResultUsed_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                public static int[] Tickets(int n)
                {
                    var next = 0;
                    var tickets = new int[n];
                    Parallel.For(0, n, i => { tickets[i] = Interlocked.Increment(ref next); });
                    return tickets;
                }
            }
            """);

    // ----- Differential: original and fixed code, real threads, several degrees of parallelism -----

    private const string DifferentialBefore = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Kernels
        {
            private static readonly object Gate = new object();
            static long F(int i) { long s = 0; for (var k = 0; k < i % 64; k++) s += (k ^ i) * 2654435761L; return s; }
            static int Cost(int x) => (x * 31) ^ (x >> 3);
            static bool Keep(int x) => (x & 3) != 0;
            public static long Sum(int n, int threads)
            {
                long sum = 0;
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => { [|lock (Gate)|] { sum += F(i); } });
                return sum;
            }
            public static long Total(int[] items, int threads)
            {
                long total = 0;
                Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = threads }, x => [|Interlocked.Add(ref total, Cost(x))|]);
                return total;
            }
            public static int Count(int[] items, int threads)
            {
                var count = 0;
                Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = threads }, x =>
                {
                    if (Keep(x)) [|Interlocked.Increment(ref count);|]
                });
                return count;
            }
            public static double Max(double[] xs, int threads)
            {
                var max = double.NegativeInfinity;
                Parallel.For(0, xs.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, i => { [|lock (Gate)|] { max = Math.Max(max, xs[i]); } });
                return max;
            }
        }
        """;

    private const string DifferentialAfter = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        public static class Kernels
        {
            private static readonly object Gate = new object();
            static long F(int i) { long s = 0; for (var k = 0; k < i % 64; k++) s += (k ^ i) * 2654435761L; return s; }
            static int Cost(int x) => (x * 31) ^ (x >> 3);
            static bool Keep(int x) => (x & 3) != 0;
            public static long Sum(int n, int threads)
            {
                long sum = 0;
                Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0L, (i, loopState, localSum) => { localSum += F(i); return localSum; }, localSum => { lock (Gate) { sum += localSum; } });
                return sum;
            }
            public static long Total(int[] items, int threads)
            {
                long total = 0;
                Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0L, (x, loopState, localSum) => localSum + (Cost(x)), localSum => Interlocked.Add(ref total, localSum));
                return total;
            }
            public static int Count(int[] items, int threads)
            {
                var count = 0;
                Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => 0, (x, loopState, localCount) =>
                {
                    if (Keep(x)) localCount++;
                    return localCount;
                }, localCount => Interlocked.Add(ref count, localCount));
                return count;
            }
            public static double Max(double[] xs, int threads)
            {
                var max = double.NegativeInfinity;
                Parallel.For(0, xs.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => double.NegativeInfinity, (i, loopState, localMax) => { localMax = Math.Max(localMax, xs[i]); return localMax; }, localMax => { lock (Gate) { max = Math.Max(max, localMax); } });
                return max;
            }
        }
        """;

    [Fact]
    public Task Differential_FixOutputIsWhatTheFixerProduces()
        => Verify.VerifyCodeFixAsync(DifferentialBefore, DifferentialAfter);

    [Fact]
    public void Differential_FixedCodeComputesTheSameReductions()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        var random = new Random(103);
        foreach (var size in LockDifferential.Sizes)
        {
            var items = new int[size];
            var doubles = new double[size];
            for (var i = 0; i < size; i++)
            {
                items[i] = random.Next(int.MinValue, int.MaxValue);
                doubles[i] = i % 97 == 5 ? double.NaN : i % 89 == 3 ? -0.0 : (random.NextDouble() - 0.5) * 1e6;
            }

            foreach (var threads in LockDifferential.ThreadCounts)
            {
                for (var run = 0; run < LockDifferential.Runs; run++)
                {
                    Assert.Equal(before.Invoke("Kernels", "Sum", size, threads), after.Invoke("Kernels", "Sum", size, threads));
                    Assert.Equal(before.Invoke("Kernels", "Total", items, threads), after.Invoke("Kernels", "Total", items, threads));
                    Assert.Equal(before.Invoke("Kernels", "Count", items, threads), after.Invoke("Kernels", "Count", items, threads));
                    var maxBefore = (double)before.Invoke("Kernels", "Max", doubles, threads)!;
                    var maxAfter = (double)after.Invoke("Kernels", "Max", doubles, threads)!;
                    Assert.Equal(BitConverter.DoubleToInt64Bits(maxBefore), BitConverter.DoubleToInt64Bits(maxAfter));
                }
            }
        }
    }
}

/// <summary>Inputs shared by the NOGIL1xx differential tests.</summary>
internal static class LockDifferential
{
    public static readonly int[] Sizes = { 0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099 };

    public static readonly int[] ThreadCounts = { 1, 2, 4, 8 };

    public const int Runs = 3;
}
