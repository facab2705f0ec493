using System;
using System.Linq;
using System.Threading.Tasks;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;
using Await = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;
using MakeAsync = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.MakeMethodAsyncAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.MakeMethodAsyncFixer>;
using Offload = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.RunOffloadedWorkConcurrentlyAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.RunOffloadedWorkConcurrentlyFixer>;
using Twin = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Bulk;

/// <summary>
/// The NOGIL2xx fixes change only the call they rewrite: the arguments, the operators around it and the declaration they
/// make async keep their spacing and comments (no elastic trivia that would let the code action's formatting pass respace
/// them), and inlined work keeps its text. Each test asserts the exact fixed text.
/// </summary>
public sealed class MinimalDiffAsyncTests
{
    [Fact]
    public Task Await_TheOperatorsAroundTheWaitKeepTheirSpacing()
        => Await.VerifyCodeFixAsync("""
            using System.Threading.Tasks;

            class C
            {
                async Task<string> M(Task<int> task, Task other)
                {
                    [|other.Wait( )|]; // wait
                    return [|task.Result|].ToString()+"x";
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                async Task<string> M(Task<int> task, Task other)
                {
                    await other; // wait
                    return (await task).ToString()+"x";
                }
            }
            """);

    [Fact]
    public Task Await_AnOperandKeepsTheExpressionsSpacing()
        => Await.VerifyCodeFixAsync("""
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> task)
                {
                    var x = [|task.Result|]*2+1;
                    return x;
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                async Task<int> M(Task<int> task)
                {
                    var x = await task*2+1;
                    return x;
                }
            }
            """);

    [Fact]
    public Task AsyncTwin_UntouchedArgumentsAndCommentsKept()
        => Twin.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task CopyAsync(Stream source, Stream destination, byte[] buffer)
                {
                    int n = [|source.Read( buffer,0 , buffer.Length/2 )|]; // read half
                    [|destination.Write(buffer, /* offset */ 0,
                                      n)|];   // aligned continuation
                    [|System.Threading.Thread.Sleep( 10*2 )|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;

            class C
            {
                async Task CopyAsync(Stream source, Stream destination, byte[] buffer)
                {
                    int n = await source.ReadAsync( buffer,0 , buffer.Length/2 ); // read half
                    await destination.WriteAsync(buffer, /* offset */ 0,
                                      n);   // aligned continuation
                    await Task.Delay( 10*2 );
                }
            }
            """);

    [Fact]
    public Task MakeAsync_TheDeclarationAndCallersKeepTheirSpacing()
        => MakeAsync.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class C
            {
                static Task<string> LoadAsync() => Task.FromResult("x");

                public   int   Length()   // keep
                {
                    var s = [|LoadAsync().Result|];
                    return s.Length*2;
                }

                async Task<int> Caller()
                {
                    await Task.Yield();
                    return Length()*3 + Length( ).GetHashCode();
                }
            }
            """, """
            using System.Threading.Tasks;
            class C
            {
                static Task<string> LoadAsync() => Task.FromResult("x");

                public   async Task<int>   Length()   // keep
                {
                    var s = await LoadAsync();
                    return s.Length*2;
                }

                async Task<int> Caller()
                {
                    await Task.Yield();
                    return await Length()*3 + (await Length( )).GetHashCode();
                }
            }
            """);

    [Fact]
    public Task CallDirectly_TheInlinedStatementsKeepTheirText()
        => Offload.VerifyCodeFixAsync("""
            using System.Threading.Tasks;

            class C
            {
                static int F(int x) => x*2;

                void M(int a)
                {
                    // run it
                    {|#0:Task.Run(() =>
                    {
                        // first
                        var y = F(a)*3;   // keep

                        System.Console.WriteLine(y+1);
                    }).Wait()|};
                }
            }
            """, """
            using System.Threading.Tasks;

            class C
            {
                static int F(int x) => x*2;

                void M(int a)
                {
                    // run it
                    // first
                    var y = F(a)*3;   // keep

                    System.Console.WriteLine(y+1);
                }
            }
            """, Offload.Diagnostic().WithLocation(0).WithArguments("Task.Run(...).Wait() runs the work on another thread and blocks this one until it is done; call it directly"));

    // ----- what the embedded shapes compute -----

    private const string EmbeddedLoops = """
        using System;

        public static class Kernels
        {
            public static void Wave(double[] src, double[] dst, double phase, bool on)
            {
                if (on)
                    for (int i = 0; i < src.Length; i++)
                        dst[i] = Math.Sin(src[i])*Math.Cos(phase);
                else
                    for (int i = 0; i < src.Length; i++)
                        dst[i] = Math.Exp(-src[i]*phase) + Math.Log(1 + (src[i]*src[i]));
            }
        }
        """;

    /// <summary>
    /// <c>if (on) for … else for …</c>: the guarded form of the first loop must not take the <c>else</c>
    /// (<c>if (on) if (n &gt; 0) { … } else …</c> would run the second loop only when <c>on</c> and the range is empty).
    /// </summary>
    [Fact]
    public async Task EmbeddedInIfElse_FixedCodeComputesTheSame()
    {
        var result = await FixRunner.FixAllAsync(EmbeddedLoops, new ParallelizeLoopAnalyzer(), new ParallelizeLoopFixer(), TestReferences.Runtime, maxRounds: 10);
        Assert.Equal(2, result.FixedCount);
        Assert.Contains("Partitioner.Create", result.FixedSource, StringComparison.Ordinal);
        using var before = CompileAndRun.Load(EmbeddedLoops, "EmbeddedBefore");
        using var after = CompileAndRun.Load(result.FixedSource, "EmbeddedAfter");
        foreach (var n in new[] { 0, 1, 7, 1000 })
        {
            foreach (var on in new[] { true, false })
            {
                var src = Enumerable.Range(0, n).Select(k => ((k % 13) * 0.37) + 0.1).ToArray();
                var expected = new double[n];
                var actual = new double[n];
                before.Invoke("Kernels", "Wave", src, expected, 0.5, on);
                after.Invoke("Kernels", "Wave", src, actual, 0.5, on);
                Assert.Equal(expected, actual);
                Assert.True(n == 0 || actual.Any(v => v != 0), "the loop ran: n = " + n + ", on = " + on);
            }
        }
    }
}
