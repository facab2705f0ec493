using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAwaitUsingAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAwaitUsingFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>NOGIL205. Every case runs against .NET 8 and .NET 10 reference assemblies.</summary>
public sealed class UseAwaitUsingTests
{
    // ---- Reported and fixed: await using ----

    [Fact]
    public Task UsingDeclarationOfFileStream_BecomesAwaitUsing()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, byte[] data)
                {
                    // the file is flushed and closed when the method ends
                    using [|var stream = File.OpenWrite(path)|]; // trailing
                    await stream.WriteAsync(data);
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, byte[] data)
                {
                    // the file is flushed and closed when the method ends
                    await using var stream = File.OpenWrite(path); // trailing
                    await stream.WriteAsync(data);
                }
            }
            """);

    [Fact]
    public Task UsingStatementWithDeclaration_BecomesAwaitUsing()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, string text)
                {
                    using ([|var writer = new StreamWriter(path)|])
                    {
                        await writer.WriteAsync(text);
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, string text)
                {
                    await using (var writer = new StreamWriter(path))
                    {
                        await writer.WriteAsync(text);
                    }
                }
            }
            """);

    [Fact]
    public Task UsingStatementOfExpression_BecomesAwaitUsing()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream)
                {
                    await Task.Yield();
                    using ([|stream|])
                        stream.WriteByte(1);
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream)
                {
                    await Task.Yield();
                    await using (stream)
                        stream.WriteByte(1);
                }
            }
            """);

    [Fact]
    public Task SeveralDeclarators_AllBecomeAwaitUsing()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string a, string b)
                {
                    using ([|Stream source = File.OpenRead(a), target = File.OpenWrite(b)|])
                    {
                        await source.CopyToAsync(target);
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string a, string b)
                {
                    await using (Stream source = File.OpenRead(a), target = File.OpenWrite(b))
                    {
                        await source.CopyToAsync(target);
                    }
                }
            }
            """);

    [Fact]
    public Task InAsyncLambda_IsReported()
        => VerifyFixAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Func<string, Task> M() => async path =>
                {
                    using [|var stream = File.OpenWrite(path)|];
                    await stream.FlushAsync();
                };
            }
            """, """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Func<string, Task> M() => async path =>
                {
                    await using var stream = File.OpenWrite(path);
                    await stream.FlushAsync();
                };
            }
            """);

    [Fact]
    public Task InAsyncLocalFunction_IsReported()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Task M(string path)
                {
                    return Write();

                    async Task Write()
                    {
                        using [|var stream = File.OpenWrite(path)|];
                        await stream.FlushAsync();
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                Task M(string path)
                {
                    return Write();

                    async Task Write()
                    {
                        await using var stream = File.OpenWrite(path);
                        await stream.FlushAsync();
                    }
                }
            }
            """);

    [Fact]
    public Task InAsyncIterator_IsReported()
        => VerifyFixAsync("""
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async IAsyncEnumerable<string?> Lines(string path)
                {
                    using [|var reader = new StreamWriter(path)|];
                    await Task.Yield();
                    yield return null;
                }
            }
            """, """
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async IAsyncEnumerable<string?> Lines(string path)
                {
                    await using var reader = new StreamWriter(path);
                    await Task.Yield();
                    yield return null;
                }
            }
            """);

    [Fact]
    public Task InFinallyAndCatch_IsReported()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    try
                    {
                        await Task.Yield();
                    }
                    catch (IOException)
                    {
                        using [|var log = File.AppendText(path)|];
                    }
                    finally
                    {
                        using [|var log = File.AppendText(path)|];
                    }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    try
                    {
                        await Task.Yield();
                    }
                    catch (IOException)
                    {
                        await using var log = File.AppendText(path);
                    }
                    finally
                    {
                        await using var log = File.AppendText(path);
                    }
                }
            }
            """);

    [Fact]
    public Task DeclaredAsStreamCreatedAsFileStream_ReportsTheDeclaredType()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    using {|#0:Stream stream = new FileStream(path, FileMode.Create)|};
                    await stream.FlushAsync();
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("Stream", "dispose it with 'await using'"));

    [Fact]
    public Task NullableVarLocal_ReportsTheTypeWithoutAnnotation()
        => VerifyAnalyzerAsync("""
            #nullable enable
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    using {|#0:var stream = File.Create(path)|};
                    await stream.FlushAsync();
                }
            }
            """, Verify.Diagnostic().WithLocation(0).WithArguments("FileStream", "dispose it with 'await using'"));

    [Fact]
    public Task TypeParameterConstrainedToIAsyncDisposable_IsReported()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M<T>(Func<T> open) where T : IDisposable, IAsyncDisposable
                {
                    await Task.Yield();
                    using ([|open()|]) { }
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M<T>(Func<T> open) where T : IDisposable, IAsyncDisposable
                {
                    await Task.Yield();
                    await using (open()) { }
                }
            }
            """);

    [Fact]
    public Task CSharp7_IsReportedWithoutFix()
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
                        using ([|var stream = File.OpenWrite(path)|])
                        {
                            await stream.FlushAsync();
                        }
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
                        using ([|var stream = File.OpenWrite(path)|])
                        {
                            await stream.FlushAsync();
                        }
                    }
                }
                """,
        };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectParseOptions(
            projectId, new CSharpParseOptions(LanguageVersion.CSharp7_3)));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task FixAll_FixesEveryUsing()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string a, string b)
                {
                    using [|var first = File.OpenWrite(a)|];
                    using [|var second = File.OpenWrite(b)|];
                    await first.CopyToAsync(second);
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string a, string b)
                {
                    await using var first = File.OpenWrite(a);
                    await using var second = File.OpenWrite(b);
                    await first.CopyToAsync(second);
                }
            }
            """);

    // ---- ConfigureAwait(false) where the function configures its awaits so ----

    [Fact]
    public Task ConfigureAwaitFalseFunction_ExpressionResource_GetsConfigureAwait()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream, byte[] data)
                {
                    await stream.WriteAsync(data).ConfigureAwait(false);
                    using ([|stream|]) { }
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream, byte[] data)
                {
                    await stream.WriteAsync(data).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false)) { }
                }
            }
            """);

    [Fact]
    public Task ConfigureAwaitFalseFunction_UnreadLocal_GetsConfigureAwaitAndVar()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            sealed class Lease : IDisposable, IAsyncDisposable
            {
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }
            class C
            {
                async Task M(Func<Lease> acquire)
                {
                    using [|Lease lease = acquire() ?? new Lease()|];
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            sealed class Lease : IDisposable, IAsyncDisposable
            {
                public void Dispose() { }
                public ValueTask DisposeAsync() => default;
            }
            class C
            {
                async Task M(Func<Lease> acquire)
                {
                    await using var lease = (acquire() ?? new Lease()).ConfigureAwait(false);
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task ConfigureAwaitFalseFunction_LocalReadAfterwards_KeepsItsType()
        => VerifyFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, byte[] data)
                {
                    using [|var stream = File.OpenWrite(path)|];
                    await stream.WriteAsync(data).ConfigureAwait(false);
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path, byte[] data)
                {
                    await using var stream = File.OpenWrite(path);
                    await stream.WriteAsync(data).ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task ConfigureAwaitFalseOnlyInNestedLambda_PlainAwaitUsing()
        => VerifyFixAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream)
                {
                    Func<Task> later = async () => await Task.Delay(1).ConfigureAwait(false);
                    await later();
                    using ([|stream|]) { }
                }
            }
            """, """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(Stream stream)
                {
                    Func<Task> later = async () => await Task.Delay(1).ConfigureAwait(false);
                    await later();
                    await using (stream) { }
                }
            }
            """);

    // ---- Dependency-injection scopes: CreateScope → CreateAsyncScope ----

    [Fact]
    public Task CreateScopeDeclaration_BecomesAwaitUsingCreateAsyncScope()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    using {|#0:var scope = provider.CreateScope()|};
                    await Task.Yield();
                    _ = scope.ServiceProvider.GetService<object>();
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    await using var scope = provider.CreateAsyncScope();
                    await Task.Yield();
                    _ = scope.ServiceProvider.GetService<object>();
                }
            }
            """,
            dependencyInjection: true,
            Verify.Diagnostic().WithLocation(0).WithArguments("IServiceScope", "create it with 'CreateAsyncScope' and dispose it with 'await using'"));

    [Fact]
    public Task ScopeFactoryWithExplicitType_BecomesVarCreateAsyncScope()
        => VerifyFixAsync("""
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                private readonly IServiceScopeFactory _scopes;
                C(IServiceScopeFactory scopes) => _scopes = scopes;

                async Task<object?> M()
                {
                    using ([|IServiceScope scope = _scopes.CreateScope()|])
                    {
                        await Task.Yield();
                        return scope.ServiceProvider.GetService(typeof(object));
                    }
                }
            }
            """, """
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                private readonly IServiceScopeFactory _scopes;
                C(IServiceScopeFactory scopes) => _scopes = scopes;

                async Task<object?> M()
                {
                    await using (var scope = _scopes.CreateAsyncScope())
                    {
                        await Task.Yield();
                        return scope.ServiceProvider.GetService(typeof(object));
                    }
                }
            }
            """,
            dependencyInjection: true);

    [Fact]
    public Task StaticCallOfCreateScope_BecomesCreateAsyncScope()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    await Task.Yield();
                    using ([|ServiceProviderServiceExtensions.CreateScope(provider)|]) { }
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    await Task.Yield();
                    await using (ServiceProviderServiceExtensions.CreateAsyncScope(provider)) { }
                }
            }
            """,
            dependencyInjection: true);

    [Fact]
    public Task SyncUsingOfAsyncServiceScope_BecomesAwaitUsing()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    using [|var scope = provider.CreateAsyncScope()|];
                    await Task.Yield();
                    _ = scope.ServiceProvider;
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                async Task M(IServiceProvider provider)
                {
                    await using var scope = provider.CreateAsyncScope();
                    await Task.Yield();
                    _ = scope.ServiceProvider;
                }
            }
            """,
            dependencyInjection: true);

    [Fact]
    public Task CreateScopeInSyncMethod_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            class C
            {
                object? M(IServiceProvider provider)
                {
                    using var scope = provider.CreateScope();
                    return scope.ServiceProvider.GetService(typeof(object));
                }
            }
            """, dependencyInjection: true);

    // ---- The rule page's example (docs/rules/NOGIL205.md) ----

    [Fact]
    public Task DocumentationExample()
        => RunTestAsync("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            interface ILineFormatter { string Format(string line); }
            class C
            {
                async Task ExportAsync(string path, IEnumerable<string> lines, IServiceProvider services)
                {
                    using [|var scope = services.CreateScope()|];
                    var formatter = scope.ServiceProvider.GetRequiredService<ILineFormatter>();
                    using ([|var writer = new StreamWriter(path)|])
                    {
                        foreach (var line in lines)
                        {
                            await writer.WriteLineAsync(formatter.Format(line));
                        }
                    }
                }

                async Task SaveAsync(Stream source, string path)
                {
                    using [|var target = File.Create(path)|];
                    using ([|source|])
                    {
                        await source.CopyToAsync(target).ConfigureAwait(false);
                    }
                }
            }
            """, """
            using System;
            using System.Collections.Generic;
            using System.IO;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            interface ILineFormatter { string Format(string line); }
            class C
            {
                async Task ExportAsync(string path, IEnumerable<string> lines, IServiceProvider services)
                {
                    await using var scope = services.CreateAsyncScope();
                    var formatter = scope.ServiceProvider.GetRequiredService<ILineFormatter>();
                    await using (var writer = new StreamWriter(path))
                    {
                        foreach (var line in lines)
                        {
                            await writer.WriteLineAsync(formatter.Format(line));
                        }
                    }
                }

                async Task SaveAsync(Stream source, string path)
                {
                    await using var target = File.Create(path);
                    await using (source.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(target).ConfigureAwait(false);
                    }
                }
            }
            """,
            dependencyInjection: true,
            expected: System.Array.Empty<DiagnosticResult>(),
            fixAllIterations: 1); // One Fix All applies each diagnostic's own fix kind: the async scope and the await usings.

    // ---- Not reported ----

    [Fact]
    public Task SyncMethod_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            class C
            {
                void M(string path)
                {
                    using var stream = File.OpenWrite(path);
                    stream.WriteByte(1);
                }
            }
            """);

    [Fact]
    public Task NonAsyncLambdaInAsyncMethod_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    Action write = () =>
                    {
                        using var stream = File.OpenWrite(path);
                        stream.WriteByte(1);
                    };
                    await Task.Run(write);
                }
            }
            """);

    [Fact]
    public Task NonAsyncIterator_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.Collections.Generic;
            using System.IO;
            class C
            {
                IEnumerable<int> M(string path)
                {
                    using var stream = File.OpenRead(path);
                    yield return stream.ReadByte();
                }
            }
            """);

    [Fact]
    public Task InsideLock_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new();

                async Task M(string path)
                {
                    await Task.Yield();
                    lock (_gate)
                    {
                        using var stream = File.OpenWrite(path);
                        stream.WriteByte(1);
                    }
                }
            }
            """);

    [Fact]
    public Task InsideUnsafeBlock_IsNotReported()
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
                        unsafe
                        {
                            using var stream = File.OpenWrite(path);
                            stream.WriteByte(1);
                        }
                    }
                }
                """,
        };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task AsyncLambdaInsideLock_IsReported()
        => VerifyFixAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new();

                Func<Task> M(string path)
                {
                    lock (_gate)
                    {
                        return async () =>
                        {
                            using [|var stream = File.OpenWrite(path)|];
                            await stream.FlushAsync();
                        };
                    }
                }
            }
            """, """
            using System;
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new();

                Func<Task> M(string path)
                {
                    lock (_gate)
                    {
                        return async () =>
                        {
                            await using var stream = File.OpenWrite(path);
                            await stream.FlushAsync();
                        };
                    }
                }
            }
            """);

    [Fact]
    public Task InMemoryTypes_AreNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task<string> M(byte[] data)
                {
                    using var memory = new MemoryStream();
                    using Stream alsoMemory = new MemoryStream(data);
                    using (var writer = new StringWriter())
                    {
                        await writer.WriteAsync("x");
                    }

                    await memory.WriteAsync(data);
                    return alsoMemory.Length.ToString();
                }
            }
            """);

    [Fact]
    public Task InheritedSynchronousDisposeAsync_IsNotReported_OverridesAndBaseTypesAre()
        => VerifyAnalyzerAsync("""
            using System.Data;
            using System.Data.Common;
            using System.IO;
            using System.Text;
            using System.Threading.Tasks;
            class PlainWriter : TextWriter { public override Encoding Encoding => Encoding.UTF8; }
            class FlushingWriter : TextWriter
            {
                public override Encoding Encoding => Encoding.UTF8;
                public override ValueTask DisposeAsync() => default;
            }
            class C
            {
                async Task M(DbConnection connection, string path)
                {
                    await Task.Yield();
                    // The base's DisposeAsync calls Dispose() and returns a completed task.
                    using var plain = new PlainWriter();
                    using var reader = new DataTableReader(new DataTable());
                    // Overridden, or the object behind the base type may override it, or a factory may return a subclass.
                    using [|var flushing = new FlushingWriter()|];
                    using [|var any = connection|];
                    using [|Stream file = File.OpenRead(path)|];
                    using [|var made = Make()|];
                }

                static PlainWriter Make() => new PlainWriter();
            }
            """);

    [Fact]
    public Task DisposeAsyncPattern_WithoutTheInterface_IsReported()
        => VerifyFixAsync("""
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    using [|var resource = new Resource()|];
                }

                private sealed class Resource : IDisposable
                {
                    public void Dispose() { }
                    public ValueTask DisposeAsync() => default;
                }
            }
            """, """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    await using var resource = new Resource();
                }

                private sealed class Resource : IDisposable
                {
                    public void Dispose() { }
                    public ValueTask DisposeAsync() => default;
                }
            }
            """);

    [Fact]
    public Task DualModeFunction_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            internal enum IOBehavior { Asynchronous, Synchronous }
            class C
            {
                async Task<int> ReadAsync(string path, byte[] buffer, IOBehavior ioBehavior, CancellationToken ct)
                {
                    using var stream = File.OpenRead(path);
                    return ioBehavior == IOBehavior.Asynchronous
                        ? await stream.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)
                        : stream.Read(buffer, 0, buffer.Length);
                }
            }
            """);

    [Fact]
    public Task TestProject_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            namespace Xunit { public static class Assert { } }
            class Tests
            {
                async Task WritesAFile(string path, byte[] data)
                {
                    using var stream = File.OpenWrite(path);
                    await stream.WriteAsync(data);
                }
            }
            """);

    [Fact]
    public Task SqliteProvider_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            namespace Microsoft.Data.Sqlite
            {
                public sealed class SqliteConnection : IDisposable, IAsyncDisposable
                {
                    public void Dispose() { }
                    public ValueTask DisposeAsync() => default;
                }
            }
            class C
            {
                async Task M()
                {
                    await Task.Yield();
                    using var connection = new Microsoft.Data.Sqlite.SqliteConnection();
                }
            }
            """);

    [Fact]
    public Task WritersAndStreamsOverAMemoryStream_AreNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.IO.Compression;
            using System.Text.Json;
            using System.Threading.Tasks;
            class C
            {
                async Task<byte[]> M(string text)
                {
                    var memory = new MemoryStream();
                    using (var zip = new GZipStream(memory, CompressionMode.Compress, leaveOpen: true))
                    {
                        await zip.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
                    }

                    using var direct = new StreamWriter(memory, leaveOpen: true);
                    using var json = new Utf8JsonWriter(memory);
                    await direct.WriteAsync(text);
                    json.WriteNullValue();
                    return memory.ToArray();
                }
            }
            """);

    [Fact]
    public Task StaticTypeOnlyIDisposable_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using System.Threading.Tasks;
            sealed class Handle : IDisposable
            {
                public void Dispose() { }
            }
            class C
            {
                async Task M(string path)
                {
                    await Task.Yield();
                    using IDisposable file = new FileStream(path, FileMode.Open);
                    using (new Handle()) { }
                }
            }
            """);

    [Fact]
    public Task TimersAndTokenRegistrations_AreNotReported()
        => VerifyAnalyzerAsync("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(CancellationToken cancellationToken)
                {
                    using var timer = new Timer(_ => { }, null, 1000, 1000);
                    using var registration = cancellationToken.Register(() => { });
                    await Task.Delay(10, cancellationToken);
                }
            }
            """);

    [Fact]
    public Task AlreadyAwaitUsing_IsNotReported()
        => VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            class C
            {
                async Task M(string path)
                {
                    await using var stream = File.OpenWrite(path);
                    await using (var other = File.OpenWrite(path + ".bak")) { }
                    await stream.FlushAsync();
                }
            }
            """);

    private static Task VerifyFixAsync(string source, string fixedSource, bool dependencyInjection = false, params DiagnosticResult[] expected)
        => RunTestAsync(source, fixedSource, dependencyInjection, expected);

    private static Task VerifyFixAsync(string source, string fixedSource) => VerifyFixAsync(source, fixedSource, dependencyInjection: false);

    private static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) => VerifyAnalyzerAsync(source, dependencyInjection: false, expected);

    private static Task VerifyAnalyzerAsync(string source, bool dependencyInjection, params DiagnosticResult[] expected)
        => RunTestAsync(source, fixedSource: null, dependencyInjection, expected);

    /// <summary>The test (on .NET 8 and .NET 10, through the verifier's framework matrix); without a fixed source, analysis only.</summary>
    private static Task RunTestAsync(string source, string? fixedSource, bool dependencyInjection, DiagnosticResult[] expected, int fixAllIterations = 1)
    {
        var test = new Verify.Test { TestCode = source };
        if (fixedSource is not null)
        {
            test.FixedCode = fixedSource;
            test.NumberOfFixAllInDocumentIterations = fixAllIterations;
            test.NumberOfFixAllInProjectIterations = fixAllIterations;
            test.NumberOfFixAllIterations = fixAllIterations;
        }

        if (dependencyInjection)
        {
            test.TestState.AdditionalReferences.Add(TestReferences.DependencyInjection);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
