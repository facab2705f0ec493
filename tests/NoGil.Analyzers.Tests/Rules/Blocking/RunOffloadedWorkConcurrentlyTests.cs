using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.RunOffloadedWorkConcurrentlyAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.RunOffloadedWorkConcurrentlyFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

public sealed class RunOffloadedWorkConcurrentlyTests
{
    private const string LoopMessage = "Each iteration awaits Task.Run before starting the next, so the items run one at a time; start them all and await Task.WhenAll";

    private static DiagnosticResult Blocked(int location, string text)
        => Verify.Diagnostic().WithLocation(location).WithArguments(text + " runs the work on another thread and blocks this one until it is done; call it directly");

    // ----- Case A: offload-then-block -----

    [Fact]
    public Task Result_OnExpressionLambda_CallsDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x * x;
                int M(int x)
                {
                    var y = {|#0:Task.Run(() => F(x)).Result|};
                    return y;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x * x;
                int M(int x)
                {
                    var y = F(x);
                    return y;
                }
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task Result_InsideLargerExpression_IsParenthesized()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                int M(int a, int b) => {|#0:Task.Run(() => a + b).Result|} * 2;
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                int M(int a, int b) => (a + b) * 2;
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task Result_InAsyncMethod_IsReportedByThisRule()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                async Task<int> M(int x)
                {
                    await Task.Yield();
                    return {|#0:Task.Run(() => F(x)).Result|};
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                async Task<int> M(int x)
                {
                    await Task.Yield();
                    return F(x);
                }
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task Wait_OnActionLambda_CallsDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    {|#0:Task.Run(() => Work(x)).Wait()|};
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    Work(x);
                }
            }
            """, Blocked(0, "Task.Run(...).Wait()"));

    [Fact]
    public Task GetAwaiterGetResult_OnBlockLambdaWithReturn_CallsDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                string M(int x)
                {
                    return {|#0:Task.Run(() => { return F(x); }).GetAwaiter().GetResult()|}.ToString();
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                string M(int x)
                {
                    return F(x).ToString();
                }
            }
            """, Blocked(0, "Task.Run(...).GetAwaiter().GetResult()"));

    [Fact]
    public Task ConfiguredGetResult_CallsDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => {|#0:Task.Run(() => F(x)).ConfigureAwait(false).GetAwaiter().GetResult()|};
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => F(x);
            }
            """, Blocked(0, "Task.Run(...).GetAwaiter().GetResult()"));

    [Fact]
    public Task MethodGroup_IsInvoked()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int Compute() => 42;
                int M() => {|#0:Task.Run(Compute).Result|} + 1;
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int Compute() => 42;
                int M() => Compute() + 1;
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task FactoryStartNew_CallsDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => {|#0:Task.Factory.StartNew(() => F(x)).Result|};
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => F(x);
            }
            """, Blocked(0, "Task.Factory.StartNew(...).Result"));

    [Fact]
    public Task WaitOnBlockLambda_InlinesStatements()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    {|#0:Task.Run(() =>
                    {
                        var y = x + 1;
                        Work(y);
                    }).Wait()|};
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    var y = x + 1;
                    Work(y);
                }
            }
            """, Blocked(0, "Task.Run(...).Wait()"));

    [Fact]
    public Task WaitOnBlockLambda_WithClashingLocal_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    {|#0:Task.Run(() =>
                    {
                        var y = x + 1;
                        Work(y);
                    }).Wait()|};
                    var y = 2;
                    Work(y);
                }
            }
            """, Blocked(0, "Task.Run(...).Wait()"));

    [Fact]
    public Task WaitOnBlockLambda_WithReturn_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    {|#0:Task.Run(() =>
                    {
                        if (x > 0) return;
                        Work(x);
                    }).Wait()|};
                }
            }
            """, Blocked(0, "Task.Run(...).Wait()"));

    [Fact]
    public Task Result_WithConvertedReturn_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                object M() => {|#0:Task.Run<object>(() => 1).Result|};
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task Result_WithOutVariableThatWouldClash_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                int M(string s)
                {
                    var a = {|#0:Task.Run(() => int.TryParse(s, out var v) ? v : 0).Result|};
                    var v = 2;
                    return a + v;
                }
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task Result_WithOutVariable_MovesIt()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                int M(string s)
                {
                    var a = {|#0:Task.Run(() => int.TryParse(s, out var v) ? v : 0).Result|};
                    return a;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                int M(string s)
                {
                    var a = int.TryParse(s, out var v) ? v : 0;
                    return a;
                }
            }
            """, Blocked(0, "Task.Run(...).Result"));

    [Fact]
    public Task FixAll_FixesEveryBlockedOffload()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => {|#0:Task.Run(() => F(x)).Result|} + {|#1:Task.Run(() => F(x + 1)).Result|};
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int M(int x) => F(x) + F(x + 1);
            }
            """, Blocked(0, "Task.Run(...).Result"), Blocked(1, "Task.Run(...).Result"));

    [Fact]
    public Task AsyncDelegate_DeadlockWorkaround_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static async Task<int> FooAsync() { await Task.Yield(); return 1; }
                int M() => Task.Run(() => FooAsync()).Result;
                int N() => Task.Run(async () => await FooAsync()).Result;
                void O() => Task.Run(async () => await FooAsync()).Wait();
            }
            """);

    [Fact]
    public Task LambdaThatBlocksOnATask_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static async Task<int> FooAsync() { await Task.Yield(); return 1; }
                int M() => Task.Run(() => FooAsync().Result).Result;
            }
            """);

    [Fact]
    public Task OverloadsWithTokenOptionsOrScheduler_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static int F() => 1;
                int M(CancellationToken token)
                {
                    var a = Task.Run(() => F(), token).Result;
                    var b = Task.Factory.StartNew(() => F(), TaskCreationOptions.LongRunning).Result;
                    var c = Task.Factory.StartNew(() => F(), token, TaskCreationOptions.None, TaskScheduler.Default).Result;
                    var d = new TaskFactory(TaskScheduler.Default).StartNew(() => F()).Result;
                    return a + b + c + d;
                }
            }
            """);

    [Fact]
    public Task AwaitedOffload_OutsideALoop_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task<int> M(int x) => await Task.Run(() => F(x));
            }
            """);

    [Fact]
    public Task NestedBlockedOffloads_FixAllCallsBothDirectly()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                static int G(int x) => x * 2;
                int M(int x) => {|#0:Task.Run(() => F({|#1:Task.Run(() => G(x)).Result|})).Result|};
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                static int G(int x) => x * 2;
                int M(int x) => F(G(x));
            }
            """, Blocked(0, "Task.Run(...).Result"), Blocked(1, "Task.Run(...).Result"));

    [Fact]
    public Task WaitOnBlockLambda_InEmbeddedStatement_BecomesABlock()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    if (x > 0)
                        {|#0:Task.Run(() => { Work(x); Work(x + 1); }).Wait()|};
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x) { }
                void M(int x)
                {
                    if (x > 0)
                    {
                        Work(x);
                        Work(x + 1);
                    }
                }
            }
            """, Blocked(0, "Task.Run(...).Wait()"));

    [Fact]
    public Task WorkCallingAMethodThatBlocks_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static async Task<int> LoadAsync() { await Task.Yield(); return 1; }
                static int Load() => LoadAsync().GetAwaiter().GetResult();
                int M() => Task.Run(() => Load()).Result;
                int N() => Task.Run(Load).Result;
            }
            """);

    [Fact]
    public Task ExpressionTree_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            class C
            {
                static int F() => 1;
                Expression<Func<int>> M() => () => Task.Run(() => F()).Result;
            }
            """);

    // ----- Case B: one item at a time -----

    [Fact]
    public Task ForEach_AddToList_UsesAddRange()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x * x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Run(() => F(x))|});
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x * x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task ForEach_AddToOtherCollection_KeepsAddInOrder()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static long F(int x) => x + 1L;
                async Task M(List<int> xs, ICollection<long> results)
                {
                    foreach (var x in xs)
                    {
                        results.Add({|#0:await Task.Run(() => F(x))|});
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static long F(int x) => x + 1L;
                async Task M(List<int> xs, ICollection<long> results)
                {
                    foreach (var result in await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))))
                    {
                        results.Add(result);
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task For_UsesEnumerableRange()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static double F(int i) => System.Math.Sqrt(i);
                async Task<List<double>> M(int lo, int hi)
                {
                    var results = new List<double>();
                    for (int i = lo; i < hi; i++)
                        results.Add({|#0:await Task.Run(() => F(i))|});
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static double F(int i) => System.Math.Sqrt(i);
                async Task<List<double>> M(int lo, int hi)
                {
                    var results = new List<double>();
                    results.AddRange(await Task.WhenAll(Enumerable.Range(lo, System.Math.Max(0, hi - lo)).Select(i => Task.Run(() => F(i)))));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task For_OverLength_FromZero_HasNoGuard()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(string s) => s.Length;
                async Task<HashSet<int>> M(string[] items)
                {
                    var results = new HashSet<int>();
                    for (int i = 0; i < items.Length; i++)
                    {
                        results.Add({|#0:await Task.Run(() => F(items[i]))|});
                    }
                    return results;
                }
            }
            """, """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(string s) => s.Length;
                async Task<HashSet<int>> M(string[] items)
                {
                    var results = new HashSet<int>();
                    foreach (var result in await Task.WhenAll(Enumerable.Range(0, items.Length).Select(i => Task.Run(() => F(items[i])))))
                    {
                        results.Add(result);
                    }
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task VoidForm_AwaitsWhenAll()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x)
                {
                    var sum = 0;
                    for (var k = 0; k < x; k++) sum += k;
                }

                async Task M(List<int> xs)
                {
                    foreach (var x in xs) {|#0:await Task.Run(() => Work(x))|};
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static void Work(int x)
                {
                    var sum = 0;
                    for (var k = 0; k < x; k++) sum += k;
                }

                async Task M(List<int> xs)
                {
                    await Task.WhenAll(xs.Select(x => Task.Run(() => Work(x))));
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task VoidForm_ForLoopWithConfigureAwait()
        => Verify.VerifyCodeFixAsync("""
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static void Work(int i) { var a = new int[i]; for (var k = 0; k < a.Length; k++) a[k] = k * k; }
                async Task M()
                {
                    for (int i = 1; i < 64; i++)
                    {
                        {|#0:await Task.Run(() => Work(i)).ConfigureAwait(false)|};
                    }
                }
            }
            """, """
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static void Work(int i) { var a = new int[i]; for (var k = 0; k < a.Length; k++) a[k] = k * k; }
                async Task M()
                {
                    await Task.WhenAll(Enumerable.Range(1, 64 - 1).Select(i => Task.Run(() => Work(i)))).ConfigureAwait(false);
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task ConfigureAwait_IsKeptOnWhenAll()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => System.Math.Abs(x);
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Run(() => F(x)).ConfigureAwait(false)|});
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => System.Math.Abs(x);
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))).ConfigureAwait(false));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task ResultName_AvoidsClashes()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(long x) => (int)x;
                async Task<int> M(long[] xs, IList<int> results)
                {
                    var result = 0;
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Run(() => F(x))|});
                    return result;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(long x) => (int)x;
                async Task<int> M(long[] xs, IList<int> results)
                {
                    var result = 0;
                    foreach (var result1 in await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))))
                        results.Add(result1);
                    return result;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task FixAll_TwoLoops_AddsUsingOnce()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                async Task<List<int>> M(int[] xs, int[] ys)
                {
                    var a = new List<int>();
                    foreach (var x in xs)
                        a.Add({|#0:await Task.Run(() => F(x))|});
                    var b = new List<int>();
                    foreach (var y in ys)
                        b.Add({|#1:await Task.Run(() => F(y))|});
                    a.AddRange(b);
                    return a;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x + 1;
                async Task<List<int>> M(int[] xs, int[] ys)
                {
                    var a = new List<int>();
                    a.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))));
                    var b = new List<int>();
                    b.AddRange(await Task.WhenAll(ys.Select(y => Task.Run(() => F(y)))));
                    a.AddRange(b);
                    return a;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage), Verify.Diagnostic().WithLocation(1).WithArguments(LoopMessage));

    [Fact]
    public Task PureHelpers_AcrossCalls_AreRecognized()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int Digits(string s) => s.Count(char.IsDigit);
                static int Score(string s)
                {
                    var buffer = new int[4];
                    buffer[0] = Digits(s);
                    buffer[1] = s.Trim().Length;
                    return Math.Max(buffer[0], buffer[1]) + int.Parse("1");
                }

                async Task<List<int>> M(List<string> lines)
                {
                    var results = new List<int>();
                    foreach (var line in lines)
                        results.Add({|#0:await Task.Run(() => Score(line))|});
                    return results;
                }
            }
            """, """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int Digits(string s) => s.Count(char.IsDigit);
                static int Score(string s)
                {
                    var buffer = new int[4];
                    buffer[0] = Digits(s);
                    buffer[1] = s.Trim().Length;
                    return Math.Max(buffer[0], buffer[1]) + int.Parse("1");
                }

                async Task<List<int>> M(List<string> lines)
                {
                    var results = new List<int>();
                    results.AddRange(await Task.WhenAll(lines.Select(line => Task.Run(() => Score(line)))));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task FactoryStartNew_InLoop_IsKept()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Factory.StartNew(() => F(x))|});
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    results.AddRange(await Task.WhenAll(xs.Select(x => Task.Factory.StartNew(() => F(x)))));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage.Replace("Task.Run", "Task.Factory.StartNew")));

    [Fact]
    public Task ResultsField_UsesAddRange()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                private readonly List<string> _names = new List<string>();
                static string Describe(int x) => "item " + x.ToString();
                async Task M(int[] xs)
                {
                    foreach (var x in xs)
                    {
                        _names.Add({|#0:await Task.Run(() => Describe(x))|});
                    }
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                private readonly List<string> _names = new List<string>();
                static string Describe(int x) => "item " + x.ToString();
                async Task M(int[] xs)
                {
                    _names.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => Describe(x)))));
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task PureValueObjects_AreRecognized()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            struct Acc
            {
                public long Sum;
                public void Add(long v) { Sum += v; }
            }
            sealed class Box
            {
                public Box(int v) { Value = v * 2; }
                public int Value { get; }
            }
            class C
            {
                static long Total(int n)
                {
                    var acc = new Acc();
                    var squares = new List<long>();
                    for (var i = 0; i < n; i++) { acc.Add(i); squares.Add((long)i * i); }
                    return acc.Sum + squares.Sum() + new Box(n).Value;
                }

                async Task<List<long>> M(int[] xs)
                {
                    var results = new List<long>();
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Run(() => Total(x))|});
                    return results;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            struct Acc
            {
                public long Sum;
                public void Add(long v) { Sum += v; }
            }
            sealed class Box
            {
                public Box(int v) { Value = v * 2; }
                public int Value { get; }
            }
            class C
            {
                static long Total(int n)
                {
                    var acc = new Acc();
                    var squares = new List<long>();
                    for (var i = 0; i < n; i++) { acc.Add(i); squares.Add((long)i * i); }
                    return acc.Sum + squares.Sum() + new Box(n).Value;
                }

                async Task<List<long>> M(int[] xs)
                {
                    var results = new List<long>();
                    results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => Total(x)))));
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task ResultsReachableThroughAnotherVariable_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x, List<int> seen) => x + seen.Count;
                async Task M(int[] xs, List<int> results, List<int> alias)
                {
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => F(x, alias)));
                }
            }
            """);

    [Fact]
    public Task DocsExample_ForIntoCollection_KeepsAddPerResult()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static double Root(int i) => Math.Sqrt(i);
                async Task RootsAsync(int lo, int hi, ICollection<double> sink)
                {
                    for (int i = lo; i < hi; i++)
                        sink.Add({|#0:await Task.Run(() => Root(i))|});
                }
            }
            """, """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                static double Root(int i) => Math.Sqrt(i);
                async Task RootsAsync(int lo, int hi, ICollection<double> sink)
                {
                    foreach (var result in await Task.WhenAll(Enumerable.Range(lo, Math.Max(0, hi - lo)).Select(i => Task.Run(() => Root(i)))))
                        sink.Add(result);
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task NoUsingsAtAll_AddsThem()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static int F(int x) => x;
                async System.Threading.Tasks.Task M(int[] xs, System.Collections.Generic.List<int> results)
                {
                    foreach (var x in xs)
                        results.Add({|#0:await System.Threading.Tasks.Task.Run(() => F(x))|});
                }
            }
            """, """
            using System.Linq;
            using System.Threading.Tasks;

            class C
            {
                static int F(int x) => x;
                async System.Threading.Tasks.Task M(int[] xs, System.Collections.Generic.List<int> results)
                {
                    results.AddRange(await Task.WhenAll(xs.Select(x => System.Threading.Tasks.Task.Run(() => F(x)))));
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task RecursiveAndMutuallyRecursiveHelpers_ArePure()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
                static int Even(int n) => n == 0 ? 1 : Odd(n - 1);
                static int Odd(int n) => n == 0 ? 0 : Even(n - 1);
                async Task<List<long>> M(int[] xs)
                {
                    var results = new List<long>();
                    foreach (var x in xs)
                        results.Add({|#0:await Task.Run(() => Fib(x) + Even(x))|});
                    return results;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));

    [Fact]
    public Task HelperInAnotherFile_IsSummarized()
    {
        const string Helper = """
            static class Helpers
            {
                public static int Pure(int x) => System.Math.Abs(x) % 7;
                public static int Impure(int x) { System.Console.WriteLine(x); return x; }
            }
            """;
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    """
                    using System.Collections.Generic;
                    using System.Linq;
                    using System.Threading.Tasks;
                    class C
                    {
                        async Task<List<int>> M(int[] xs)
                        {
                            var results = new List<int>();
                            foreach (var x in xs)
                                results.Add({|#0:await Task.Run(() => Helpers.Pure(x))|});
                            foreach (var x in xs)
                                results.Add(await Task.Run(() => Helpers.Impure(x)));
                            return results;
                        }
                    }
                    """,
                    Helper,
                },
            },
            FixedState =
            {
                Sources =
                {
                    """
                    using System.Collections.Generic;
                    using System.Linq;
                    using System.Threading.Tasks;
                    class C
                    {
                        async Task<List<int>> M(int[] xs)
                        {
                            var results = new List<int>();
                            results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => Helpers.Pure(x)))));
                            foreach (var x in xs)
                                results.Add(await Task.Run(() => Helpers.Impure(x)));
                            return results;
                        }
                    }
                    """,
                    Helper,
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));
        return test.RunAsync();
    }

    [Fact]
    public Task LongCallChainsAndBigBodies_StayBounded()
    {
        var chain = new System.Text.StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            chain.Append("    static int H").Append(i).Append("(int x) => H").Append(i + 1).Append("(x) + 1;\n");
        }

        chain.Append("    static int H2000(int x) => x;\n");
        var sum = new System.Text.StringBuilder("x");
        for (var i = 0; i < 3000; i++)
        {
            sum.Append(" + x");
        }

        var source = "using System.Collections.Generic;\nusing System.Threading.Tasks;\nclass C\n{\n" + chain
                     + "    async Task<List<int>> M(int[] xs)\n    {\n        var results = new List<int>();\n"
                     + "        foreach (var x in xs)\n            results.Add(await Task.Run(() => H0(x)));\n"
                     + "        foreach (var x in xs)\n            results.Add({|#0:await Task.Run(() => " + sum + ")|});\n"
                     + "        return results;\n    }\n}\n";
        return Verify.VerifyAnalyzerAsync(source, Verify.Diagnostic().WithLocation(0).WithArguments(LoopMessage));
    }

    // ----- Case B: not reported -----

    [Theory]
    [InlineData("total += x; return x;")]                  // writes a captured local
    [InlineData("_count++; return x;")]                     // writes a field
    [InlineData("s_total += x; return x;")]                 // writes a static
    [InlineData("shared[0] = x; return x;")]                // writes a captured array element
    [InlineData("System.Console.WriteLine(x); return x;")]  // impure BCL call
    [InlineData("log.Add(x); return x;")]                   // mutates a shared list
    [InlineData("return Bump(x);")]                         // calls a source method that writes a field
    [InlineData("return results.Count + x;")]               // reads the results collection
    [InlineData("return Deep1(x);")]                        // purity beyond the call-depth bound
    [InlineData("return Virtual(x);")]                      // virtual call
    [InlineData("return _random.Next() + x;")]              // unknown BCL call
    public Task DependentIterations_AreNotReported(string body)
        => Verify.VerifyAnalyzerAsync($$"""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                private int _count;
                private static int s_total;
                private readonly System.Random _random = new System.Random();
                int Bump(int x) { _count++; return x; }
                static int Deep1(int x) => Deep2(x);
                static int Deep2(int x) => Deep3(x);
                static int Deep3(int x) => Deep4(x);
                static int Deep4(int x) => x;
                protected virtual int Virtual(int x) => x;
                async Task<List<int>> M(int[] xs, int[] shared, List<int> log)
                {
                    var total = 0;
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => { {{body}} }));
                    return results;
                }
            }
            """);

    [Fact]
    public Task LinqOverASourceDefinedSequence_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            sealed class Counted : IEnumerable<int>
            {
                public static int Enumerations;
                public IEnumerator<int> GetEnumerator() { Enumerations++; yield return 1; }
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }
            class C
            {
                async Task<List<int>> M(int[] xs, Counted counted)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => counted.Sum() + x));
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => { var t = 0; foreach (var c in counted) t += c; return t + x; }));
                    return results;
                }
            }
            """);

    [Fact]
    public Task CollectionThatMayBeTheResults_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long F(long x) => x + 1;
                async Task M(List<long> xs, ICollection<long> results)
                {
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => F(x)));
                }
            }
            """);

    [Fact]
    public Task LoopWithExtraStatements_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                    {
                        var doubled = x * 2;
                        results.Add(await Task.Run(() => F(doubled)));
                    }
                    return results;
                }
            }
            """);

    [Fact]
    public Task LoopWithBreak_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                    {
                        results.Add(await Task.Run(() => F(x)));
                        if (results.Count > 10) break;
                    }
                    return results;
                }
            }
            """);

    [Fact]
    public Task AsyncWorkPerItem_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static async Task<int> FAsync(int x) { await Task.Yield(); return x; }
                async Task<List<int>> M(int[] xs)
                {
                    var results = new List<int>();
                    foreach (var x in xs)
                        results.Add(await Task.Run(() => FAsync(x)));
                    foreach (var x in xs)
                        results.Add(await Task.Run(async () => await FAsync(x)));
                    return results;
                }
            }
            """);

    [Fact]
    public Task CollectionIsTheResults_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                async Task M(List<int> results, List<int> other)
                {
                    foreach (var x in results)
                        results.Add(await Task.Run(() => F(x)));
                    for (int i = 0; i < results.Count; i++)
                        results.Add(await Task.Run(() => F(i)));
                    foreach (var x in other)
                        results.Add(await Task.Run(() => F(x)));
                }
            }
            """);

    [Fact]
    public Task NonCanonicalFor_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static int F(int x) => x;
                int Hi() => 10;
                async Task<List<int>> M(int n)
                {
                    var results = new List<int>();
                    for (int i = 0; i <= n; i++)
                        results.Add(await Task.Run(() => F(i)));
                    for (int i = 0; i < n; i += 2)
                        results.Add(await Task.Run(() => F(i)));
                    for (int i = 0; i < Hi(); i++)
                        results.Add(await Task.Run(() => F(i)));
                    for (long i = 0; i < n; i++)
                        results.Add(await Task.Run(() => F((int)i)));
                    return results;
                }
            }
            """);

    [Fact]
    public Task LazySequenceOrConvertedElement_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                static long F(long x) => x;
                async Task<List<long>> M(IEnumerable<long> lazy, int[] ints)
                {
                    var results = new List<long>();
                    foreach (var x in lazy)
                        results.Add(await Task.Run(() => F(x)));
                    foreach (long x in ints)
                        results.Add(await Task.Run(() => F(x)));
                    return results;
                }
            }
            """);

    [Fact]
    public Task BrokenCode_DoesNotThrow()
        => new Verify.Test
        {
            TestCode = """
                using System.Collections.Generic;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(int[] xs)
                    {
                        var results = new List<int>();
                        foreach (var x in xs)
                            results.Add(await Task.Run(() => {|CS0103:Missing|}(x)));
                        var y = Task.Run(() => {|CS0103:Unknown|}()).Result;
                        for (int i = 0; i < {|CS0103:n|}; i++)
                            results.Add(await Task.Run(() => i));
                    }
                }
                """,
        }.RunAsync();

    // ----- Case B: differential test (the fixed code computes the same results, in the same order) -----

    private const string DifferentialBefore = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        public static class Program
        {
            private static long F(int x)
            {
                long h = x;
                for (var k = 0; k < 64; k++)
                {
                    h = (h * 31 + k) % 1000003;
                }

                return h;
            }

            private static long Checked(int x)
            {
                if (x < 0)
                {
                    throw new InvalidOperationException("negative " + x);
                }

                return F(x);
            }

            public static async Task<List<long>> ForEachIntoList(int[] xs)
            {
                var results = new List<long>();
                foreach (var x in xs)
                    results.Add([|await Task.Run(() => F(x))|]);
                return results;
            }

            public static async Task<IList<long>> ForEachIntoInterface(List<int> xs)
            {
                IList<long> results = new List<long>();
                foreach (var x in xs)
                {
                    results.Add([|await Task.Run(() => F(x)).ConfigureAwait(false)|]);
                }

                return results;
            }

            public static async Task<List<long>> ForOverArray(int[] xs)
            {
                var results = new List<long>();
                for (int i = 0; i < xs.Length; i++)
                    results.Add([|await Task.Run(() => F(xs[i]))|]);
                return results;
            }

            public static async Task<List<long>> ForOverRange(int lo, int hi)
            {
                var results = new List<long>();
                for (int i = lo; i < hi; i++)
                    results.Add([|await Task.Run(() => F(i))|]);
                return results;
            }

            public static async Task<List<long>> ForEachChecked(int[] xs)
            {
                var results = new List<long>();
                foreach (var x in xs)
                    results.Add([|await Task.Run(() => Checked(x))|]);
                return results;
            }
        }
        """;

    private const string DifferentialAfter = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;
        public static class Program
        {
            private static long F(int x)
            {
                long h = x;
                for (var k = 0; k < 64; k++)
                {
                    h = (h * 31 + k) % 1000003;
                }

                return h;
            }

            private static long Checked(int x)
            {
                if (x < 0)
                {
                    throw new InvalidOperationException("negative " + x);
                }

                return F(x);
            }

            public static async Task<List<long>> ForEachIntoList(int[] xs)
            {
                var results = new List<long>();
                results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))));
                return results;
            }

            public static async Task<IList<long>> ForEachIntoInterface(List<int> xs)
            {
                IList<long> results = new List<long>();
                foreach (var result in await Task.WhenAll(xs.Select(x => Task.Run(() => F(x)))).ConfigureAwait(false))
                {
                    results.Add(result);
                }

                return results;
            }

            public static async Task<List<long>> ForOverArray(int[] xs)
            {
                var results = new List<long>();
                results.AddRange(await Task.WhenAll(Enumerable.Range(0, xs.Length).Select(i => Task.Run(() => F(xs[i])))));
                return results;
            }

            public static async Task<List<long>> ForOverRange(int lo, int hi)
            {
                var results = new List<long>();
                results.AddRange(await Task.WhenAll(Enumerable.Range(lo, Math.Max(0, hi - lo)).Select(i => Task.Run(() => F(i)))));
                return results;
            }

            public static async Task<List<long>> ForEachChecked(int[] xs)
            {
                var results = new List<long>();
                results.AddRange(await Task.WhenAll(xs.Select(x => Task.Run(() => Checked(x)))));
                return results;
            }
        }
        """;

    private static readonly int[] Sizes = { 0, 1, 7, 8, 9, 15, 16, 17, 1000, 4099 };

    [Fact]
    public Task Differential_FixOutputIsWhatTheFixerProduces()
        => Verify.VerifyCodeFixAsync(DifferentialBefore, DifferentialAfter);

    [Fact]
    public void Differential_FixedCodeGivesTheSameResultsInTheSameOrder()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        var random = new Random(204);
        foreach (var size in Sizes)
        {
            var data = new int[size];
            for (var i = 0; i < size; i++)
            {
                data[i] = random.Next(0, int.MaxValue);
            }

            AssertSame<List<long>>(before, after, "ForEachIntoList", data);
            AssertSame<IList<long>>(before, after, "ForEachIntoInterface", new List<int>(data));
            AssertSame<List<long>>(before, after, "ForOverArray", data);
            AssertSame<List<long>>(before, after, "ForEachChecked", data);
            AssertSame<List<long>>(before, after, "ForOverRange", -size / 2, size - (size / 2));
            AssertSame<List<long>>(before, after, "ForOverRange", size, size / 2); // empty range: no items, no exception
        }
    }

    [Fact]
    public void Differential_FirstFailureByOrderSurfacesInBoth()
    {
        using var before = CompileAndRun.Load(DifferentialBefore.Replace("[|", string.Empty).Replace("|]", string.Empty));
        using var after = CompileAndRun.Load(DifferentialAfter);
        var data = new[] { 5, 9, -3, 12, -8, 4 };
        var expected = Assert.Throws<InvalidOperationException>(() => Run<List<long>>(before, "ForEachChecked", data));
        var actual = Assert.Throws<InvalidOperationException>(() => Run<List<long>>(after, "ForEachChecked", data));
        Assert.Equal("negative -3", expected.Message);
        Assert.Equal(expected.Message, actual.Message);
    }

    private static void AssertSame<T>(CompileAndRun.LoadedAssembly before, CompileAndRun.LoadedAssembly after, string method, params object?[] arguments)
        where T : IEnumerable<long>
    {
        var expected = Run<T>(before, method, arguments);
        var actual = Run<T>(after, method, arguments);
        Assert.Equal(expected, actual);
    }

    private static T Run<T>(CompileAndRun.LoadedAssembly assembly, string method, params object?[] arguments)
        => ((Task<T>)assembly.Invoke("Program", method, arguments)!).GetAwaiter().GetResult();
}
