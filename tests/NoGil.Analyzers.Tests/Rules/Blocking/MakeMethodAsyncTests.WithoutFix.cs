using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = NoGil.Analyzers.Tests.Infrastructure.CodeFixVerifier<
    NoGil.Analyzers.Rules.Blocking.MakeMethodAsyncAnalyzer,
    NoGil.CodeFixes.Rules.Blocking.MakeMethodAsyncFixer>;

namespace NoGil.Analyzers.Tests.Rules.Blocking;

/// <summary>
/// Waits in functions that cannot become async (properties, overrides, interface implementations, <c>Dispose</c>,
/// methods visible outside the assembly): reported, without a fix, only under <c>NOGIL203.report_without_fix = true</c>.
/// </summary>
public sealed partial class MakeMethodAsyncTests
{
    private const string ReportWithoutFix = """
        root = true

        [*]
        NOGIL203.report_without_fix = true
        """;

    /// <summary>
    /// The marked waits are reported without a fix when the option asks for it, and nothing is reported by default.
    /// </summary>
    private static async Task VerifyReportedOnlyWhenAskedAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test { TestCode = source, FixedCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportWithoutFix));
        test.FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", ReportWithoutFix));
        await test.RunAsync(CancellationToken.None);

        await Verify.VerifyAnalyzerAsync(Unmarked(source));
    }

    /// <summary>The source without its <c>[|…|]</c> and <c>{|#0:…|}</c> markers.</summary>
    private static string Unmarked(string source)
        => Regex.Replace(source, @"\[\||\|\]|\{\|(#\d+|NOGIL\d+):|\|\}", string.Empty);

    [Fact]
    public Task OptionOff_FixableWaitIsStillReported_UnfixableIsNot()
        => Verify.VerifyCodeFixAsync("""
            using System.Threading.Tasks;
            public class C
            {
                static Task<int> LoadAsync() => Task.FromResult(1);

                public int Value => LoadAsync().Result;

                internal int Load() => [|LoadAsync().Result|];
            }
            """, """
            using System.Threading.Tasks;
            public class C
            {
                static Task<int> LoadAsync() => Task.FromResult(1);

                public int Value => LoadAsync().Result;

                internal async Task<int> Load() => await LoadAsync();
            }
            """);
}
