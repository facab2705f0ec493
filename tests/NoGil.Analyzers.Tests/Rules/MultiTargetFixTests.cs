using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules;

/// <summary>
/// A project that builds for several target frameworks (docs/fix-safety.md, "Target frameworks"): a fix is computed only
/// in the build of the target framework every other one includes, so that it compiles on all of them and dotnet format
/// merges one edit, never two. Each test is one build of such a project: the reference assemblies of its framework, and
/// the build properties the package passes to the analyzers. One rule of each family that announces fixes.
/// </summary>
public sealed class MultiTargetFixTests
{
    private static string Config(string frameworks, string current) => $"""
        is_global = true
        build_property.NoGilTargetFrameworks = {frameworks}
        build_property.TargetFramework = {current}
        """;

    private static string NotAvailable(string api, string lowest)
        => $" (no fix: {api} is not available on {lowest}, and fixes come from the {lowest} build only, so that they compile on every target framework)";

    /// <summary>
    /// One build of a multi-target project: <paramref name="source"/> compiled against <paramref name="framework"/>, with
    /// <paramref name="frameworks"/> and <paramref name="current"/> as build properties; <paramref name="fixedSource"/> null
    /// when no fix may be offered.
    /// </summary>
    private static Task VerifyAsync<TAnalyzer, TFixer>(ReferenceAssemblies framework, string frameworks, string current, string source, string? fixedSource, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
        where TFixer : CodeFixProvider, new()
    {
        var test = new CodeFixVerifier<TAnalyzer, TFixer>.Test { TestCode = source, FixedCode = fixedSource ?? source, ReferenceAssemblies = framework };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", Config(frameworks, current)));
        test.FixedState.AnalyzerConfigFiles.Add(("/.globalconfig", Config(frameworks, current)));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    // ----- Kernels (NOGIL302): Vector<T> / T exists from .NET 7; Vector<T> is not part of net48 or netstandard2.0 -----

    private const string DivideByScalar = """
        class C
        {
            static void Scale(double[] a, double s, double[] dst)
            {
                {|#0:for (int i = 0; i < dst.Length; i++)|}
                {
                    dst[i] = a[i] / s;
                }
            }
        }
        """;

    private static DiagnosticResult VectorizeLoop(string note)
        => CodeFixVerifier<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>.Diagnostic()
            .WithLocation(0).WithArguments("double", "a Vector<double> loop computes the same results several at a time" + note);

    // net6.0 has no Vector<T> / T: the fix computed there divides by a broadcast vector, which compiles on net8.0 too.
    [Fact]
    public Task Kernel_Net6AndNet8_TheNet6BuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>(
            TestReferences.Net60, "net6.0,net8.0", "net6.0", DivideByScalar, """
            using System.Numerics;

            class C
            {
                static void Scale(double[] a, double s, double[] dst)
                {
                    var vs = new Vector<double>(s);
                    int i = 0;
                    for (; i <= dst.Length - Vector<double>.Count; i += Vector<double>.Count)
                    {
                        var va = new Vector<double>(a, i);
                        (va / vs).CopyTo(dst, i);
                    }

                    for (; i < dst.Length; i++)
                    {
                        dst[i] = a[i] / s;
                    }
                }
            }
            """, VectorizeLoop(string.Empty));

    // The net8.0 build would write va / s, which does not compile on net6.0: it leaves the loop to the net6.0 build.
    [Fact]
    public Task Kernel_Net6AndNet8_TheNet8BuildLeavesItToTheNet6Build()
        => VerifyAsync<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>(
            TestReferences.Net80, "net6.0,net8.0", "net8.0", DivideByScalar, null);

    [Fact]
    public Task Kernel_Net8AndNet48_NoFixBecauseVectorIsNotOnNet48()
        => VerifyAsync<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>(
            TestReferences.Net80, "net8.0,net48", "net8.0", DivideByScalar, null, VectorizeLoop(NotAvailable("Vector<T>", "net48")));

    // The net48 build has no Vector<T> at all: nothing to report, nothing to fix.
    [Fact]
    public Task Kernel_Net8AndNet48_TheNet48BuildIsQuiet()
        => VerifyAsync<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>(
            TestReferences.Net48, "net8.0;net48", "net48", DivideByScalar.Replace("{|#0:", string.Empty).Replace(")|}", ")"), null);

    [Fact]
    public Task Kernel_Net10AndNetStandard20_NoFixBecauseVectorIsNotOnNetStandard20()
        => VerifyAsync<NoGil.Analyzers.Rules.Kernels.VectorizeLoopAnalyzer, NoGil.CodeFixes.Rules.Kernels.VectorizeLoopFixer>(
            TestReferences.Net100, "net10.0,netstandard2.0", "net10.0", DivideByScalar, null, VectorizeLoop(NotAvailable("Vector<T>", "netstandard2.0")));

    // ----- Blocking waits (NOGIL201, NOGIL202, NOGIL205) -----

    private const string BlockOnResult = """
        using System.Threading.Tasks;
        class C
        {
            static async Task<int> M(Task<int> task)
            {
                await Task.Yield();
                return {|#0:task.Result|};
            }
        }
        """;

    private const string AwaitResult = """
        using System.Threading.Tasks;
        class C
        {
            static async Task<int> M(Task<int> task)
            {
                await Task.Yield();
                return await task;
            }
        }
        """;

    private static DiagnosticResult BlockingWait(string note)
        => CodeFixVerifier<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>.Diagnostic()
            .WithLocation(0).WithArguments("Result", note);

    [Fact]
    public Task Await_Net8AndNet48_TheNet48BuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net48, "net8.0,net48", "net48", BlockOnResult, AwaitResult, BlockingWait(string.Empty));

    // Reported by the net48 build, with its fix; a copy without a fix here would stop dotnet format from fixing NOGIL201
    // at all (it takes the code action of the first diagnostic it meets, and the net8.0 project comes first).
    [Fact]
    public Task Await_Net8AndNet48_TheNet8BuildLeavesItToTheNet48Build()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net80, "net8.0,net48", "net8.0", BlockOnResult, null);

