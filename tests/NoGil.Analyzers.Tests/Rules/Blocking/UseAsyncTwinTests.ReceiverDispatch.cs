using System;
using System.Threading.Tasks;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>
/// Calls on another receiver whose object may be of a derived type that overrides the blocking method but not its
/// twin. Minimized from SharpCompress (the real-repository check, docs/fix-safety.md): <c>TarArchive.SaveToAsync</c>
/// called <c>entry.OpenEntryStream()</c> on every entry; the writable entries override that virtual method, while the
/// non-virtual <c>OpenEntryStreamAsync</c> reads the base entry's parts, which a writable entry does not have
/// (<c>NotImplementedException</c>).
/// </summary>
public sealed partial class UseAsyncTwinTests
{
    private const string ArchiveEntries = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        public class Entry
        {
            private readonly byte[] data;

            public Entry(byte[] data) => this.data = data;

            public virtual Stream OpenEntryStream() => new MemoryStream(Parts());

            public async Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default)
            {
                await Task.Yield();
                return new MemoryStream(Parts());
            }

            internal virtual byte[] Parts() => data;
        }

        public sealed class WritableEntry : Entry
        {
            private readonly byte[] written;

            public WritableEntry(byte[] written) : base(Array.Empty<byte>()) => this.written = written;

            public override Stream OpenEntryStream() => new MemoryStream(written);

            internal override byte[] Parts() => throw new NotImplementedException();
        }

        public static class Program
        {
            public static async Task<long> SaveToAsync(IEnumerable<Entry> entries, CancellationToken cancellationToken)
            {
                var output = new MemoryStream();
                foreach (var entry in entries)
                {
                    var entryStream = {|#0:entry.OpenEntryStream()|};
                    await entryStream.CopyToAsync(output, 81920, cancellationToken);
                }

                return output.Length;
            }

            public static Task<long> SaveBoth(CancellationToken cancellationToken)
                => SaveToAsync(new[] { new Entry(new byte[3]), new WritableEntry(new byte[5]) }, cancellationToken);
        }
        """;

    [Fact]
    public Task Receiver_WhoseDerivedTypeOverridesOnlyTheBlockingMethod_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync(
            ArchiveEntries,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "Entry.OpenEntryStream",
                "Entry.OpenEntryStreamAsync",
                " (not fixed automatically: 'WritableEntry' overrides 'OpenEntryStream' but not 'OpenEntryStreamAsync', so the twin would run different code)"));

    /// <summary>
    /// Why the fix must not be offered there: the code it would write reads the parts of the writable entry, which
    /// throws, where the original copies the written bytes.
    /// </summary>
    [Fact]
    public async Task Differential_TwinOnDerivedEntry_RunsDifferentCode()
    {
        var original = ArchiveEntries.Replace("{|#0:", string.Empty).Replace("|}", string.Empty);
        var fixedCode = original.Replace("entry.OpenEntryStream()", "await entry.OpenEntryStreamAsync(cancellationToken)");
        Assert.NotEqual(original, fixedCode);
        using var before = CompileAndRun.Load(original);
        using var after = CompileAndRun.Load(fixedCode);

        Assert.Equal(8L, await (Task<long>)before.Invoke("Program", "SaveBoth", System.Threading.CancellationToken.None)!);
        await Assert.ThrowsAsync<NotImplementedException>(() => (Task<long>)after.Invoke("Program", "SaveBoth", System.Threading.CancellationToken.None)!);
    }

    [Fact]
    public Task Receiver_VirtualMethodWithNonVirtualTwin_NoOverrideKnown_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public class Entry
            {
                public virtual Stream OpenEntryStream() => new MemoryStream();

                public Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream());
            }

            public static class Program
            {
                public static async Task<long> LengthAsync(Entry entry)
                {
                    await Task.Yield();
                    return {|#0:entry.OpenEntryStream()|}.Length;
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "Entry.OpenEntryStream",
                "Entry.OpenEntryStreamAsync",
                " (not fixed automatically: 'OpenEntryStream' can be overridden but 'OpenEntryStreamAsync' cannot, so on a type deriving from 'Entry' the twin could run different code)"));

    [Fact]
    public Task Receiver_DerivedTypeOverridesBoth_IsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public class Entry
            {
                public virtual Stream OpenEntryStream() => new MemoryStream();

                public virtual Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream());
            }

            public sealed class WritableEntry : Entry
            {
                public override Stream OpenEntryStream() => new MemoryStream(new byte[1]);

                public override Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream(new byte[1]));
            }

            public static class Program
            {
                public static async Task<long> LengthAsync(Entry entry, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return [|entry.OpenEntryStream()|].Length;
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public class Entry
            {
                public virtual Stream OpenEntryStream() => new MemoryStream();

                public virtual Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream());
            }

            public sealed class WritableEntry : Entry
            {
                public override Stream OpenEntryStream() => new MemoryStream(new byte[1]);

                public override Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream(new byte[1]));
            }

            public static class Program
            {
                public static async Task<long> LengthAsync(Entry entry, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return (await entry.OpenEntryStreamAsync(cancellationToken)).Length;
                }
            }
            """);

    [Fact]
    public Task Receiver_OfSealedTypeOverridingBoth_IsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public sealed class Entry
            {
                public Stream OpenEntryStream() => new MemoryStream();

                public Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream());
            }

            public static class Program
            {
                public static async Task<long> LengthAsync(Entry entry, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return [|entry.OpenEntryStream()|].Length;
                }
            }
            """, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            public sealed class Entry
            {
                public Stream OpenEntryStream() => new MemoryStream();

                public Task<Stream> OpenEntryStreamAsync(CancellationToken cancellationToken = default) => Task.FromResult<Stream>(new MemoryStream());
            }

            public static class Program
            {
                public static async Task<long> LengthAsync(Entry entry, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    return (await entry.OpenEntryStreamAsync(cancellationToken)).Length;
                }
            }
            """);
}
