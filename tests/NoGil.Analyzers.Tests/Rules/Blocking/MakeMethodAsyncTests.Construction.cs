using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.MakeMethodAsyncAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.MakeMethodAsyncFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>Tasks complete by construction (dual-mode methods called in their synchronous mode), and timed waits.</summary>
public sealed partial class MakeMethodAsyncTests
{
    [Fact]
    public Task DualModeCall_WithSynchronousConstant_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            public sealed class BufferedStream2
            {
                private readonly Stream _inner = Stream.Null;

                public void Write(byte[] buffer) => WriteCoreAsync(buffer, isAsync: false).GetAwaiter().GetResult();

                public int Read(byte[] buffer) => ReadCoreAsync(buffer, false, default).GetAwaiter().GetResult();

                public void Flush() => FlushCoreAsync(null).Wait();

                public void Close() => CloseAsync(async: false).Result.ToString();

                private async Task WriteCoreAsync(byte[] buffer, bool isAsync)
                {
                    if (isAsync)
                    {
                        await _inner.WriteAsync(buffer, 0, buffer.Length);
                    }
                    else
                    {
                        _inner.Write(buffer, 0, buffer.Length);
                    }
                }

                private async ValueTask<int> ReadCoreAsync(byte[] buffer, bool isAsync, CancellationToken ct)
                {
                    if (!isAsync)
                    {
                        return _inner.Read(buffer, 0, buffer.Length);
                    }

                    return await _inner.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false);
                }

                private async Task FlushCoreAsync(CancellationToken? ct)
                {
                    _ = ct.HasValue ? await FlushInnerAsync(ct.Value) : FlushInner();
                }

                private async Task<bool> CloseAsync(bool async)
                {
                    if (async && await FlushInnerAsync(default))
                    {
                        return true;
                    }

                    return FlushInner();
                }

                private async Task<bool> FlushInnerAsync(CancellationToken ct)
                {
                    await _inner.FlushAsync(ct);
                    return true;
                }

                private bool FlushInner()
                {
                    _inner.Flush();
                    return true;
                }
            }
            """);

    [Fact]
    public Task DualModeCall_WithEnumBehaviour_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            public enum IOBehavior { Asynchronous, Synchronous }
            public sealed class Reader
            {
                private readonly Stream _inner = Stream.Null;

                public int Read(byte[] buffer) => ReadAsync(buffer, IOBehavior.Synchronous).GetAwaiter().GetResult();

                public void Dispose() => DisposeAsync(IOBehavior.Synchronous).GetAwaiter().GetResult();

                private async ValueTask<int> ReadAsync(byte[] buffer, IOBehavior ioBehavior)
                    => ioBehavior == IOBehavior.Asynchronous
                        ? await _inner.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)
                        : _inner.Read(buffer, 0, buffer.Length);

                private async ValueTask DisposeAsync(IOBehavior ioBehavior)
                {
                    if (ioBehavior is not IOBehavior.Asynchronous)
                    {
                        _inner.Dispose();
                        return;
                    }

                    await using (_inner.ConfigureAwait(false))
                    {
                    }

                    await foreach (var item in Items())
                    {
                    }
                }

                private static async IAsyncEnumerable<int> Items()
                {
                    await Task.Yield();
                    yield return 1;
                }
            }
            """);

    [Fact]
    public Task DualModeCall_AsynchronousOrUnknownMode_IsReported()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            public class BufferedStream2
            {
                private readonly Stream _inner = Stream.Null;

                public void Write(byte[] buffer, bool mode)
                {
                    [|WriteCoreAsync(buffer, isAsync: true).GetAwaiter().GetResult()|];
                    [|WriteCoreAsync(buffer, mode).GetAwaiter().GetResult()|];
                    [|FlushCoreAsync(CancellationToken.None).Wait()|];
                    [|AlwaysAwaitsAsync(buffer, false).Wait()|];
                    [|ReassignsAsync(false).Wait()|];
                    [|VirtualAsync(false).Wait()|];
                    [|AwaitUsingAsync(false).Wait()|];
                    [|AwaitForeachAsync(false).Wait()|];
                }

                private async Task AwaitUsingAsync(bool isAsync)
                {
                    if (isAsync)
                    {
                        await _inner.FlushAsync();
                    }

                    await using (_inner)
                    {
                    }
                }

                private async Task AwaitForeachAsync(bool isAsync)
                {
                    if (!isAsync)
                    {
                        _inner.Flush();
                    }

                    await foreach (var item in Items())
                    {
                    }
                }

                private static async System.Collections.Generic.IAsyncEnumerable<int> Items()
                {
                    await Task.Yield();
                    yield return 1;
                }

                private async Task WriteCoreAsync(byte[] buffer, bool isAsync)
                {
                    if (isAsync)
                    {
                        await _inner.WriteAsync(buffer, 0, buffer.Length);
                    }
                    else
                    {
                        _inner.Write(buffer, 0, buffer.Length);
                    }
                }

                private async Task FlushCoreAsync(CancellationToken? ct)
                {
                    if (ct.HasValue)
                    {
                        await _inner.FlushAsync(ct.Value);
                    }
                }

                private async Task AlwaysAwaitsAsync(byte[] buffer, bool isAsync)
                {
                    if (isAsync)
                    {
                        await _inner.WriteAsync(buffer, 0, buffer.Length);
                    }

                    await _inner.FlushAsync();
                }

                private async Task ReassignsAsync(bool isAsync)
                {
                    isAsync = !isAsync;
                    if (isAsync)
                    {
                        await _inner.FlushAsync();
                    }
                }

                protected virtual async Task VirtualAsync(bool isAsync)
                {
                    if (isAsync)
                    {
                        await _inner.FlushAsync();
                    }
                }
            }
            """);

    [Fact]
    public Task TimedAndCancellableWaits_AreNotReportedInSynchronousCode()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                int M(Task<int> t, Task[] all, CancellationToken ct)
                {
                    t.Wait(ct);
                    Task.WaitAll(all, ct);
                    if (t.Wait(1000) && Task.WaitAll(all, TimeSpan.FromSeconds(1)))
                    {
                        return t.Result + Task.WaitAny(all, 100);
                    }

                    return -1;
                }
            }
            """);

    [Fact]
    public Task CompletionProofsOnStatusAndWhenAny_ApplyInSynchronousCode()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                int M(Task<int> t)
                {
                    switch (t.Status)
                    {
                        case TaskStatus.RanToCompletion:
                            return t.Result;
                        default:
                            return t is { IsCompleted: true } ? t.GetAwaiter().GetResult() : 0;
                    }
                }
            }
            """);
}
