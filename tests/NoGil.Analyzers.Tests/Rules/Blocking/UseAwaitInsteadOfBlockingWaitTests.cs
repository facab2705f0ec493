using System.Threading;
using System.Threading.Tasks;
using NoGil.Analyzers.Rules.Blocking;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Blocking;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

public sealed partial class UseAwaitInsteadOfBlockingWaitTests
{
    [Fact]
    public Task Result_IsAwaited()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return [|t.Result|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return await t;
                }
            }
            """);

    [Fact]
    public Task Wait_IsAwaited()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task t)
                {
                    [|t.Wait()|];
                    await Task.Yield();
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task t)
                {
                    await t;
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task GetAwaiterGetResult_IsAwaited()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(Task<string> t)
                {
                    await Task.Yield();
                    var s = [|t.GetAwaiter().GetResult()|];
                    return s;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(Task<string> t)
                {
                    await Task.Yield();
                    var s = await t;
                    return s;
                }
            }
            """);

    [Fact]
    public Task ConfigureAwaitGetAwaiterGetResult_KeepsConfigureAwait()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task t)
                {
                    await Task.Yield();
                    [|t.ConfigureAwait(false).GetAwaiter().GetResult()|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task t)
                {
                    await Task.Yield();
                    await t.ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task ValueTaskForms_AreAwaited()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(ValueTask v, ValueTask<int> vt)
                {
                    [|v.GetAwaiter().GetResult()|];
                    return [|vt.Result|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(ValueTask v, ValueTask<int> vt)
                {
                    await v;
                    return await vt;
                }
            }
            """);

    [Fact]
    public Task ResultInsideLargerExpression_IsParenthesized()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int Twice(int x) => 2 * x;

                async Task<int> M(Task<string> t, Task<int> u, Task<int> v)
                {
                    await Task.Yield();
                    var length = [|t.Result|].Length;
                    return Twice([|u.Result|]) + [|v.Result|] * 3 + u.Result;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int Twice(int x) => 2 * x;

                async Task<int> M(Task<string> t, Task<int> u, Task<int> v)
                {
                    await Task.Yield();
                    var length = (await t).Length;
                    return Twice(await u) + await v * 3 + u.Result;
                }
            }
            """);

    [Fact]
    public Task WaitAll_BecomesWhenAll()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task a, Task b)
                {
                    await Task.Yield();
                    [|Task.WaitAll(a, b)|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task a, Task b)
                {
                    await Task.Yield();
                    await Task.WhenAll(a, b);
                }
            }
            """);

    [Fact]
    public Task WaitAny_IndexIsPreserved()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task[] ts)
                {
                    await Task.Yield();
                    int i = [|Task.WaitAny(ts)|];
                    return i;
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task[] ts)
                {
                    await Task.Yield();
                    int i = Array.IndexOf(ts, await Task.WhenAny(ts));
                    return i;
                }
            }
            """);

    [Fact]
    public Task WaitAny_WithParamsArguments_IndexIsPreserved()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<string> b)
                {
                    await Task.Yield();
                    return [|Task.WaitAny(a, b)|];
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<string> b)
                {
                    await Task.Yield();
                    return Array.IndexOf(new Task[] { a, b }, await Task.WhenAny(a, b));
                }
            }
            """);

    [Fact]
    public Task WaitAny_WithTasksWrittenInPlace_IndexIsPreserved()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<string> b)
                {
                    await Task.Yield();
                    return [|Task.WaitAny([a, b])|] + [|Task.WaitAny(new Task[] { b, a })|];
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<string> b)
                {
                    await Task.Yield();
                    return Array.IndexOf(new Task[] { a, b }, await Task.WhenAny([a, b])) + Array.IndexOf(new Task[] { b, a }, await Task.WhenAny(new Task[] { b, a }));
                }
            }
            """);

    [Fact]
    public Task WaitAny_ResultUnused_BecomesWhenAny()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task a, Task b)
                {
                    await Task.Yield();
                    [|Task.WaitAny(a, b)|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task a, Task b)
                {
                    await Task.Yield();
                    await Task.WhenAny(a, b);
                }
            }
            """);

    [Fact]
    public Task WaitAny_OnComputedArray_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(List<Task> ts)
                {
                    await Task.Yield();
                    return [|Task.WaitAny(ts.ToArray())|];
                }
            }
            """);

    [Fact]
    public Task AsyncLambdaAndLocalFunction_AreFixed()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                void M(Task<int> t)
                {
                    Func<Task<int>> f = async () => [|t.Result|] + 1;
                    async Task<int> Local() => [|t.Result|];
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                void M(Task<int> t)
                {
                    Func<Task<int>> f = async () => await t + 1;
                    async Task<int> Local() => await t;
                }
            }
            """);

    [Fact]
    public Task BlockingWaitAsMethodArgument_IsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task<string> t)
                {
                    await Task.Yield();
                    Console.WriteLine([|t.GetAwaiter().GetResult()|].Trim());
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task<string> t)
                {
                    await Task.Yield();
                    Console.WriteLine((await t).Trim());
                }
            }
            """);

    [Fact]
    public Task InsideLock_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new object();
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        return [|t.Result|];
                    }
                }
            }
            """);

    [Fact]
    public Task ReassignedAfterAwait_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u)
                {
                    await t;
                    t = u;
                    return [|t.Result|];
                }
            }
            """);

    [Fact]
    public Task AwaitedOnOnlyOneBranch_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, bool b)
                {
                    if (b)
                    {
                        await t;
                    }

                    return [|t.Result|];
                }
            }
            """);

    [Fact]
    public Task AwaitedLaterInLoop_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, int n)
                {
                    var sum = 0;
                    for (var i = 0; i < n; i++)
                    {
                        sum += [|t.Result|];
                        await t;
                    }

                    return sum;
                }
            }
            """);

    // ---- Must not flag -------------------------------------------------------------------------

    [Fact]
    public Task AwaitedEarlier_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await t;
                    return t.Result;
                }
            }
            """);

    [Fact]
    public Task AwaitedEarlierWithConfigureAwait_OnEveryBranch_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, bool b)
                {
                    if (b)
                    {
                        await t.ConfigureAwait(false);
                    }
                    else
                    {
                        var x = await t;
                    }

                    return t.Result + t.GetAwaiter().GetResult();
                }
            }
            """);

    // ----- .NET 9 and later: Task.WhenAll(a, b) binds to params ReadOnlySpan<Task>, a collection expression -----

    [Fact]
    public async Task InAwaitedWhenAll_IsNotReported_OnNet10()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = """
                using System.Threading.Tasks;
                class C
                {
                    async Task<int> M(Task<int> a, Task<int> b, Task<int> c, Task<int> d)
                    {
                        await Task.WhenAll(a, b);
                        await Task.WhenAll<int>([c, d]);
                        return a.Result + b.Result + c.Result + d.Result;
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public async Task AfterWaitAllWithSpanOverload_IsNotReported_OnNet10()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = """
                using System.Threading.Tasks;
                class C
                {
                    async Task<int> M(Task<int> a, Task<int> b)
                    {
                        await Task.Yield();
                        {|#0:Task.WaitAll(a, b)|};
                        return a.Result + b.Result;
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                class C
                {
                    async Task<int> M(Task<int> a, Task<int> b)
                    {
                        await Task.Yield();
                        await Task.WhenAll(a, b);
                        return a.Result + b.Result;
                    }
                }
                """,
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("Task.WaitAll", ""));
        await test.RunAsync();
    }

    [Fact]
    public async Task NotAllAwaited_IsReported_OnNet10()
    {
        var test = new Verify.Test
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = """
                using System.Threading.Tasks;
                class C
                {
                    async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                    {
                        await Task.WhenAll(a, b);
                        return a.Result + [|c.Result|];
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                class C
                {
                    async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                    {
                        await Task.WhenAll(a, b);
                        return a.Result + await c;
                    }
                }
                """,
        };
        await test.RunAsync();
    }

    [Fact]
    public Task InAwaitedWhenAll_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, List<Task<int>> list, Task<int>[] array)
                {
                    await Task.WhenAll(a, b);
                    await Task.WhenAll(list);
                    await Task.WhenAll(array).ConfigureAwait(false);
                    var sum = a.Result + b.Result + list[0].Result + array[1].Result;
                    foreach (var t in list)
                    {
                        sum += t.Result;
                    }

                    return sum;
                }
            }
            """);

    [Fact]
    public Task TaskReturnedByAwaitedWhenAny_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b)
                {
                    var first = await Task.WhenAny(a, b);
                    return first.Result + (await Task.WhenAny(a, b)).Result;
                }
            }
            """);

    [Fact]
    public Task GuardedByCompletionChecks_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u, Task<int> v)
                {
                    await Task.Yield();
                    var sum = 0;
                    if (t.IsCompleted)
                    {
                        sum += t.Result;
                    }

                    if (u.IsCompletedSuccessfully && u.Result > 0)
                    {
                        sum += u.GetAwaiter().GetResult();
                    }

                    if (v.Status == TaskStatus.RanToCompletion)
                    {
                        sum += v.Result;
                    }

                    sum += t.IsCompleted ? t.Result : 0;
                    if (!v.IsCompleted)
                    {
                        return sum;
                    }

                    return sum + v.Result;
                }
            }
            """);

    [Fact]
    public Task GuardedByPatterns_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    if (t.Status is TaskStatus.RanToCompletion)
                    {
                        return t.Result;
                    }

                    if (t is { IsCompleted: true })
                    {
                        return t.Result;
                    }

                    return 0;
                }
            }
            """);

    [Fact]
    public Task AntecedentInsideContinueWith_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    var c = t.ContinueWith(async antecedent =>
                    {
                        await Task.Yield();
                        return antecedent.Result + t.Result;
                    });
                    return await await c;
                }
            }
            """);

    [Fact]
    public Task NameofAndExpressionTrees_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(Task<int> t)
                {
                    await Task.Yield();
                    Expression<Func<int>> e = () => t.Result;
                    return nameof(t.Result) + e;
                }
            }
            """);

    [Fact]
    public Task SynchronousCode_IsNotReportedByThisRule()
        => Verify.VerifyAnalyzerAsync("""
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                int M(Task<int> t) => t.Result;

                async Task<int> N(Task<int>[] ts)
                {
                    await Task.Yield();
                    return ts.Select(x => x.Result).Sum();
                }
            }
            """);

    [Fact]
    public Task CompletedByConstruction_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M()
                {
                    await Task.Yield();
                    Task.CompletedTask.Wait();
                    var t = Task.FromResult(1);
                    return t.Result;
                }
            }
            """);

    [Fact]
    public Task WaitedOnceAlready_IsReportedOnlyOnce()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    [|t.Wait()|];
                    return t.Result;
                }
            }
            """);

    [Fact]
    public Task OffloadThenBlock_IsLeftToNogil204()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F() => 42;
                async Task<int> M()
                {
                    await Task.Yield();
                    return Task.Run(() => F()).Result;
                }
            }
            """);

    [Fact]
    public Task PollingLoopUntilComplete_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    while (!t.IsCompleted)
                    {
                        await Task.Delay(10);
                    }

                    return t.Result;
                }
            }
            """);

    [Fact]
    public Task AwaitedBeforeTry_IsNotReportedInHandlers()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Func<int> f)
                {
                    await t;
                    try
                    {
                        return f();
                    }
                    catch (InvalidOperationException)
                    {
                        return t.Result;
                    }
                    finally
                    {
                        Console.WriteLine(t.Result);
                    }
                }
            }
            """);

    [Fact]
    public Task AwaitedInsideTry_IsReportedInCatch()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Func<Task> before)
                {
                    try
                    {
                        await before();
                        return await t;
                    }
                    catch (InvalidOperationException)
                    {
                        return [|t.Result|];
                    }
                }
            }
            """);

    [Fact]
    public Task CollectionChangedAfterWhenAll_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(List<Task<int>> list, Task<int> extra)
                {
                    await Task.WhenAll(list);
                    list.Add(extra);
                    return [|list[0].Result|];
                }
            }
            """);

    [Fact]
    public Task ConditionalAccess_IsReportedWithoutBreakingTheFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int?> M(Task<int>? t)
                {
                    await Task.Yield();
                    return t?[|.Result|];
                }
            }
            """);

    [Fact]
    public Task FixAll_FixesEveryWaitInTheDocument()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> A(Task<int> t) { await Task.Yield(); return [|t.Result|]; }
                async Task B(Task t) { await Task.Yield(); [|t.Wait()|]; }
                async Task<int> D(Task<int> t) { await Task.Yield(); return [|t.GetAwaiter().GetResult()|] + 1; }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task<int> A(Task<int> t) { await Task.Yield(); return await t; }
                async Task B(Task t) { await Task.Yield(); await t; }
                async Task<int> D(Task<int> t) { await Task.Yield(); return await t + 1; }
            }
            """);

    [Fact]
    public Task OffloadNotReportedByNogil204_IsReportedHere()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static int F() => 42;
                static Task<int> FAsync() => Task.FromResult(42);
                async Task<int> M(CancellationToken ct)
                {
                    await Task.Yield();
                    return [|Task.Run(() => F(), ct).Result|] + [|Task.Run(() => FAsync()).Result|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static int F() => 42;
                static Task<int> FAsync() => Task.FromResult(42);
                async Task<int> M(CancellationToken ct)
                {
                    await Task.Yield();
                    return await Task.Run(() => F(), ct) + await Task.Run(() => FAsync());
                }
            }
            """);

    [Fact]
    public Task OffloadOfBlockingWork_IsReportedHere_AndAwaited()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                async Task<int> M()
                {
                    await Task.Yield();
                    return [|Task.Run(() => GetAsync().Result).Result|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                async Task<int> M()
                {
                    await Task.Yield();
                    return await Task.Run(() => GetAsync().Result);
                }
            }
            """);

    [Fact]
    public Task InfiniteTimeoutWaits_AreReportedAndCompleteTheTask()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                {
                    await Task.Yield();
                    [|a.Wait(-1)|];
                    [|b.Wait(Timeout.Infinite)|];
                    [|c.Wait(Timeout.InfiniteTimeSpan)|];
                    return a.Result + b.Result + c.Result;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b, Task<int> c)
                {
                    await Task.Yield();
                    await a;
                    await b;
                    await c;
                    return a.Result + b.Result + c.Result;
                }
            }
            """);

    [Fact]
    public Task InfiniteTimeoutWaitUsedAsCondition_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return [|t.Wait(-1)|] ? t.Result : 0;
                }
            }
            """);

    // ---- Options: nogil.max_flow_analysis_operations ----

    private const string SmallAsyncMethod = """
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(Task<int> t)
            {
                await Task.Yield();
                return [|t.Result|];
            }
        }
        """;

    private const string SmallAsyncMethodFixed = """
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M(Task<int> t)
            {
                await Task.Yield();
                return await t;
            }
        }
        """;

    [Fact]
    public Task MaxFlowAnalysisOperations_Unset_AnalyzesOrdinaryMethods()
        => Verify.VerifyCodeFixAsync(SmallAsyncMethod, SmallAsyncMethodFixed);

    [Fact]
    public async Task MaxFlowAnalysisOperations_BelowTheMethodSize_SkipsTheMethod()
    {
        var source = NoGil.Analyzers.Tests.Infrastructure.RepositoryFiles.StripMarkup(SmallAsyncMethod);
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            nogil.max_flow_analysis_operations = 5
            """));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task MaxFlowAnalysisOperations_Zero_MeansNoBound()
    {
        var test = new Verify.Test { TestCode = SmallAsyncMethod, FixedCode = SmallAsyncMethodFixed };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            nogil.max_flow_analysis_operations = 0
            """));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task MaxFlowAnalysisOperations_Invalid_FallsBackToTheDefault()
    {
        var test = new Verify.Test { TestCode = SmallAsyncMethod, FixedCode = SmallAsyncMethodFixed };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            nogil.max_flow_analysis_operations = lots
            """));
        await test.RunAsync(CancellationToken.None);
    }
}