    // Code inside #if may not be compiled by the lowest target at all: reported here, without a fix.
    [Fact]
    public Task Await_InsideAnIfRegion_ReportedWithoutAFix()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net80, "net8.0,net48", "net8.0", """
            using System.Threading.Tasks;
            class C
            {
            #if !NETFRAMEWORK
                static async Task<int> M(Task<int> task)
                {
                    await Task.Yield();
                    return {|#0:task.Result|};
                }
            #endif
            }
            """, null, BlockingWait(" (no fix from this build: the code is inside #if, and fixes come from the net48 build only, so that they compile on every target framework)"));

    [Fact]
    public Task Await_NoLowestTargetFramework_NoBuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net80, "net8.0-windows,net8.0-android", "net8.0-windows", BlockOnResult, null,
            BlockingWait(" (no fix: none of the target frameworks net8.0-windows, net8.0-android has an API surface that all the others include, so no fix is known to compile on every one)"));

    [Fact]
    public Task Await_UnknownTargetFramework_NoBuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net80, "net8.0,uap10.0", "net8.0", BlockOnResult, null,
            BlockingWait(" (no fix: the API surface of the target framework 'uap10.0' is not known, so no fix is known to compile on every target framework of the project)"));

    // A project whose TargetFrameworks names one framework is a single-target project: nothing changes.
    [Fact]
    public Task Await_OneTargetFrameworkInTheList_FixesAsToday()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>(
            TestReferences.Net80, "net8.0;", "net8.0", BlockOnResult, AwaitResult, BlockingWait(string.Empty));

    private const string Sleep = """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                {|#0:Thread.Sleep(100)|};
                await Task.Yield();
            }
        }
        """;

    private static DiagnosticResult AsyncTwin(string note)
        => CodeFixVerifier<NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>.Diagnostic()
            .WithLocation(0).WithArguments("Thread.Sleep", "Task.Delay", note);

    [Fact]
    public Task AsyncTwin_Net10AndNetStandard20_TheNetStandard20BuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>(
            TestReferences.NetStandard20, "net10.0,netstandard2.0", "netstandard2.0", Sleep, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Delay(100);
                    await Task.Yield();
                }
            }
            """, AsyncTwin(string.Empty));

    [Fact]
    public Task AsyncTwin_Net10AndNetStandard20_TheNet10BuildLeavesItToTheNetStandard20Build()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>(
            TestReferences.Net100, "net10.0,netstandard2.0", "net10.0", Sleep, null);

    private const string SyncDispose = """
        using System.IO;
        using System.Threading.Tasks;
        class C
        {
            static async Task SaveAsync(string path, byte[] data)
            {
                using {|#0:var stream = File.Create(path)|};
                await stream.WriteAsync(data, 0, data.Length);
            }
        }
        """;

    [Fact]
    public Task AwaitUsing_Net8AndNet48_NoFixBecauseIAsyncDisposableIsNotOnNet48()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitUsingAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitUsingFixer>(
            TestReferences.Net80, "net8.0,net48", "net8.0", SyncDispose, null,
            CodeFixVerifier<NoGil.Analyzers.Rules.Blocking.UseAwaitUsingAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitUsingFixer>.Diagnostic()
                .WithLocation(0).WithArguments("FileStream", "dispose it with 'await using'" + NotAvailable("IAsyncDisposable", "net48")));

    [Fact]
    public Task AwaitUsing_Net8AndNet48_TheNet48BuildIsQuiet()
        => VerifyAsync<NoGil.Analyzers.Rules.Blocking.UseAwaitUsingAnalyzer, NoGil.CodeFixes.Rules.Blocking.UseAwaitUsingFixer>(
            TestReferences.Net48, "net8.0,net48", "net48", SyncDispose.Replace("{|#0:", string.Empty).Replace(")|}", ")"), null);

    // ----- Locks (NOGIL101) -----

    private const string LoopUnderLock = """
        class Totals
        {
            private readonly object _gate = new object();
            private long _total;
            static long Compute(int i) => (long)i * i;
            public void Recompute(int n)
            {
                {|#0:lock (_gate)|}
                {
                    long local = 0;
                    for (var i = 0; i < n; i++) local += Compute(i);
                    _total = local;
                }
            }
        }
        """;

    private static DiagnosticResult MoveWorkOutOfLock(string note)
        => CodeFixVerifier<NoGil.Analyzers.Rules.Locks.MoveWorkOutOfLockAnalyzer, NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>.Diagnostic()
            .WithLocation(0).WithArguments("A loop", "_gate", note);

    [Fact]
    public Task Lock_Net10AndNetStandard20_TheNetStandard20BuildFixes()
        => VerifyAsync<NoGil.Analyzers.Rules.Locks.MoveWorkOutOfLockAnalyzer, NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>(
            TestReferences.NetStandard20, "net10.0,netstandard2.0", "netstandard2.0", LoopUnderLock, """
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
            """, MoveWorkOutOfLock(string.Empty));

    [Fact]
    public Task Lock_Net10AndNetStandard20_TheNet10BuildLeavesItToTheNetStandard20Build()
        => VerifyAsync<NoGil.Analyzers.Rules.Locks.MoveWorkOutOfLockAnalyzer, NoGil.CodeFixes.Rules.Locks.MoveWorkOutOfLockFixer>(
            TestReferences.Net100, "net10.0,netstandard2.0", "net10.0", LoopUnderLock, null);

}
