using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// How the compiler treats the severity a profile gives a hot kernel finding (docs/profile-guided.md, "Severity"): the
/// diagnostic is created with an effective severity of Warning, and the compiler's filter then applies the project's
/// settings as for any diagnostic — a severity set for the rule in .editorconfig or a global config wins, and
/// <c>-warnaserror</c> makes the warning an error.
/// </summary>
public sealed class ProfileSeverityTests
{
    private const string Source = "class C { public static void Run(double[] a, double[] b) { for (int i = 0; i < a.Length; i++) { b[i] = System.Math.Sin(a[i]) * System.Math.Cos(a[i]) + System.Math.Exp(a[i]); } } }";

    [Theory]
    [InlineData(null, null, DiagnosticSeverity.Warning)]
    [InlineData("warning", null, DiagnosticSeverity.Warning)]
    [InlineData("suggestion", null, DiagnosticSeverity.Info)]
    [InlineData("silent", null, DiagnosticSeverity.Hidden)]
    [InlineData("error", null, DiagnosticSeverity.Error)]
    [InlineData("none", null, null)]
    [InlineData(null, "suggestion", DiagnosticSeverity.Info)] // a global config, e.g. the 'recommended' preset, sets the rule by ID
    [InlineData(null, "warning", DiagnosticSeverity.Warning)]
    [InlineData("warning", "suggestion", DiagnosticSeverity.Warning)] // .editorconfig wins over a global config
    public async Task ASeverityTheProjectSets_WinsOverTheProfile(string? editorConfig, string? globalConfig, DiagnosticSeverity? expected)
    {
        var diagnostics = await AnalyzeAsync(editorConfig, globalConfig, ReportDiagnostic.Default);
        Assert.Equal(expected, diagnostics.SingleOrDefault()?.Severity);
        Assert.All(diagnostics, d => Assert.EndsWith(" — 'Run' took 50 % of CPU samples in the profile", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), System.StringComparison.Ordinal));
    }

    [Fact]
    public async Task WarnAsError_MakesAHotFindingAnError()
    {
        var diagnostics = await AnalyzeAsync(null, null, ReportDiagnostic.Error);
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(diagnostics).Severity);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string? editorConfig, string? globalConfig, ReportDiagnostic generalOption)
    {
        var tree = CSharpSyntaxTree.ParseText(Source, path: "/src/Test0.cs");
        var configs = new[]
        {
            AnalyzerConfig.Parse("root = true\n[*.cs]\n" + (editorConfig is null ? string.Empty : "dotnet_diagnostic.NOGIL301.severity = " + editorConfig + "\n"), "/src/.editorconfig"),
            AnalyzerConfig.Parse("is_global = true\n" + (globalConfig is null ? string.Empty : "dotnet_diagnostic.NOGIL301.severity = " + globalConfig + "\n"), "/src/.globalconfig"),
        };
        var set = AnalyzerConfigSet.Create(configs);
        var compilation = CSharpCompilation.Create(
            ProfileText.Module,
            new[] { tree },
            Infrastructure.TestReferences.Runtime,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, generalDiagnosticOption: generalOption).WithSyntaxTreeOptionsProvider(new ConfigSeverities(set)));
        var profile = ProfileText.Of(methods: new[] { ProfileText.Method("M:C.Run(System.Double[],System.Double[])", 0.5) });
        var options = new AnalyzerOptions(ImmutableArray.Create<AdditionalText>(new InMemoryText("/src/nogil.profile.json", profile)));
        return await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ParallelizeLoopAnalyzer()), options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
    }

    /// <summary>An additional file held in memory.</summary>
    internal sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    /// <summary>The severities of an analyzer config set, per file and global, as the compiler applies them.</summary>
    private sealed class ConfigSeverities(AnalyzerConfigSet set) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }
}
