using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>Deliberate synchronous calls and methods that only look like twins.</summary>
public sealed partial class UseAsyncTwinTests
{
    // ---- Dual-mode methods: the synchronous branch beside the awaited twin ----

    [Fact]
    public Task DualModeIfElse_SyncBranches_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Writer
            {
                async Task WriteCoreAsync(Stream s, byte[] buffer, bool isAsync, CancellationToken ct)
                {
                    if (isAsync)
                        await s.WriteAsync(buffer, 0, buffer.Length, ct);
                    else
                        s.Write(buffer, 0, buffer.Length);

                    if (isAsync)
                    {
                        await s.WriteAsync(buffer.AsMemory(), ct);
                    }
                    else if (buffer.Length > 0)
                    {
                        s.Write(buffer, 0, buffer.Length);
                    }
                    else
                    {
                        s.Flush();
                    }
                }
            }
            """);

    [Fact]
    public Task DualModeConditionalExpression_SyncBranch_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Reader
            {
                async Task<int> ReadCoreAsync(Stream s, TextReader r, byte[] buffer, bool isAsync, CancellationToken? ct)
                {
                    var n = isAsync ? await s.ReadAsync(buffer, 0, buffer.Length, ct ?? default) : s.Read(buffer, 0, buffer.Length);
                    var line = ct.HasValue ? await r.ReadLineAsync(ct.Value) : r.ReadLine();
                    return n + line.Length;
                }
            }
            """);

    [Fact]
    public Task DualModeSwitch_SyncCase_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            enum Mode { Sync, Async }
            class Flusher
            {
                async Task<int> RunAsync(Stream s, byte[] buffer, Mode mode, CancellationToken ct)
                {
                    switch (mode)
                    {
                        case Mode.Async:
                            await s.FlushAsync(ct);
                            break;
                        default:
                            s.Flush();
                            break;
                    }

                    return mode switch
                    {
                        Mode.Async => await s.ReadAsync(buffer, 0, buffer.Length, ct),
                        _ => s.Read(buffer, 0, buffer.Length),
                    };
                }
            }
            """);

    [Fact]
    public Task DualModeEarlyReturn_SyncRemainder_IsNotReported_AfterNonExitingBranch_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class Writer
            {
                async Task WriteCoreAsync(Stream s, byte[] buffer, bool isAsync, CancellationToken ct)
                {
                    if (isAsync)
                    {
                        await s.WriteAsync(buffer, 0, buffer.Length, ct);
                        return;
                    }

                    s.Write(buffer, 0, buffer.Length);
                }

                async Task FlushCoreAsync(Stream s, bool isAsync, CancellationToken ct)
                {
                    if (isAsync)
                    {
                        await s.FlushAsync(ct);
                    }

                    [|s.Flush()|];
                }
            }
            """);

    [Fact]
    public Task DualModeMethod_SyncBranchBesideAnotherAwaitable_IsNotReported_UnconditionalCall_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;
            class Session
            {
                async Task<int> ConnectAsync(Socket socket, Stream stream, string keyFile, byte[] buffer, bool isAsync, CancellationToken ct)
                {
                    if (isAsync)
                        await Task.Factory.FromAsync(socket.BeginDisconnect, socket.EndDisconnect, true, null);
                    else
                        socket.Disconnect(true);

                    var key = {|#0:File.ReadAllBytes(keyFile)|};
                    var n = isAsync ? await stream.ReadAsync(buffer, 0, buffer.Length, ct) : stream.Read(buffer, 0, buffer.Length);
                    return n + key.Length;
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(
                "File.ReadAllBytes",
                "File.ReadAllBytesAsync",
                " (not fixed automatically: the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only)"));

    [Fact]
    public Task ModeEnumMethod_SyncBranch_IsNotReported_UnconditionalCall_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading.Tasks;
            enum IOBehavior { Synchronous, Asynchronous }
            class Session
            {
                async Task ConnectAsync(Socket socket, EndPoint endPoint, string keyFile, IOBehavior ioBehavior)
                {
                    var key = {|#0:File.ReadAllBytes(keyFile)|};
                    if (ioBehavior == IOBehavior.Asynchronous)
                    {
                        await Task.Factory.FromAsync(socket.BeginConnect, socket.EndConnect, endPoint, null).ConfigureAwait(false);
                    }
                    else
                    {
                        socket.Connect(endPoint);
                    }
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(
                "File.ReadAllBytes",
                "File.ReadAllBytesAsync",
                " (not fixed automatically: the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only)"));

    [Fact]
    public Task MethodTakingAModeParameter_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            enum IOBehavior { Synchronous, Asynchronous }
            class Session
            {
                async Task<byte[]> GetKeyAsync(string keyFile, IOBehavior ioBehavior)
                {
                    await Task.Yield();
                    return {|#0:File.ReadAllBytes(keyFile)|};
                }

                async Task<string> ReadAsync(string path, bool isAsync)
                {
                    await Task.Yield();
                    return {|#1:File.ReadAllText(path)|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "File.ReadAllBytes",
                "File.ReadAllBytesAsync",
                " (not fixed automatically: the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only)"),
            Verify.Diagnostic().WithLocation(1).WithArguments(
                "File.ReadAllText",
                "File.ReadAllTextAsync",
                " (not fixed automatically: the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only)"));

    [Fact]
    public Task SiblingBranchWithoutTwin_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream s, bool verbose)
                {
                    if (verbose)
                        [|s.Flush()|];
                    else
                        await Task.Yield();
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream s, bool verbose)
                {
                    if (verbose)
                        await s.FlushAsync();
                    else
                        await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task ThreadSleep_BesideTaskDelayBranch_IsNotReported_ElsewhereInTheMethod_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(bool isAsync)
                {
                    if (isAsync) await Task.Delay(10); else Thread.Sleep(10);
                    await Task.Delay(5);
                    [|Thread.Sleep(5)|];
                }
            }
            """);

    // ---- Code that exercises both APIs ----

    [Fact]
    public Task TestMethodAlsoCallingTheTwin_IsNotReported_OtherMethods_AreReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            namespace Xunit { public sealed class FactAttribute : System.Attribute { } }
            class RowReader
            {
                public bool MoveNext() => false;
                public ValueTask<bool> MoveNextAsync() => new(false);
            }
            class ReaderTests
            {
                [Xunit.Fact]
                public async Task BothApisAgree()
                {
                    var reader = new RowReader();
                    var sync = reader.MoveNext();
                    var async = await reader.MoveNextAsync();
                    System.Diagnostics.Debug.Assert(sync == async);
                }

                public async Task<bool> HalfMigratedAsync(RowReader reader)
                {
                    await reader.MoveNextAsync();
                    return [|reader.MoveNext()|];
                }
            }
            """);

    [Fact]
    public Task MethodCallingAnotherOverloadOfTheTwin_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream s, byte[] header, byte[] body)
                {
                    await s.WriteAsync(header.AsMemory());
                    [|s.Write(body, 0, body.Length)|];
                }
            }
            """);

    // ---- Methods that are not twins ----

    [Fact]
    public Task TwinThatCallsTheOriginal_IsNotATwin_ItsRealOverloadIs()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Store
            {
                public void Save() { }
                public Task SaveAsync() => Task.Run(() => Save());
                public int Load() => 1;
                public Task<int> LoadAsync() { var n = Load(); return Task.FromResult(n); }
                public void Flush() { }
                public Task FlushAsync() { this.Flush(); return Task.CompletedTask; }
                public void Sync() { }
                public Task SyncAsync() { Sync(); return Task.CompletedTask; }
                public Task SyncAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
            }
            class C
            {
                async Task M(Store store, CancellationToken ct)
                {
                    await Task.Yield();
                    store.Save();
                    store.Load();
                    store.Flush();
                    [|store.Sync()|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Store
            {
                public void Save() { }
                public Task SaveAsync() => Task.Run(() => Save());
                public int Load() => 1;
                public Task<int> LoadAsync() { var n = Load(); return Task.FromResult(n); }
                public void Flush() { }
                public Task FlushAsync() { this.Flush(); return Task.CompletedTask; }
                public void Sync() { }
                public Task SyncAsync() { Sync(); return Task.CompletedTask; }
                public Task SyncAsync(CancellationToken cancellationToken) => Task.Delay(1, cancellationToken);
            }
            class C
            {
                async Task M(Store store, CancellationToken ct)
                {
                    await Task.Yield();
                    store.Save();
                    store.Load();
                    store.Flush();
                    await store.SyncAsync(ct);
                }
            }
            """);

    [Fact]
    public Task TwinThatAwaitsAndFallsBackToTheOriginal_IsATwin()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class Entry
            {
                public bool Seekable { get; }
                public Stream Open() => Stream.Null;
                public async ValueTask<Stream> OpenAsync()
                {
                    if (Seekable)
                    {
                        await Task.Yield();
                        return Stream.Null;
                    }

                    return Open();
                }
            }
            class C
            {
                async Task M(Entry entry)
                {
                    await Task.Yield();
                    using var stream = [|entry.Open()|];
                }
            }
            """);

    [Fact]
    public Task SyncSuffixedMethod_IsNotPairedWithSyncAsync_WhenTheAsyncModeExists()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class Api
            {
                public void FetchSync() { }
                public Task FetchAsync() => Task.CompletedTask;
                public Task FetchSyncAsync() => Task.CompletedTask;
                public void DataSync() { }
                public Task DataSyncAsync() => Task.CompletedTask;
            }
            class C
            {
                async Task M(Api api)
                {
                    await Task.Yield();
                    api.FetchSync();
                    [|api.DataSync()|];
                }
            }
            """);

    // ---- Matching: conversions and generic constraints ----

    [Fact]
    public Task TwinParameterReachedByImplicitConversion_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Sender
            {
                public void Send(int count, IEnumerable<int> items) { }
                public Task SendAsync(long count, IReadOnlyList<int> items) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Sender sender)
                {
                    await Task.Yield();
                    [|sender.Send(3, new[] { 1 })|];
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Sender
            {
                public void Send(int count, IEnumerable<int> items) { }
                public Task SendAsync(long count, IReadOnlyList<int> items) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Sender sender)
                {
                    await Task.Yield();
                    await sender.SendAsync(3, new[] { 1 });
                }
            }
            """);

    [Fact]
    public Task TwinParameterNeedingUserDefinedLossyOrArgumentIncompatibleConversion_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            readonly struct Money { public static implicit operator Money(int cents) => default; }
            class Sender
            {
                public void Send(int cents) { }
                public Task SendAsync(Money amount) => Task.CompletedTask;
                public void Post(long id) { }
                public Task PostAsync(double id) => Task.CompletedTask;
                public void Put(IEnumerable<int> items) { }
                public Task PutAsync(IReadOnlyList<int> items) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Sender sender, IEnumerable<int> items)
                {
                    await Task.Yield();
                    sender.Send(3);
                    sender.Post(3L);
                    sender.Put(items);
                }
            }
            """);

    [Fact]
    public Task GenericTwin_ConstraintsNotSatisfied_IsNotReported_Satisfied_IsReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class Cache
            {
                public T Get<T>(string key) => default!;
                public Task<T> GetAsync<T>(string key) where T : class => Task.FromResult<T>(null!);
                public T Create<T>() => default!;
                public Task<T> CreateAsync<T>() where T : IComparable<T>, new() => Task.FromResult(new T());
            }
            class NoDefault { public NoDefault(int x) { } }
            class C
            {
                async Task M(Cache cache)
                {
                    await Task.Yield();
                    cache.Get<int>("a");
                    cache.Create<NoDefault>();
                    cache.Create<string>();
                    [|cache.Get<string>("b")|];
                    [|cache.Create<int>()|];
                }
            }
            """);

    [Fact]
    public Task ExtensionMethodTwin_InTheSameClass_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Thing { }
            static class ThingExtensions
            {
                public static void Touch(this Thing thing) { }
                public static Task TouchAsync(this Thing thing, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Thing thing, CancellationToken ct)
                {
                    await Task.Yield();
                    [|thing.Touch()|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Thing { }
            static class ThingExtensions
            {
                public static void Touch(this Thing thing) { }
                public static Task TouchAsync(this Thing thing, CancellationToken cancellationToken = default) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Thing thing, CancellationToken ct)
                {
                    await Task.Yield();
                    await thing.TouchAsync(ct);
                }
            }
            """);
}
