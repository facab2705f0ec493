// Benchmark pair for NOGIL205 (use await using for an asynchronously disposable resource in async code).
// Before.cs is written by hand; After.cs is exactly what the code fix makes of it. Regenerate After.cs with
// NOGIL_UPDATE_PAIRS=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair
using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace NoGil.Benchmarks.Pairs.Nogil205.Before;

/// <summary>The far end of a reply stream: counts what reached it.</summary>
public sealed class Connection
{
    /// <summary>Round trip of each simulated send, in milliseconds.</summary>
    public const int RoundTripMs = 1;

    public int BytesSent { get; set; }
}

/// <summary>
/// A buffered stream to a remote peer, like a network or file stream with a write buffer: writes fill the buffer,
/// flushing sends it (one round trip), and disposing flushes what is still buffered — synchronously in
/// <see cref="Dispose(bool)"/>, asynchronously in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class ReplyStream(Connection connection) : Stream
{
    private int _buffered;
    private bool _disposed;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _buffered += count;

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _buffered += buffer.Length;
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends the buffer: the calling thread waits for the round trip.</summary>
    public override void Flush()
    {
        if (_buffered > 0)
        {
            Thread.Sleep(Connection.RoundTripMs);
            Sent();
        }
    }

    /// <summary>Sends the buffer without holding a thread during the round trip.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_buffered > 0)
        {
            await Task.Delay(Connection.RoundTripMs, cancellationToken);
            Sent();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            await FlushAsync(CancellationToken.None);
            _disposed = true;
        }

        GC.SuppressFinalize(this);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Flush();
            _disposed = true;
        }

        base.Dispose(disposing);
    }

    private void Sent()
    {
        connection.BytesSent += _buffered;
        _buffered = 0;
    }
}

/// <summary>A request handler: it awaits loading the reply, writes it, and disposes the stream synchronously.</summary>
public static class ReplyService
{
    public static async Task<int> HandleRequestAsync(int requestId)
    {
        var reply = await LoadReplyAsync(requestId);
        var connection = new Connection();
        using (var stream = new ReplyStream(connection))
        {
            await stream.WriteAsync(reply);
        }

        return connection.BytesSent;
    }

    private static async Task<byte[]> LoadReplyAsync(int requestId)
    {
        await Task.Delay(Connection.RoundTripMs);
        return new byte[64 + requestId % 13];
    }
}
