using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>Timed and cancellable waits: reported, fixed only where an await keeps their meaning; zero time-outs are probes.</summary>
public sealed partial class UseAwaitInsteadOfBlockingWaitTests
{
    [Fact]
    public Task TimedWaits_AreReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<bool> M(Task t, Task[] ts, int timeout, CancellationToken ct)
                {
                    await Task.Yield();
                    [|t.Wait(1000)|];
                    var done = [|t.Wait(TimeSpan.FromSeconds(1))|];
                    [|t.Wait(timeout, ct)|];
                    [|Task.WaitAll(ts, 1000)|];
                    [|Task.WaitAll(ts, timeout, ct)|];
                    var index = [|Task.WaitAny(ts, timeout)|];
                    return done && index >= 0 && [|Task.WaitAll(ts, TimeSpan.FromSeconds(1))|] && [|Task.WaitAny(ts, 5)|] >= 0;
                }
            }
            """);

    [Fact]
    public Task TimedWait_MessageSaysWhyThereIsNoFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<bool> M(Task t)
                {
                    await Task.Yield();
                    return {|#0:t.Wait(1000)|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "Wait(timeout)",
                " (not fixed automatically: the wait returns false when the time-out elapses, where 'WaitAsync' would throw a TimeoutException; "
                + "compare 'await Task.WhenAny(task, Task.Delay(timeout))' with the task instead)"));

    [Fact]
    public Task WaitWithToken_BecomesWaitAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, CancellationToken ct)
                {
                    await Task.Yield();
                    {|#0:t.Wait(ct)|};
                    return t.Result;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, CancellationToken ct)
                {
                    await Task.Yield();
                    await t.WaitAsync(ct);
                    return t.Result;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("Wait(token)", ""));

    [Fact]
    public Task WaitAllAndWaitAnyWithToken_AreReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, CancellationToken ct)
                {
                    await Task.Yield();
                    [|Task.WaitAll(new Task[] { a, b }, ct)|];
                    var sum = a.Result + b.Result;
                    return sum + [|Task.WaitAny(new Task[] { a, b }, ct)|];
                }
            }
            """);

    [Fact]
    public Task ZeroTimeouts_AreProbes_AndAreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<bool> M(Task t, Task[] ts, CancellationToken ct)
                {
                    await Task.Yield();
                    var a = t.Wait(0);
                    var b = t.Wait(TimeSpan.Zero);
                    var c = t.Wait(0, ct);
                    var d = Task.WaitAll(ts, 0);
                    var e = Task.WaitAny(ts, 0);
                    var f = Task.WaitAll(ts, TimeSpan.Zero);
                    return a && b && c && d && e >= 0 && f;
                }
            }
            """);

    [Fact]
    public Task InfiniteTimeoutWaitAll_IsReportedWithoutFix_AndCompletesTheTasks()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int>[] all)
                {
                    await Task.Yield();
                    [|Task.WaitAll(all, Timeout.Infinite)|];
                    return all[0].Result + ([|a.Wait(-1)|] ? a.Result : 0);
                }
            }
            """);
}
