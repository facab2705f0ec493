using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.MakeMethodAsyncAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.MakeMethodAsyncFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

public sealed partial class MakeMethodAsyncTests
{
    [Fact]
    public Task ValueReturningMethod_BecomesAsyncTaskOfT_AndCallersAwait()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<string> LoadAsync() => Task.FromResult("x");

                public int Length()
                {
                    var s = [|LoadAsync().Result|];
                    return s.Length;
                }

                async Task<int> Caller()
                {
                    await Task.Yield();
                    return Length() + Length().GetHashCode();
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<string> LoadAsync() => Task.FromResult("x");

                public async Task<int> Length()
                {
                    var s = await LoadAsync();
                    return s.Length;
                }

                async Task<int> Caller()
                {
                    await Task.Yield();
                    return await Length() + (await Length()).GetHashCode();
                }
            }
            """);

    [Fact]
    public Task VoidMethodWithSeveralWaits_BecomesAsyncTask()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                void Save(Task a, Task<int> b)
                {
                    [|a.Wait()|];
                    var x = {|#0:b.GetAwaiter().GetResult()|};
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task Save(Task a, Task<int> b)
                {
                    await a;
                    var x = await b;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("GetAwaiter().GetResult()", ""));

    [Fact]
    public Task ExpressionBodiedMethod_BecomesAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> CountAsync() => Task.FromResult(3);
                private static int Count() => [|CountAsync().GetAwaiter().GetResult()|];
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> CountAsync() => Task.FromResult(3);
                private static async Task<int> Count() => await CountAsync();
            }
            """);

    [Fact]
    public Task VoidMain_BecomesAsyncTaskMain()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class Program
            {
                static Task RunAsync() => Task.CompletedTask;

                static void Main(string[] args)
                {
                    [|RunAsync().Wait()|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class Program
            {
                static Task RunAsync() => Task.CompletedTask;

                static async Task Main(string[] args)
                {
                    await RunAsync();
                }
            }
            """);

    [Fact]
    public async Task IntMain_BecomesAsyncTaskOfIntMain()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                class Program
                {
                    static Task<int> RunAsync() => Task.FromResult(0);

                    static int Main()
                    {
                        return [|RunAsync().Result|];
                    }
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;
                class Program
                {
                    static Task<int> RunAsync() => Task.FromResult(0);

                    static async Task<int> Main()
                    {
                        return await RunAsync();
                    }
                }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public async Task TopLevelStatements_WaitBecomesAwait()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;

                var n = [|Compute().Result|];
                System.Console.WriteLine(n);

                static Task<int> Compute() => Task.FromResult(1);
                """,
            FixedCode = """
                using System.Threading.Tasks;

                var n = await Compute();
                System.Console.WriteLine(n);

                static Task<int> Compute() => Task.FromResult(1);
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }

    [Fact]
    public Task MissingTasksUsing_IsAdded()
        => Verify.VerifyCodeFixAsync("""
            class C
            {
                static System.Threading.Tasks.Task<int> GetAsync() => System.Threading.Tasks.Task.FromResult(1);

                int Get()
                {
                    return [|GetAsync().Result|];
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                static System.Threading.Tasks.Task<int> GetAsync() => System.Threading.Tasks.Task.FromResult(1);

                async Task<int> Get()
                {
                    return await GetAsync();
                }
            }
            """);

    [Fact]
    public Task LocalFunctionCalledFromAsyncCode_BecomesAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return Local() * 2;

                    int Local() => [|t.Result|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t)
                {
                    await Task.Yield();
                    return await Local() * 2;

                    async Task<int> Local() => await t;
                }
            }
            """);

    [Fact]
    public Task FixAll_MakesEveryFixableMethodAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                int A() => [|T().Result|];
                int B() => [|T().Result|] + {|#0:T().Result|};
                void D() { [|T().Wait()|]; }
                async Task Caller() { await Task.Yield(); D(); }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                async Task<int> A() => await T();
                async Task<int> B() => await T() + await T();
                async Task D() { await T(); }
                async Task Caller() { await Task.Yield(); await D(); }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Result", ""));

    // ---- Reported, but the signature cannot change: no fix ------------------------------------

    [Fact]
    public Task CallerIsSynchronous_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Threading.Tasks;
            class C
            {
                int Get(Task<int> t) => [|t.Result|];
                int Value => Get(Task.FromResult(1));
            }
            """);

    [Fact]
    public Task PublicApi_NoFix()
        // Other projects (a test project, a library's users) may call it: its signature cannot change under them.
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Threading.Tasks;
            public class C
            {
                static Task<int> T() => Task.FromResult(1);
                public int Get() => [|T().Result|];
                protected int GetProtected() => [|T().Result|];
            }
            """);

    [Fact]
    public Task InternalMethodOfAnAssemblyWithFriends_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Threading.Tasks;
            [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Tests")]
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                internal int Get() => [|T().Result|];
            }
            """);

    [Fact]
    public Task PrivateMethodOfAPublicType_IsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            public class C
            {
                static Task<int> T() => Task.FromResult(1);
                private int Get() => [|T().Result|];
            }
            """, """
            using System.Threading.Tasks;
            public class C
            {
                static Task<int> T() => Task.FromResult(1);
                private async Task<int> Get() => await T();
            }
            """);

    [Fact]
    public Task MethodGroupReference_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                static int Get() => [|T().Result|];
                Func<int> f = Get;
            }
            """);

    [Fact]
    public Task OverrideInterfaceAndDispose_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System;
            using System.Threading.Tasks;
            interface IGet { int Get(); }
            abstract class B { public abstract int Value(); }
            class C : B, IGet, IDisposable
            {
                static Task<int> T() => Task.FromResult(1);
                public int Get() => [|T().Result|];
                public override int Value() => [|T().Result|];
                public void Dispose() => [|T().Wait()|];
            }
            """);

    [Fact]
    public Task ConstructorPropertyAndRefParameter_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                private readonly int _x;
                C() { _x = [|T().Result|]; }
                int P => [|T().Result|];
                void Out(out int x) { x = [|T().Result|]; }
            }
            """);

    [Fact]
    public Task WaitInsideLock_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new object();
                void M(Task t)
                {
                    lock (_gate)
                    {
                        [|t.Wait()|];
                    }
                }
            }
            """);

    [Fact]
    public async Task CallerInAnotherFile_NoFix()
    {
        const string Declaration = """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                internal static int Get() => [|T().Result|];
            }
            """;
        const string Caller = """
            using System.Threading.Tasks;
            class D
            {
                async Task<int> M() { await Task.Yield(); return C.Get(); }
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add(Declaration);
        test.TestState.Sources.Add(Caller);
        test.FixedState.Sources.Add(Declaration);
        test.FixedState.Sources.Add(Caller);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportWithoutFix));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportWithoutFix));
        await test.RunAsync();
    }

    [Fact]
    public async Task PrivateMethod_SameNameInAnotherTypesFile_IsStillFixed()
    {
        const string Other = """
            class D
            {
                int Get() => 0;
                int Use() => Get();
            }
            """;
        var test = new Verify.Test();
        test.TestState.Sources.Add("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                private int Get() => [|T().Result|];
            }
            """);
        test.TestState.Sources.Add(Other);
        test.FixedState.Sources.Add("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> T() => Task.FromResult(1);
                private async Task<int> Get() => await T();
            }
            """);
        test.FixedState.Sources.Add(Other);
        await test.RunAsync();
    }

    [Fact]
    public Task MethodACollectionInitializerMayCall_NoFix()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.Collections;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Store : IEnumerable<int>
            {
                static Task SaveAsync(int x) => Task.CompletedTask;
                public void Add(int x) { [|SaveAsync(x).Wait()|]; }
                public IEnumerator<int> GetEnumerator() { yield break; }
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
                static Store Create() => new Store { 1, 2 };
            }
            """);

    // ---- Must not flag ------------------------------------------------------------------------

    [Fact]
    public Task AsyncCodeAndLambdas_AreNotReportedByThisRule()
        => Verify.VerifyAnalyzerAsync("""
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> A(Task<int> t) { await Task.Yield(); return t.Result; }
                int[] B(Task<int>[] ts) => ts.Select(t => t.Result).ToArray();
                Task<int> Continue(Task<int> t) => t.ContinueWith(a => a.Result + 1);
            }
            """);

    [Fact]
    public Task ProvenCompleteTasks_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                int M(Task<int> t)
                {
                    if (t.IsCompletedSuccessfully)
                    {
                        return t.Result;
                    }

                    return Task.FromResult(2).Result + (t.Status == TaskStatus.RanToCompletion ? t.Result : 0);
                }
            }
            """);

    [Fact]
    public Task OffloadThenBlock_IsLeftToNogil204()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                static int F() => 1;
                int M() => Task.Run(() => F()).Result;
            }
            """);
    // ---- Offloads NOGIL204 leaves alone (the work itself blocks): reported here, and fixed ----

    [Fact]
    public Task OffloadOfBlockingWork_IsReported_AndTheMethodAwaitsTheOffload()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                int M() { return [|Task.Run(() => GetAsync().Result).Result|]; }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                async Task<int> M() { return await Task.Run(() => GetAsync().Result); }
            }
            """);

    [Fact]
    public Task OffloadOfBlockingWorkNextToAnotherWait_BothBecomeAwaits()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                void M()
                {
                    var a = [|GetAsync().Result|];
                    [|Task.Run(() => GetAsync().Wait()).Wait()|];
                }

                async Task Caller()
                {
                    await Task.Yield();
                    M();
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<int> GetAsync() => Task.FromResult(1);
                async Task M()
                {
                    var a = await GetAsync();
                    await Task.Run(() => GetAsync().Wait());
                }

                async Task Caller()
                {
                    await Task.Yield();
                    await M();
                }
            }
            """);

    [Fact]
    public Task InfiniteWaitThenResult_OnlyTheWaitIsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<string> GetAsync() => Task.FromResult("x");
                string Get()
                {
                    var resource = GetAsync();
                    [|resource.Wait(-1)|];
                    return resource.Result;
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<string> GetAsync() => Task.FromResult("x");
                async Task<string> Get()
                {
                    var resource = GetAsync();
                    await resource;
                    return resource.Result;
                }
            }
            """);
}
