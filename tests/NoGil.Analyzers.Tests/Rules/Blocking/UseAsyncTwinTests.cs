using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

public sealed partial class UseAsyncTwinTests
{
    // ---- Thread.Sleep ----

    [Fact]
    public Task ThreadSleep_BecomesTaskDelay()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    // pause
                    [|Thread.Sleep(100)|]; // trailing
                    await Task.Yield();
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    // pause
                    await Task.Delay(100); // trailing
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task ThreadSleepTimeSpan_BecomesTaskDelay()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    [|Thread.Sleep(TimeSpan.FromSeconds(1))|];
                }
            }
            """, """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
            """);

    [Fact]
    public Task ThreadSleep_ReportsBlockingCallAndTwin()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    {|#0:Thread.Sleep(5)|};
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Thread.Sleep", "Task.Delay", ""));

    [Fact]
    public Task ThreadSleepNamedArgument_DropsTheName()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    [|Thread.Sleep(millisecondsTimeout: 5)|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    await Task.Delay(5);
                }
            }
            """);

    [Fact]
    public Task ThreadSleep_WithoutTasksUsing_AddsTheUsing()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;

            class C
            {
                async void M()
                {
                    [|Thread.Sleep(10)|];
                    [|Thread.Sleep(20)|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async void M()
                {
                    await Task.Delay(10);
                    await Task.Delay(20);
                }
            }
            """);

    [Fact]
    public Task ThreadSleep_InFileWithoutUsings_AddsUsingAfterHeader()
        => Verify.VerifyCodeFixAsync("""
            // Header comment.
            class C
            {
                async void M()
                {
                    [|System.Threading.Thread.Sleep(1)|];
                }
            }
            """, """
            // Header comment.
            using System.Threading.Tasks;

            class C
            {
                async void M()
                {
                    await Task.Delay(1);
                }
            }
            """);

    [Fact]
    public Task ThreadSleep_WhenTaskIsAnotherType_QualifiesTaskDelay()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;

            namespace N
            {
                class Task { }

                class C
                {
                    async void M()
                    {
                        [|Thread.Sleep(10)|];
                    }
                }
            }
            """, """
            using System.Threading;

            namespace N
            {
                class Task { }

                class C
                {
                    async void M()
                    {
                        await System.Threading.Tasks.Task.Delay(10);
                    }
                }
            }
            """);

    [Fact]
    public Task ThreadSleepZero_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                const int None = 0;

                async Task M()
                {
                    await Task.Yield();
                    Thread.Sleep(0);
                    Thread.Sleep(None);
                    Thread.Sleep(TimeSpan.Zero);
                    Thread.Sleep(default(TimeSpan));
                }
            }
            """);

    // ---- SemaphoreSlim ----

    [Fact]
    public Task SemaphoreSlimWait_BecomesWaitAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

                async Task<bool> M()
                {
                    [|_gate.Wait()|];
                    try
                    {
                        await Task.Yield();
                    }
                    finally
                    {
                        _gate.Release();
                    }

                    if ([|_gate.Wait(100)|])
                    {
                        _gate.Release();
                    }

                    return [|_gate.Wait(50)|] && true;
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

                async Task<bool> M()
                {
                    await _gate.WaitAsync();
                    try
                    {
                        await Task.Yield();
                    }
                    finally
                    {
                        _gate.Release();
                    }

                    if (await _gate.WaitAsync(100))
                    {
                        _gate.Release();
                    }

                    return await _gate.WaitAsync(50) && true;
                }
            }
            """);

    [Fact]
    public Task SemaphoreSlimWait_ForwardsTokenInScope()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(SemaphoreSlim gate, CancellationToken ct)
                {
                    [|gate.Wait()|];
                    [|gate.Wait(ct)|];
                    await Task.Yield();
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(SemaphoreSlim gate, CancellationToken ct)
                {
                    await gate.WaitAsync(ct);
                    await gate.WaitAsync(ct);
                    await Task.Yield();
                }
            }
            """);

    // ---- Streams, readers, writers ----

    [Fact]
    public Task StreamMembers_BecomeAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(FileStream source, Stream destination, byte[] buffer)
                {
                    await Task.Yield();
                    int read = [|source.Read(buffer, 0, buffer.Length)|];
                    [|destination.Write(buffer, 0, read)|];
                    [|source.CopyTo(destination)|];
                    [|destination.Flush()|];
                    return read;
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(FileStream source, Stream destination, byte[] buffer)
                {
                    await Task.Yield();
                    int read = await source.ReadAsync(buffer, 0, buffer.Length);
                    await destination.WriteAsync(buffer, 0, read);
                    await source.CopyToAsync(destination);
                    await destination.FlushAsync();
                    return read;
                }
            }
            """);

    [Fact]
    public Task ReaderAndWriter_BecomeAsync_Parenthesized()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(StreamReader reader, TextWriter writer)
                {
                    await Task.Yield();
                    var line = [|reader.ReadLine()|].Trim();
                    [|writer.WriteLine(line)|];
                    [|writer.Write('x')|];
                    return [|reader.ReadToEnd()|].Length;
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(StreamReader reader, TextWriter writer)
                {
                    await Task.Yield();
                    var line = (await reader.ReadLineAsync()).Trim();
                    await writer.WriteLineAsync(line);
                    await writer.WriteAsync('x');
                    return (await reader.ReadToEndAsync()).Length;
                }
            }
            """);

    // ---- File, HttpClient, Process ----

    [Fact]
    public Task FileStatics_BecomeAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, byte[] data)
                {
                    await Task.Yield();
                    [|File.WriteAllBytes(path, data)|];
                    string[] lines = [|File.ReadAllLines(path)|];
                    return [|File.ReadAllText(path)|] + lines.Length;
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, byte[] data)
                {
                    await Task.Yield();
                    await File.WriteAllBytesAsync(path, data);
                    string[] lines = await File.ReadAllLinesAsync(path);
                    return await File.ReadAllTextAsync(path) + lines.Length;
                }
            }
            """);

    // Pinned to netstandard2.0, where File has no …Async methods: without a twin there is nothing to await.
    [Fact]
    public Task FileStatics_AreNotReported_OnNetStandard20()
        => Verify.VerifyAnalyzerOnAsync(TestReferences.NetStandard20, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, byte[] data)
                {
                    await Task.Yield();
                    File.WriteAllBytes(path, data);
                    string[] lines = File.ReadAllLines(path);
                    return File.ReadAllText(path) + lines.Length;
                }
            }
            """);

    [Fact]
    public Task HttpClientSend_BecomesSendAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Net.Http;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(HttpClient client, HttpRequestMessage request)
                {
                    await Task.Yield();
                    using var response = [|client.Send(request)|];
                    return (int)response.StatusCode;
                }
            }
            """, """
            using System.Net.Http;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(HttpClient client, HttpRequestMessage request)
                {
                    await Task.Yield();
                    using var response = await client.SendAsync(request);
                    return (int)response.StatusCode;
                }
            }
            """);

    [Fact]
    public Task ProcessWaitForExit_BecomesWaitForExitAsync()
        => Verify.VerifyCodeFixAsync("""
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Process process, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    [|process.WaitForExit()|];
                    return process.WaitForExit(1000) ? process.ExitCode : -1;
                }
            }
            """, """
            using System.Diagnostics;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Process process, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    await process.WaitForExitAsync(cancellationToken);
                    return process.WaitForExit(1000) ? process.ExitCode : -1;
                }
            }
            """);

    // ---- CancellationToken forwarding ----

    [Fact]
    public Task Token_ParameterInScope_IsForwarded()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    [|Thread.Sleep(10)|];
                    return [|File.ReadAllText(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    await Task.Delay(10, cancellationToken);
                    return await File.ReadAllTextAsync(path, cancellationToken);
                }
            }
            """);

    [Fact]
    public Task Token_NoneInScope_OptionalParameterIsOmitted()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path)
                {
                    await Task.Yield();
                    return [|File.ReadAllText(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path)
                {
                    await Task.Yield();
                    return await File.ReadAllTextAsync(path);
                }
            }
            """);

    [Fact]
    public Task Token_LocalDeclaredBefore_IsForwarded_LocalDeclaredAfter_IsNot()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, CancellationTokenSource source)
                {
                    await Task.Yield();
                    [|File.WriteAllText(path, "a")|];
                    var token = source.Token;
                    [|File.WriteAllText(path, "b")|];
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, CancellationTokenSource source)
                {
                    await Task.Yield();
                    await File.WriteAllTextAsync(path, "a");
                    var token = source.Token;
                    await File.WriteAllTextAsync(path, "b", token);
                }
            }
            """);

    [Fact]
    public Task Token_Ambiguous_IsNotForwarded()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken first, CancellationToken second)
                {
                    await Task.Yield();
                    return [|File.ReadAllText(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken first, CancellationToken second)
                {
                    await Task.Yield();
                    return await File.ReadAllTextAsync(path);
                }
            }
            """);

    [Fact]
    public Task Token_SeveralInScope_ConventionalNameWins()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken shutdown, CancellationToken ct)
                {
                    await Task.Yield();
                    return [|File.ReadAllText(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, CancellationToken shutdown, CancellationToken ct)
                {
                    await Task.Yield();
                    return await File.ReadAllTextAsync(path, ct);
                }
            }
            """);

    [Fact]
    public Task Token_LambdaParameter_IsForwarded_StaticLambdaDoesNotCapture()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                void M(CancellationToken outer)
                {
                    Func<CancellationToken, Task> withToken = async token => [|Thread.Sleep(5)|];
                    Func<Task> isolated = static async () => [|Thread.Sleep(5)|];
                }
            }
            """, """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                void M(CancellationToken outer)
                {
                    Func<CancellationToken, Task> withToken = async token => await Task.Delay(5, token);
                    Func<Task> isolated = static async () => await Task.Delay(5);
                }
            }
            """);

    [Fact]
    public Task Token_RequiredButNoneInScope_PassesCancellationTokenNone()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Service
            {
                public void Run() { }
                public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Service service)
                {
                    await Task.Yield();
                    [|service.Run()|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Service
            {
                public void Run() { }
                public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Service service)
                {
                    await Task.Yield();
                    await service.RunAsync(CancellationToken.None);
                }
            }
            """);

    [Fact]
    public Task Token_AfterOmittedOptionalArgument_IsNamed()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Store
            {
                public int Get(int key, int fallback = 0) => key;
                public Task<int> GetAsync(int key, int fallback = 0, CancellationToken cancellationToken = default) => Task.FromResult(key);
            }
            class C
            {
                async Task<int> M(Store store, CancellationToken ct)
                {
                    await Task.Yield();
                    return [|store.Get(1)|] + [|store.Get(key: 2, fallback: 3)|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Store
            {
                public int Get(int key, int fallback = 0) => key;
                public Task<int> GetAsync(int key, int fallback = 0, CancellationToken cancellationToken = default) => Task.FromResult(key);
            }
            class C
            {
                async Task<int> M(Store store, CancellationToken ct)
                {
                    await Task.Yield();
                    return await store.GetAsync(1, cancellationToken: ct) + await store.GetAsync(key: 2, fallback: 3, cancellationToken: ct);
                }
            }
            """);

    // ---- Async lambdas and local functions ----

    [Fact]
    public Task AsyncLambda_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Func<string, Task<string>> M() => async path =>
                {
                    await Task.Yield();
                    return [|File.ReadAllText(path)|];
                };
            }
            """, """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Func<string, Task<string>> M() => async path =>
                {
                    await Task.Yield();
                    return await File.ReadAllTextAsync(path);
                };
            }
            """);

    [Fact]
    public Task AsyncLocalFunction_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Task<string> M(string path)
                {
                    return Local();

                    async Task<string> Local()
                    {
                        await Task.Yield();
                        return [|File.ReadAllText(path)|];
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Task<string> M(string path)
                {
                    return Local();

                    async Task<string> Local()
                    {
                        await Task.Yield();
                        return await File.ReadAllTextAsync(path);
                    }
                }
            }
            """);

    [Fact]
    public Task NonAsyncFunctions_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                string Sync(string path)
                {
                    Thread.Sleep(10);
                    return File.ReadAllText(path);
                }

                async Task Async(string path)
                {
                    await Task.Yield();
                    Func<string> lambda = () => File.ReadAllText(path);
                    Action sleep = delegate { Thread.Sleep(10); };
                    string Local() => File.ReadAllText(path);
                    await Task.Run(() => Thread.Sleep(10));
                }
            }
            """);

    // ---- User-defined pairs ----

    [Fact]
    public Task UserDefinedPair_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class Repository
            {
                public int Load(string key) => 0;
                public Task<int> LoadAsync(string key) => Task.FromResult(0);
                public static void Save(int value) { }
                public static ValueTask SaveAsync(int value) => default;
                public T Get<T>(string key) => default;
                public Task<T> GetAsync<T>(string key) => Task.FromResult(default(T));
            }
            class C
            {
                async Task M(Repository repository)
                {
                    await Task.Yield();
                    var value = [|repository.Load("a")|];
                    [|Repository.Save(value)|];
                    var text = [|repository.Get<string>("b")|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class Repository
            {
                public int Load(string key) => 0;
                public Task<int> LoadAsync(string key) => Task.FromResult(0);
                public static void Save(int value) { }
                public static ValueTask SaveAsync(int value) => default;
                public T Get<T>(string key) => default;
                public Task<T> GetAsync<T>(string key) => Task.FromResult(default(T));
            }
            class C
            {
                async Task M(Repository repository)
                {
                    await Task.Yield();
                    var value = await repository.LoadAsync("a");
                    await Repository.SaveAsync(value);
                    var text = await repository.GetAsync<string>("b");
                }
            }
            """);

    [Fact]
    public Task TwinOnBaseType_AndImplicitThis_AreReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            class Base
            {
                public Task RefreshAsync() => Task.CompletedTask;
            }
            class Derived : Base
            {
                public void Refresh() { }

                async Task M()
                {
                    await Task.Yield();
                    [|Refresh()|];
                    [|this.Refresh()|];
                }
            }
            """, """
            using System.Threading.Tasks;
            class Base
            {
                public Task RefreshAsync() => Task.CompletedTask;
            }
            class Derived : Base
            {
                public void Refresh() { }

                async Task M()
                {
                    await Task.Yield();
                    await RefreshAsync();
                    await this.RefreshAsync();
                }
            }
            """);

    [Fact]
    public Task TwinOnBaseInterface_IsReported()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            interface IChannel
            {
                Task<int> ReceiveAsync();
            }
            interface IDuplexChannel : IChannel
            {
                int Receive();
            }
            class C
            {
                async Task<int> M(IDuplexChannel channel)
                {
                    await Task.Yield();
                    return [|channel.Receive()|];
                }
            }
            """, """
            using System.Threading.Tasks;
            interface IChannel
            {
                Task<int> ReceiveAsync();
            }
            interface IDuplexChannel : IChannel
            {
                int Receive();
            }
            class C
            {
                async Task<int> M(IDuplexChannel channel)
                {
                    await Task.Yield();
                    return await channel.ReceiveAsync();
                }
            }
            """);

    [Fact]
    public Task Token_StaticLocalFunction_DoesNotCaptureOuterToken()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                Task<string> M(string path, CancellationToken ct)
                {
                    return Read(path);

                    static async Task<string> Read(string file)
                    {
                        await Task.Yield();
                        return [|File.ReadAllText(file)|];
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                Task<string> M(string path, CancellationToken ct)
                {
                    return Read(path);

                    static async Task<string> Read(string file)
                    {
                        await Task.Yield();
                        return await File.ReadAllTextAsync(file);
                    }
                }
            }
            """);

    [Fact]
    public Task Token_ShadowedByAnotherSymbol_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                void M(CancellationToken ct)
                {
                    Func<int, Task> f = async ct => [|Thread.Sleep(ct)|];
                }
            }
            """);

    [Fact]
    public Task Token_UninitializedLocal_IsNotForwarded()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, bool flag)
                {
                    await Task.Yield();
                    CancellationToken token;
                    if (flag) token = CancellationToken.None;
                    return [|File.ReadAllText(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(string path, bool flag)
                {
                    await Task.Yield();
                    CancellationToken token;
                    if (flag) token = CancellationToken.None;
                    return await File.ReadAllTextAsync(path);
                }
            }
            """);

    [Fact]
    public Task AwaitInOtherExpressionContexts_IsParenthesizedOnlyWhereNeeded()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(TextReader reader, bool flag)
                {
                    await Task.Yield();
                    var a = flag ? [|reader.ReadLine()|] : "";
                    var b = [|reader.ReadToEnd()|]?.Length ?? 0;
                    var c = (object)[|reader.ReadLine()|];
                    return a.Length + b + c.GetHashCode() + reader.Peek() + reader.Read();
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(TextReader reader, bool flag)
                {
                    await Task.Yield();
                    var a = flag ? await reader.ReadLineAsync() : "";
                    var b = (await reader.ReadToEndAsync())?.Length ?? 0;
                    var c = (object)await reader.ReadLineAsync();
                    return a.Length + b + c.GetHashCode() + reader.Peek() + reader.Read();
                }
            }
            """);

    [Fact]
    public Task FixAll_RewritesEveryCallInTheMethod()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, SemaphoreSlim gate, StreamWriter log, CancellationToken ct)
                {
                    [|gate.Wait()|];
                    try
                    {
                        var text = [|File.ReadAllText(path)|];
                        [|log.WriteLine(text)|];
                        [|Thread.Sleep(50)|];
                        [|File.WriteAllText(path + ".bak", text)|];
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, SemaphoreSlim gate, StreamWriter log, CancellationToken ct)
                {
                    await gate.WaitAsync(ct);
                    try
                    {
                        var text = await File.ReadAllTextAsync(path, ct);
                        await log.WriteLineAsync(text);
                        await Task.Delay(50, ct);
                        await File.WriteAllTextAsync(path + ".bak", text, ct);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            """);

    /// <summary>The Non-compliant/Compliant pair of docs/rules/NOGIL202.md, verbatim.</summary>
    [Fact]
    public Task DocumentationExample_IsTheFixOutput()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> ImportAsync(string path, SemaphoreSlim gate, CancellationToken cancellationToken)
                {
                    [|gate.Wait()|];
                    try
                    {
                        var header = [|File.ReadAllLines(path)|][0];
                        using var reader = new StreamReader(path);
                        var first = [|reader.ReadLine()|].Trim();
                        [|Thread.Sleep(100)|];
                        return header.Length + first.Length;
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task<int> ImportAsync(string path, SemaphoreSlim gate, CancellationToken cancellationToken)
                {
                    await gate.WaitAsync(cancellationToken);
                    try
                    {
                        var header = (await File.ReadAllLinesAsync(path, cancellationToken))[0];
                        using var reader = new StreamReader(path);
                        var first = (await reader.ReadLineAsync(cancellationToken)).Trim();
                        await Task.Delay(100, cancellationToken);
                        return header.Length + first.Length;
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
            """);

    // ---- Not reported ----

    [Fact]
    public Task InMemoryReceivers_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class MyMemory : MemoryStream { }
            class C
            {
                async Task M(MemoryStream memory, MyMemory mine, UnmanagedMemoryStream unmanaged, StringReader reader, StringWriter writer, byte[] buffer)
                {
                    await Task.Yield();
                    memory.Write(buffer, 0, buffer.Length);
                    memory.Flush();
                    mine.Read(buffer, 0, 1);
                    unmanaged.Read(buffer, 0, 1);
                    reader.ReadLine();
                    reader.ReadToEnd();
                    writer.WriteLine("x");
                    writer.Flush();
                    new MemoryStream().CopyTo(memory);
                    Stream.Null.Flush();
                    TextWriter.Null.WriteLine("x");
                }
            }
            """);

    [Fact]
    public Task ObjectsLayeredOverMemory_AreNotReported_OverFilesTheyAre()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.IO.Compression;
            using System.Threading.Tasks;
            class C
            {
                async Task M(byte[] bytes, byte[] buffer, string path)
                {
                    await Task.Yield();
                    using var ms = new MemoryStream(bytes);
                    using var z = new DeflateStream(ms, CompressionMode.Decompress);
                    z.Read(buffer, 0, buffer.Length);
                    using var writer = new StreamWriter(new MemoryStream());
                    writer.Flush();
                    using (var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress)))
                    {
                        reader.ReadToEnd();
                    }

                    // Over a file, or a local that is assigned again: real I/O.
                    using var file = new DeflateStream(File.OpenRead(path), CompressionMode.Decompress);
                    [|file.Read(buffer, 0, buffer.Length)|];
                    Stream s = new MemoryStream();
                    s = File.OpenRead(path);
                    [|s.Read(buffer, 0, buffer.Length)|];
                }
            }
            """);

    [Fact]
    public Task DataReaderRowAccessors_AreNotReported_ReadIs()
        => Verify.VerifyAnalyzerAsync("""
            using System.Data.Common;
            using System.Threading.Tasks;
            class C
            {
                async Task<string?> M(DbCommand command)
                {
                    using var reader = await command.ExecuteReaderAsync();
                    await reader.ReadAsync();
                    var schema = reader.GetColumnSchema();
                    var name = reader.IsDBNull(0) ? null : reader.GetFieldValue<string>(0);
                    [|reader.Read()|];
                    return name + schema.Count;
                }
            }
            """);

    [Fact]
    public Task ZeroTimeoutProbes_AreNotReported_OtherTimeoutsAre()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private static readonly int Immediately = 0;
                private static readonly TimeSpan NoWait = TimeSpan.Zero;
                private readonly SemaphoreSlim _gate = new SemaphoreSlim(1);

                async Task M(CancellationToken ct, int timeout)
                {
                    await Task.Yield();
                    _gate.Wait(0);
                    _gate.Wait(TimeSpan.Zero);
                    _gate.Wait(0, ct);
                    _gate.Wait(Immediately);
                    _gate.Wait(NoWait);
                    var none = 0;
                    _gate.Wait(none);
                    [|_gate.Wait(timeout)|];
                    var later = 0;
                    later = 100;
                    [|_gate.Wait(later)|];
                }
            }
            """);

    [Fact]
    public Task SqliteProvider_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            namespace Microsoft.Data.Sqlite
            {
                public sealed class SqliteConnection
                {
                    public void Open() { }
                    public Task OpenAsync() => Task.CompletedTask;
                }
            }
            class C
            {
                async Task M(Microsoft.Data.Sqlite.SqliteConnection connection)
                {
                    await Task.Yield();
                    connection.Open();
                }
            }
            """);

    [Fact]
    public async Task TestProjects_AreNotReported_UnlessAsked()
    {
        const string ReportInTests = """
            root = true

            [*]
            nogil.report_in_test_projects = true
            """;
        const string Source = """
            using System.IO;
            using System.Threading.Tasks;
            namespace Xunit { public static class Assert { } }
            class Tests
            {
                async Task WritesAFile(string path)
                {
                    {|#0:File.WriteAllText(path, "x")|};
                    await Task.Yield();
                }
            }
            """;
        await Verify.VerifyAnalyzerAsync(Source.Replace("{|#0:", string.Empty).Replace("|}", string.Empty));

        var test = new Verify.Test { TestCode = Source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportInTests));
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(0).WithArguments("File.WriteAllText", "File.WriteAllTextAsync", string.Empty));
        test.FixedCode = Source.Replace("{|#0:File.WriteAllText(path, \"x\")|}", "await File.WriteAllTextAsync(path, \"x\")");
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportInTests));
        await test.RunAsync();
    }

    [Fact]
    public Task LooselyMatchedTwins_AreReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class BaseResult { }
            class DerivedResult : BaseResult { }
            class Store
            {
                public void Save(in int value) { }
                public Task SaveAsync(int value, CancellationToken token = default) => Task.CompletedTask;
                public BaseResult Create() => new BaseResult();
                public Task<DerivedResult> CreateAsync() => Task.FromResult(new DerivedResult());
                public object Load() => new object();
                public Task<string> LoadAsync() => Task.FromResult("x");
            }
            class C
            {
                async Task M(Store store)
                {
                    await Task.Yield();
                    var value = 1;
                    {|#0:store.Save(in value)|};
                    BaseResult result = {|#1:store.Create()|};
                    // Any reference converts to object: no twin on that ground alone.
                    var loaded = store.Load();
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments("Store.Save", "Store.SaveAsync", " (not fixed automatically: the twin takes 'value' by value, not by 'in')"),
            Verify.Diagnostic().WithLocation(1).WithArguments("Store.Create", "Store.CreateAsync", " (not fixed automatically: the twin's result is a 'DerivedResult', not a 'BaseResult')"));

    [Fact]
    public Task ExtensionTwinInAnotherStaticClass_IsReportedAndFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public void A() { }
            }
            static class TestExtensions
            {
                public static Task AAsync(this Test test, CancellationToken token = default) => Task.CompletedTask;
            }
            class Demo
            {
                async Task M()
                {
                    await Task.Yield();
                    [|new Test().A()|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public void A() { }
            }
            static class TestExtensions
            {
                public static Task AAsync(this Test test, CancellationToken token = default) => Task.CompletedTask;
            }
            class Demo
            {
                async Task M()
                {
                    await Task.Yield();
                    await new Test().AAsync();
                }
            }
            """);

    [Fact]
    public Task ExtensionTwinNotInScope_IsNotATwin()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            namespace Elsewhere
            {
                static class TestExtensions
                {
                    public static Task AAsync(this Lib.Test test) => Task.CompletedTask;
                }
            }
            namespace Lib
            {
                class Test
                {
                    public void A() { }
                }
                class Demo
                {
                    async Task M()
                    {
                        await Task.Yield();
                        new Test().A();
                    }
                }
            }
            """);

    [Fact]
    public Task Console_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    Console.Out.WriteLine("out");
                    Console.Error.WriteLine("error");
                    Console.Out.Flush();
                    Console.WriteLine("static");
                    Console.In.ReadLine();
                }
            }
            """);

    [Fact]
    public Task NameofAndExpressionTrees_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(StreamReader reader)
                {
                    await Task.Yield();
                    Expression<Func<string>> tree = () => File.ReadAllText("a");
                    return nameof(reader.ReadLine) + nameof(File.ReadAllText);
                }
            }
            """);

    [Fact]
    public Task TwinThatIsTheCurrentMethod_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                public void Foo() { }

                public async Task FooAsync()
                {
                    await Task.Yield();
                    Foo();
                }

                public async Task FooAsync(CancellationToken ct)
                {
                    await Task.Yield();
                    Foo();
                }
            }
            """);

    [Fact]
    public Task TaskMembers_AreLeftToNogil201()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task t, Task<int> u, ValueTask<int> v)
                {
                    t.Wait();
                    Task.WaitAll(t, u);
                    _ = u.Result;
                    _ = v.GetAwaiter().GetResult();
                    _ = Task.Factory.StartNew(() => 1).Result;
                    await Task.Yield();
                }
            }
            """);

    [Fact]
    public Task DisposeAndCancel_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(FileStream stream, CancellationTokenSource source)
                {
                    await Task.Yield();
                    source.Cancel();
                    stream.Dispose();
                }
            }
            """);

    [Fact]
    public Task DifferentResultType_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class Gate
            {
                public bool Wait(int milliseconds) => true;
                public Task WaitAsync(int milliseconds) => Task.CompletedTask;
                public void Open(string name) { }
                public Task OpenAsync(object name) => Task.CompletedTask;
                public void Close(int code) { }
                public Task CloseAsync(int reason) => Task.CompletedTask;
                public void Reset() { }
                public Task<int> ResetAsync() => Task.FromResult(0);
            }
            class C
            {
                async Task M(Gate gate)
                {
                    await Task.Yield();
                    gate.Wait(10);
                    gate.Open("a");
                    gate.Close(code: 1);
                    gate.Reset();
                }
            }
            """);

    [Fact]
    public Task InaccessibleObsoleteOrStaticMismatchedTwins_AreNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            class Library
            {
                public void Hidden() { }
                private Task HiddenAsync() => Task.CompletedTask;
                public void Old() { }
                [Obsolete("Use something else")]
                public Task OldAsync() => Task.CompletedTask;
                public void Shared() { }
                public static Task SharedAsync() => Task.CompletedTask;
            }
            class C
            {
                async Task M(Library library)
                {
                    await Task.Yield();
                    library.Hidden();
                    library.Old();
                    library.Shared();
                }
            }
            """);

    // ---- Reported without a fix ----

    [Fact]
    public Task InsideLock_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                readonly object _gate = new object();

                async Task M(string path)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        [|Thread.Sleep(10)|];
                        [|File.ReadAllText(path)|];
                    }
                }
            }
            """);

    [Fact]
    public Task ConditionalAccess_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(StreamReader reader)
                {
                    await Task.Yield();
                    return reader?[|.ReadLine()|];
                }
            }
            """);

    // ---- Options ----

    // The same source with and without the option: unset, every call is reported; set, only the unlisted one.
    [Fact]
    public Task ExcludedMethods_Unset_ReportsEveryCall()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, SemaphoreSlim gate)
                {
                    await Task.Yield();
                    [|File.ReadAllText(path)|];
                    [|gate.Wait()|];
                    [|Thread.Sleep(5)|];
                    [|File.ReadAllLines(path)|];
                }
            }
            """);

    [Fact]
    public async Task ExcludedMethods_EmptyValue_ExcludesNothing()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.IO;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(string path)
                    {
                        await Task.Yield();
                        [|File.ReadAllText(path)|];
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(string path)
                    {
                        await Task.Yield();
                        await File.ReadAllTextAsync(path);
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            NOGIL202.excluded_methods = ,  ,
            """));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ExcludedMethods_Option_SuppressesListedMethodsAndTypes()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.IO;
                using System.Threading;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(string path, SemaphoreSlim gate)
                    {
                        await Task.Yield();
                        File.ReadAllText(path);
                        gate.Wait();
                        Thread.Sleep(5);
                        [|File.ReadAllLines(path)|];
                    }
                }
                """,
            FixedCode = """
                using System.IO;
                using System.Threading;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(string path, SemaphoreSlim gate)
                    {
                        await Task.Yield();
                        File.ReadAllText(path);
                        gate.Wait();
                        Thread.Sleep(5);
                        await File.ReadAllLinesAsync(path);
                    }
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*]
            NOGIL202.excluded_methods = System.IO.File.ReadAllText, system.threading.semaphoreslim.*, System.Threading.Thread
            """));
        await test.RunAsync(CancellationToken.None);
    }

    // ---- Robustness ----

    [Fact]
    public async Task BrokenCode_DoesNotThrow()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.IO;
                using System.Threading;
                using System.Threading.Tasks;
                class C
                {
                    async Task M(string path)
                    {
                        File.ReadAllText(;
                        Thread.Sleep();
                        Missing.Call();
                        path.Unknown();
                        await Task.Yield()
                    }

                    async Task N() => Thread.Sleep(
                }
                """,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        await test.RunAsync(CancellationToken.None);
    }
}
