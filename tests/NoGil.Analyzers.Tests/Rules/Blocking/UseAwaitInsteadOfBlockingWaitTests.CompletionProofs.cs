using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>Completion proofs: switches and patterns on the status, the task a WhenAny returned, successful timed waits.</summary>
public sealed partial class UseAwaitInsteadOfBlockingWaitTests
{
    [Fact]
    public Task SwitchOnStatus_FinalCases_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    switch (t.Status)
                    {
                        case TaskStatus.RanToCompletion:
                            return t.Result;
                        case TaskStatus.Faulted or TaskStatus.Canceled:
                            return t.GetAwaiter().GetResult();
                        default:
                            return -1;
                    }
                }
            }
            """);

    [Fact]
    public Task SwitchOnStatus_OtherCasesAndAfterTheSwitch_AreReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    switch (t.Status)
                    {
                        case TaskStatus.Running:
                            return [|t.Result|];
                        case TaskStatus.RanToCompletion or TaskStatus.WaitingForActivation:
                            return [|t.Result|];
                        case TaskStatus.Faulted:
                            break;
                    }

                    return [|t.Result|];
                }
            }
            """);

    [Fact]
    public Task SwitchExpressionOnStatus_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u)
                {
                    await Task.Yield();
                    var a = t.Status switch
                    {
                        TaskStatus.RanToCompletion => t.Result,
                        _ => 0,
                    };
                    var b = u switch
                    {
                        { IsCompletedSuccessfully: true } => u.Result,
                        _ => 0,
                    };
                    return a + b;
                }
            }
            """);

    [Fact]
    public Task SwitchExpressionOnStatus_OtherArm_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return t.Status switch
                    {
                        TaskStatus.RanToCompletion => 1,
                        _ => [|t.Result|],
                    };
                }
            }
            """);

    [Fact]
    public Task PatternsOnStatusAndCompletion_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u, Task<int> v)
                {
                    await Task.Yield();
                    var sum = 0;
                    if (t is { Status: TaskStatus.RanToCompletion })
                    {
                        sum += t.Result;
                    }

                    if (u.Status is TaskStatus.RanToCompletion or TaskStatus.Faulted)
                    {
                        sum += u.Result;
                    }

                    if (t is { IsCompletedSuccessfully: true } && u is { Status: TaskStatus.RanToCompletion or TaskStatus.Canceled })
                    {
                        sum += t.Result + u.Result;
                    }

                    if (v.Status is not TaskStatus.RanToCompletion)
                    {
                        return sum;
                    }

                    return sum + v.Result;
                }
            }
            """);

    [Fact]
    public Task PatternsThatDoNotProveCompletion_AreReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    var sum = 0;
                    if (t.Status is TaskStatus.Running or TaskStatus.RanToCompletion)
                    {
                        sum += [|t.Result|];
                    }

                    if (t is { IsCompleted: false })
                    {
                        sum += [|t.Result|];
                    }

                    if (t is { Status: not TaskStatus.RanToCompletion })
                    {
                        sum += [|t.Result|];
                    }

                    return sum;
                }
            }
            """);

    [Fact]
    public Task TaskEqualToAwaitedWhenAnyResult_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                {
                    var done = await Task.WhenAny(a, b);
                    if (done == a)
                    {
                        return a.Result;
                    }

                    if (ReferenceEquals(done, b))
                    {
                        return b.Result;
                    }

                    if (object.ReferenceEquals(b, done))
                    {
                        return b.GetAwaiter().GetResult();
                    }

                    if (await Task.WhenAny(c, Task.Delay(1000)) == c)
                    {
                        return c.Result;
                    }

                    var other = await Task.WhenAny<int>([a, c]).ConfigureAwait(false);
                    if (other != c)
                    {
                        return -1;
                    }

                    return c.Result;
                }
            }
            """);

    [Fact]
    public Task TaskNotEqualToAwaitedWhenAnyResult_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b)
                {
                    var done = await Task.WhenAny(a, b);
                    if (done == a)
                    {
                        return [|b.Result|];
                    }

                    if (done != a)
                    {
                        return [|a.Result|];
                    }

                    var pending = Task.WhenAny(a, b);
                    if (pending == (Task)b)
                    {
                        return [|b.Result|];
                    }

                    return 0;
                }
            }
            """);

    [Fact]
    public Task GuardedBySuccessfulTimedWaits_TheTaskIsNotReported()
        => Verify.VerifyNoCodeFixAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u, Task<int>[] all, TimeSpan timeout, CancellationToken ct)
                {
                    await Task.Yield();
                    var sum = 0;
                    if ([|t.Wait(100)|])
                    {
                        sum += t.Result;
                    }

                    if ([|u.Wait(timeout, ct)|] && [|Task.WaitAll(new[] { t, u }, 1000)|])
                    {
                        sum += u.Result + t.Result;
                    }

                    if ([|Task.WaitAll(all, timeout)|])
                    {
                        sum += all[0].Result;
                    }

                    if (![|t.Wait(timeout)|])
                    {
                        return sum;
                    }

                    return sum + t.Result;
                }
            }
            """);

    [Fact]
    public Task AfterTimedWaitWhoseResultIsIgnored_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    if (![|t.Wait(100)|])
                    {
                        return [|t.Result|];
                    }

                    return 0;
                }

                async Task<int> N(Task<int> t)
                {
                    await Task.Yield();
                    [|t.Wait(100)|];
                    return [|t.Result|];
                }
            }
            """);

    [Fact]
    public Task ProbesWithZeroTimeout_GuardWithoutBeingReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int>[] all)
                {
                    await Task.Yield();
                    if (t.Wait(0))
                    {
                        return t.Result;
                    }

                    if (Task.WaitAll(all, TimeSpan.Zero))
                    {
                        return all[0].Result;
                    }

                    return -1;
                }
            }
            """);

    [Fact]
    public Task DualModeCall_InAsyncCode_IsNotReported_ButTheAsynchronousModeIs()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                private readonly Stream _inner = Stream.Null;

                async Task M(byte[] buffer)
                {
                    await Task.Yield();
                    var task = WriteCoreAsync(buffer, isAsync: false);
                    task.Wait();
                    WriteCoreAsync(buffer, isAsync: false).GetAwaiter().GetResult();
                    [|WriteCoreAsync(buffer, isAsync: true).Wait()|];
                }

                private async Task WriteCoreAsync(byte[] buffer, bool isAsync)
                {
                    if (isAsync)
                        await _inner.WriteAsync(buffer, 0, buffer.Length);
                    else
                        _inner.Write(buffer, 0, buffer.Length);
                }
            }
            """);
}
