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
        => VerifyReportedOnlyWhenAskedAsync("""
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

    [Fact]
    public Task DualModeConvention_ModeHandedOnThroughSeveralLevels_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            internal enum IOBehavior { Asynchronous, Synchronous }
            public sealed class Command
            {
                private readonly Stream _stream = Stream.Null;
                private readonly byte[] _buffer = new byte[16];

                public int ExecuteNonQuery() => ExecuteNonQueryAsync(IOBehavior.Synchronous, CancellationToken.None).Result;

                public void Prepare(bool flag) => PrepareAsync(flag, async: false).GetAwaiter().GetResult();

                internal async ValueTask<int> ExecuteNonQueryAsync(IOBehavior ioBehavior, CancellationToken cancellationToken)
                {
                    var read = await ReadAsync(ioBehavior, cancellationToken).ConfigureAwait(false);
                    await SendAsync(_buffer, ioBehavior, cancellationToken);
                    return read;
                }

                // Not async: the mode picks the path; the convention is trusted however deep it goes.
                private ValueTask<int> ReadAsync(IOBehavior ioBehavior, CancellationToken cancellationToken)
                    => ioBehavior == IOBehavior.Asynchronous
                        ? new ValueTask<int>(_stream.ReadAsync(_buffer, 0, _buffer.Length, cancellationToken))
                        : new ValueTask<int>(_stream.Read(_buffer, 0, _buffer.Length));

                private async Task SendAsync(byte[] payload, IOBehavior ioBehavior, CancellationToken cancellationToken)
                {
                    if (ioBehavior == IOBehavior.Asynchronous)
                        await _stream.WriteAsync(payload, 0, payload.Length, cancellationToken).ConfigureAwait(false);
                    else
                        _stream.Write(payload, 0, payload.Length);
                }

                private async Task PrepareAsync(bool flag, bool async)
                {
                    if (flag)
                    {
                        await FlushAsync(async).ConfigureAwait(false);
                    }
                }

                private Task FlushAsync(bool async)
                {
                    if (async)
                    {
                        return _stream.FlushAsync();
                    }

                    _stream.Flush();
                    return Task.CompletedTask;
                }
            }
            """);

    [Fact]
    public Task DualModeConvention_AsynchronousModeOrNoConvention_IsReported()
        => VerifyReportedOnlyWhenAskedAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            internal enum IOBehavior { Asynchronous, Synchronous }
            internal enum Speed { Sync, Fast }
            public class Command
            {
                private readonly Stream _stream = Stream.Null;

                public void Run(CancellationToken token)
                {
                    // The asynchronous mode really awaits.
                    [|ExecuteAsync(IOBehavior.Asynchronous, token).Result|].ToString();
                    // The mode handed on, but the other await does not receive it.
                    [|ExecuteThenFlushAsync(IOBehavior.Synchronous).Wait()|];
                    // An enum without an asynchronous member is no mode.
                    [|RunAtAsync(Speed.Sync).Wait()|];
                    // Not async, and no mode parameter.
                    [|StartAsync().Wait()|];
                    // Not async, given the synchronous mode, but never reads it.
                    [|IgnoresModeAsync(IOBehavior.Synchronous).Wait()|];
                }

                internal async ValueTask<int> ExecuteAsync(IOBehavior ioBehavior, CancellationToken cancellationToken)
                {
                    await SendAsync(ioBehavior).ConfigureAwait(false);
                    return 1;
                }

                private async Task ExecuteThenFlushAsync(IOBehavior ioBehavior)
                {
                    await SendAsync(ioBehavior);
                    await _stream.FlushAsync();
                }

                private Task SendAsync(IOBehavior ioBehavior)
                    => ioBehavior == IOBehavior.Asynchronous ? _stream.FlushAsync() : Task.CompletedTask;

                private async Task RunAtAsync(Speed speed)
                {
                    await SendAsync(IOBehavior.Asynchronous);
                }

                private Task StartAsync() => _stream.FlushAsync();

                private Task IgnoresModeAsync(IOBehavior ioBehavior) => _stream.FlushAsync();
            }
            """);
}
