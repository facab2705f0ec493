using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>
/// The await a NOGIL202 fix writes follows the code around it: <c>.ConfigureAwait(false)</c> where the function awaits
/// that way, or, in a function with no await of its own, where every await of the file does (a library that does not
/// resume on the caller's context; SharpCompress's streams).
/// </summary>
public sealed partial class UseAsyncTwinTests
{
    [Fact]
    public Task FunctionAwaitsWithConfigureAwaitFalse_TheTwinIsAwaitedTheSameWay()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Stream s, byte[] b)
                {
                    await s.FlushAsync().ConfigureAwait(false);
                    return [|s.Read(b, 0, b.Length)|] + 1;
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Stream s, byte[] b)
                {
                    await s.FlushAsync().ConfigureAwait(false);
                    return await s.ReadAsync(b, 0, b.Length).ConfigureAwait(false) + 1;
                }
            }
            """);

    [Fact]
    public Task NoAwaitInTheFunction_EveryAwaitOfTheFileConfigured_TheTwinIsAwaitedTheSameWay()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task Other(Stream s) => await s.FlushAsync().ConfigureAwait(false);

                async Task M(Stream s, byte[] b)
                {
                    [|s.Write(b, 0, b.Length)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task Other(Stream s) => await s.FlushAsync().ConfigureAwait(false);

                async Task M(Stream s, byte[] b)
                {
                    await s.WriteAsync(b, 0, b.Length).ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task NoAwaitInTheFunction_TheFileMixes_APlainAwait()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task One(Stream s) => await s.FlushAsync().ConfigureAwait(false);
                async Task Two(Stream s) => await s.FlushAsync();

                async Task M(Stream s, byte[] b)
                {
                    [|s.Write(b, 0, b.Length)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task One(Stream s) => await s.FlushAsync().ConfigureAwait(false);
                async Task Two(Stream s) => await s.FlushAsync();

                async Task M(Stream s, byte[] b)
                {
                    await s.WriteAsync(b, 0, b.Length);
                }
            }
            """);

    [Fact]
    public Task FunctionAwaitsWithoutConfigureAwait_APlainAwait_EvenIfTheFileConfiguresElsewhere()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task Other(Stream s) => await s.FlushAsync().ConfigureAwait(false);

                async Task M(Stream s, byte[] b)
                {
                    await Task.Yield();
                    [|s.Write(b, 0, b.Length)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task Other(Stream s) => await s.FlushAsync().ConfigureAwait(false);

                async Task M(Stream s, byte[] b)
                {
                    await Task.Yield();
                    await s.WriteAsync(b, 0, b.Length);
                }
            }
            """);
}
