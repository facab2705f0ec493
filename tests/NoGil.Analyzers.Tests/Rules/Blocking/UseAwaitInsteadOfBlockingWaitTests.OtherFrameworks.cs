using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitInsteadOfBlockingWaitAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitInsteadOfBlockingWaitFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>The same proofs and timed waits on other reference assemblies: .NET 10, whose overload sets differ, and netstandard2.0.</summary>
public sealed partial class UseAwaitInsteadOfBlockingWaitTests
{
    private static Task VerifyOnNet10Async(string source, string? fixedSource = null)
        => new Verify.Test
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = source,
            FixedCode = fixedSource ?? source,
        }.RunAsync();

    [Fact]
    public Task TaskEqualToAwaitedWhenAnyResult_IsNotReported_OnNet10()
        => VerifyOnNet10Async("""
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> a, Task<int> b)
                {
                    var done = await Task.WhenAny(a, b);
                    if (done == a)
                    {
                        return a.Result;
                    }

                    if (await Task.WhenAny([b, Task.Delay(100)]) != b)
                    {
                        return -1;
                    }

                    return b.Result;
                }
            }
            """);

    [Fact]
    public Task WaitAllOnList_IsAPlainWait_OnNet10()
        => VerifyOnNet10Async("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(List<Task<int>> list)
                {
                    await Task.Yield();
                    [|Task.WaitAll(list)|];
                    return list[0].Result;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(List<Task<int>> list)
                {
                    await Task.Yield();
                    await Task.WhenAll(list);
                    return list[0].Result;
                }
            }
            """);

    [Fact]
    public Task TimedWaitsAndProbes_OnNet10()
        => VerifyOnNet10Async("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t, Task<int> u, TimeSpan timeout, CancellationToken ct)
                {
                    await Task.Yield();
                    if (t.Wait(TimeSpan.Zero) || [|t.Wait(timeout, ct)|])
                    {
                        return t.Result;
                    }

                    [|Task.WaitAll([t, u], ct)|];
                    return u.Result + [|Task.WaitAny([t, u], 100)|];
                }
            }
            """);

    [Fact]
    public Task WaitWithToken_WithoutWaitAsync_IsReportedWithoutFix_OnNetStandard20()
    {
        const string source = """
                using System.Threading;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(Task t, CancellationToken ct)
                    {
                        await Task.Yield();
                        [|t.Wait(ct)|];
                    }
                }
                """;
        return new Verify.Test
        {
            ReferenceAssemblies = Microsoft.CodeAnalysis.Testing.ReferenceAssemblies.NetStandard.NetStandard20,
            TestCode = source,
            FixedCode = source,
        }.RunAsync();
    }
}
