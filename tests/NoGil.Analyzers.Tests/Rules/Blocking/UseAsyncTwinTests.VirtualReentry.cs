using System.Threading.Tasks;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.UseAsyncTwinFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>Calls on <c>base</c> and <c>this</c> whose twin would dispatch to other overrides of the current type.</summary>
public sealed partial class UseAsyncTwinTests
{
    private const string CountingStream = """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        class CountingStream : FileStream
        {
            public CountingStream(string path) : base(path, FileMode.Create) { }

            public long Written { get; private set; }

            public override void Write(byte[] buffer, int offset, int count)
            {
                Written += count;
                base.Write(buffer, offset, count);
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                Written += count;
                return base.WriteAsync(buffer, offset, count, cancellationToken);
            }

            public async Task WriteTrailerAsync(byte[] trailer, CancellationToken cancellationToken)
            {
                await Task.Yield();
                {|#0:base.Write(trailer, 0, trailer.Length)|};
                {|#1:Write(trailer, 0, 1)|};
            }
        }
        """;

    [Fact]
    public Task StreamSubclass_BaseWrite_IsReportedWithoutFix_ThisWrite_IsFixed()
    {
        var baseWrite = Verify.Diagnostic().WithLocation(0).WithArguments(
            "FileStream.Write",
            "FileStream.WriteAsync",
            " (not fixed automatically: 'base.WriteAsync' can dispatch to this type's overrides of 'Write' or 'WriteAsync', which 'base.Write' skips, and run their work twice)");
        var test = new Verify.Test
        {
            TestCode = CountingStream,
            FixedCode = CountingStream.Replace("{|#1:Write(trailer, 0, 1)|}", "await WriteAsync(trailer, 0, 1, cancellationToken)"),
        };
        test.ExpectedDiagnostics.Add(baseWrite);
        test.ExpectedDiagnostics.Add(Verify.Diagnostic().WithLocation(1).WithArguments("CountingStream.Write", "CountingStream.WriteAsync", ""));
        test.FixedState.ExpectedDiagnostics.Add(baseWrite);
        return test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public Task StreamSubclass_OverridingOnlyWrite_ThisWrite_IsReportedWithoutFix()
        => Verify.VerifyNoCodeFixAsync("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            class CountingStream : FileStream
            {
                public CountingStream(string path) : base(path, FileMode.Create) { }

                public long Written { get; private set; }

                public override void Write(byte[] buffer, int offset, int count)
                {
                    Written += count;
                    base.Write(buffer, offset, count);
                }

                public async Task WriteTrailerAsync(byte[] trailer, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    {|#0:Write(trailer, 0, trailer.Length)|};
                }
            }
            """,
            Verify.Diagnostic().WithLocation(0).WithArguments(
                "CountingStream.Write",
                "FileStream.WriteAsync",
                " (not fixed automatically: 'CountingStream' overrides 'Write' but not 'WriteAsync', so the twin would run different code)"));

    [Fact]
    public Task SealedSubclass_BaseCallOfMethodItDoesNotOverride_IsFixed()
        => Verify.VerifyCodeFixAsync("""
            using System.IO;
            using System.Threading.Tasks;
            sealed class LoggingStream : FileStream
            {
                public LoggingStream(string path) : base(path, FileMode.Create) { }

                public async Task CloseQuietlyAsync()
                {
                    await Task.Yield();
                    [|base.Flush()|];
                }
            }
            """, """
            using System.IO;
            using System.Threading.Tasks;
            sealed class LoggingStream : FileStream
            {
                public LoggingStream(string path) : base(path, FileMode.Create) { }

                public async Task CloseQuietlyAsync()
                {
                    await Task.Yield();
                    await base.FlushAsync();
                }
            }
            """);
}
