using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>
/// Twins of another shape than the original: an instance twin of an extension method, a generic twin whose type
/// arguments are inferred, an overload of the same name that adds a token, numeric parameters widened without loss;
/// and the mode parameter of dual-mode methods.
/// </summary>
public sealed partial class UseAsyncTwinTests
{
    // ---- An extension method's twin may be an instance method of the type it extends ----

    [Fact]
    public Task ExtensionOriginal_InstanceTwin_IsReportedAndFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public Task AAsync(int value, CancellationToken token = default) => Task.CompletedTask;
            }
            static class TestExtensions
            {
                public static void A(this Test test, int value) { }
            }
            class Demo
            {
                async Task M(CancellationToken ct)
                {
                    await Task.Yield();
                    [|new Test().A(1)|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public Task AAsync(int value, CancellationToken token = default) => Task.CompletedTask;
            }
            static class TestExtensions
            {
                public static void A(this Test test, int value) { }
            }
            class Demo
            {
                async Task M(CancellationToken ct)
                {
                    await Task.Yield();
                    await new Test().AAsync(1, ct);
                }
            }
            """);

    [Fact]
    public Task ExtensionOriginal_InstanceTwinOfAnotherShapeOrStaticCall_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Test
            {
                public Task AAsync(string value) => Task.CompletedTask;
                public Task BAsync(int value) => Task.CompletedTask;
                public static Task CAsync(Test test) => Task.CompletedTask;
                public Task<int> DAsync() => Task.FromResult(1);
            }
            static class TestExtensions
            {
                public static void A(this Test test, int value) { }
                public static void B(this Test test, int value) { }
                public static void C(this Test test) { }
                public static string D(this Test test) => "";
                public static void E<T>(this List<T> list) { }
            }
            class Demo
            {
                async Task M(Test test, List<int> list)
                {
                    await Task.Yield();
                    // Another parameter type.
                    test.A(1);
                    // Called in static form: renaming the callee cannot make it an instance call.
                    TestExtensions.B(test, 1);
                    // A static method is no instance twin.
                    test.C();
                    // Another result type.
                    test.D();
                    // List<T> has no EAsync; a generic extension is not paired with instance methods.
                    list.E();
                }
            }
            """);

    // ---- A generic twin of a non-generic original: type arguments inferred one level deep ----

    [Fact]
    public Task GenericTwin_InferredThroughItsParameter_IsReportedAndFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public void A(List<int> value) { }
                public Task AAsync<T>(IReadOnlyCollection<T> value, CancellationToken token = default) => Task.CompletedTask;
                public int B(List<string> value, int count) => count;
                public Task<int> BAsync<T>(List<T> value, int count) => Task.FromResult(count);
            }
            class Demo
            {
                async Task<int> M(Test test, List<string> names)
                {
                    await Task.Yield();
                    [|test.A(new List<int>())|];
                    return [|test.B(names, 2)|];
                }
            }
            """, """
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;
            class Test
            {
                public void A(List<int> value) { }
                public Task AAsync<T>(IReadOnlyCollection<T> value, CancellationToken token = default) => Task.CompletedTask;
                public int B(List<string> value, int count) => count;
                public Task<int> BAsync<T>(List<T> value, int count) => Task.FromResult(count);
            }
            class Demo
            {
                async Task<int> M(Test test, List<string> names)
                {
                    await Task.Yield();
                    await test.AAsync(new List<int>());
                    return await test.BAsync(names, 2);
                }
            }
            """);

    [Fact]
    public Task GenericTwin_InferenceFailsOrSaysTooLittle_IsNotReported()
        => Verify.VerifyAnalyzerAsync("""
            using System.Collections;
            using System.Collections.Generic;
            using System.Threading.Tasks;
            class Both : List<int>, IReadOnlyCollection<string>
            {
                IEnumerator<string> IEnumerable<string>.GetEnumerator() => null!;
                int IReadOnlyCollection<string>.Count => 0;
            }
            class Test
            {
                // Disagreeing parameters: T would be int and string.
                public void A(List<int> a, List<string> b) { }
                public Task AAsync<T>(List<T> a, List<T> b) => Task.CompletedTask;
                // No construction of List<T> in a dictionary.
                public void B(Dictionary<int, string> value) { }
                public Task BAsync<T>(List<T> value) => Task.CompletedTask;
                // Widening to IEnumerable<T>: every sequence is one.
                public void C(List<int> value) { }
                public Task CAsync<T>(IEnumerable<T> value) => Task.CompletedTask;
                // Nested: not inferred.
                public void D(List<List<int>> value) { }
                public Task DAsync<T>(List<List<T>> value) => Task.CompletedTask;
                // A bare T takes any value.
                public void E(int value) { }
                public Task EAsync<T>(T value) => Task.CompletedTask;
                // Two constructions of IReadOnlyCollection<T>.
                public void F(Both value) { }
                public Task FAsync<T>(IReadOnlyCollection<T> value) => Task.CompletedTask;
                // The constraint does not hold for the inferred int.
                public void G(List<int> value) { }
                public Task GAsync<T>(IReadOnlyCollection<T> value) where T : class => Task.CompletedTask;
                // The result is a Task<int>, not a string.
                public string H(List<int> value) => "";
                public Task<T> HAsync<T>(IReadOnlyCollection<T> value) => Task.FromResult(default(T)!);
                // T appears in no parameter.
                public void I(int value) { }
                public Task<T> IAsync<T>(int value) => Task.FromResult(default(T)!);
                // The written argument has no type.
                public void J(List<int> value) { }
                public Task JAsync<T>(IReadOnlyCollection<T> value) => Task.CompletedTask;
            }
            class Demo
            {
                async Task M(Test test, Both both)
                {
                    await Task.Yield();
                    test.A(new List<int>(), new List<string>());
                    test.B(new Dictionary<int, string>());
                    test.C(new List<int>());
                    test.D(new List<List<int>>());
                    test.E(1);
                    test.F(both);
                    test.G(new List<int>());
                    test.H(new List<int>());
                    test.I(1);
                    test.J(null!);
                }
            }
            """);

    // ---- An overload of the same name that adds a token and returns an awaitable ----

    [Fact]
    public Task SameNameOverloadWithToken_IsReportedAndFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Sink
            {
                public void Write() { }
                public Task Write(CancellationToken cancellationToken) => Task.CompletedTask;
                public int Read() => 0;
                public ValueTask<int> Read(CancellationToken cancellationToken = default) => new(0);
            }
            class C
            {
                async Task M(Sink sink, CancellationToken ct)
                {
                    await Task.Yield();
                    {|#0:sink.Write()|};
                    var n = [|sink.Read()|];
                }

                async Task N(Sink sink)
                {
                    await Task.Yield();
                    [|sink.Write()|];
                    var n = [|sink.Read()|];
                }
            }
            """, """
            using System.Threading;
            using System.Threading.Tasks;
            class Sink
            {
                public void Write() { }
                public Task Write(CancellationToken cancellationToken) => Task.CompletedTask;
                public int Read() => 0;
                public ValueTask<int> Read(CancellationToken cancellationToken = default) => new(0);
            }
            class C
            {
                async Task M(Sink sink, CancellationToken ct)
                {
                    await Task.Yield();
                    await sink.Write(ct);
                    var n = await sink.Read(ct);
                }

                async Task N(Sink sink)
                {
                    await Task.Yield();
                    await sink.Write(CancellationToken.None);
                    var n = await sink.Read(CancellationToken.None);
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Sink.Write", "Sink.Write(CancellationToken)", string.Empty));

    [Fact]
    public Task SameNameOverload_NotAwaitableOrWithoutToken_OrBesideAnAsyncTwin_IsNotTheTwin()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class Sink
            {
                public void Wait() { }
                public void Wait(CancellationToken cancellationToken) { }
                public void Send() { }
                public Task Send(int retries) => Task.CompletedTask;
                public void Flush() { }
                public Task Flush(CancellationToken cancellationToken) => Task.CompletedTask;
                public Task FlushAsync() => Task.CompletedTask;
            }
            class C
            {
                async Task M(Sink sink)
                {
                    await Task.Yield();
                    // Returns void: not awaitable.
                    sink.Wait();
                    // Adds something else than a token.
                    sink.Send();
                    // FlushAsync is the twin, not Flush(CancellationToken).
                    {|#0:sink.Flush()|};
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Sink.Flush", "Sink.FlushAsync", string.Empty));

    // ---- Numeric parameters widened without loss ----

    [Fact]
    public Task NumericWideningToFloatingPointOrDecimal_Lossless_IsReported_Rounding_IsNot()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            class Sender
            {
                public void A(int value) { }
                public Task AAsync(double value) => Task.CompletedTask;
                public void B(short value) { }
                public Task BAsync(float value) => Task.CompletedTask;
                public void C(long value) { }
                public Task CAsync(decimal value) => Task.CompletedTask;
                public void D(int value) { }
                public Task DAsync(float value) => Task.CompletedTask;
                public void E(long value) { }
                public Task EAsync(double value) => Task.CompletedTask;
                public void F(double value) { }
                public Task FAsync(decimal value) => Task.CompletedTask;
            }
            class C
            {
                async Task M(Sender sender)
                {
                    await Task.Yield();
                    [|sender.A(1)|];
                    [|sender.B(1)|];
                    [|sender.C(1L)|];
                    // int to float and long to double round large values; double to decimal is explicit.
                    sender.D(1);
                    sender.E(1L);
                    sender.F(1.0);
                }
            }
            """);

    // ---- The mode parameter of dual-mode methods (ModeParameter) ----

    [Fact]
    public Task ModeParameter_SynchronousPolarityFlag_MakesTheMethodDualMode()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class Session
            {
                async Task FlushAsync(Stream stream, bool isSync)
                {
                    if (!isSync)
                    {
                        await stream.FlushAsync();
                    }

                    {|#0:File.ReadAllBytes("key")|};
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments(
                "File.ReadAllBytes",
                "File.ReadAllBytesAsync",
                " (not fixed automatically: the method also runs in a synchronous mode (it takes or branches on the mode), which an await here would make block on asynchronous work; call the twin in the async branch only)"));

    [Fact]
    public Task ModeParameter_OptionsEnumsAndOtherAsyncNames_AreNoMode_TheCallIsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class Session
            {
                async Task OpenAsync(string path, FileOptions options)
                {
                    await Task.Yield();
                    [|File.ReadAllBytes(path)|];
                }

                async Task StartAsync(string path, TaskCreationOptions options)
                {
                    await Task.Yield();
                    [|File.ReadAllBytes(path)|];
                }

                async Task SendAsync(string path, bool forceAsync)
                {
                    await Task.Yield();
                    [|File.ReadAllBytes(path)|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class Session
            {
                async Task OpenAsync(string path, FileOptions options)
                {
                    await Task.Yield();
                    await File.ReadAllBytesAsync(path);
                }

                async Task StartAsync(string path, TaskCreationOptions options)
                {
                    await Task.Yield();
                    await File.ReadAllBytesAsync(path);
                }

                async Task SendAsync(string path, bool forceAsync)
                {
                    await Task.Yield();
                    await File.ReadAllBytesAsync(path);
                }
            }
            """);
}
