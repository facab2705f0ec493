using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>The showcase sample compiles, and every shipped rule fires in it at least once.</summary>
public sealed class ShowcaseTests
{
    private static readonly Lazy<Task<ImmutableArray<Diagnostic>>> ShowcaseDiagnostics = new(AnalyzeShowcaseAsync);

    [Fact]
    public async Task ShowcaseCompilesWithoutErrors()
    {
        var diagnostics = await ShowcaseDiagnostics.Value;
        Assert.DoesNotContain(diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [MemberData(nameof(RuleCatalog.DescriptorIds), MemberType = typeof(RuleCatalog))]
    public async Task ShowcaseTriggersRule(string id)
    {
        if (id == RuleIdentifiers.UseCurrentProfile)
        {
            return; // about a stale or malformed profile, not code: the showcase builds without a profile (tests/…/Rules/Profile)
        }

        var diagnostics = await ShowcaseDiagnostics.Value;
        Assert.Contains(diagnostics, d => d.Id == id);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeShowcaseAsync()
    {
        var directory = Path.Combine(RuleCatalog.RepositoryRoot, "samples", "NoGil.Showcase");
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.TopDirectoryOnly)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), new CSharpParseOptions(LanguageVersion.Latest), path: f))
            .ToArray();
        Assert.NotEmpty(trees);

        // The sample's .editorconfig, as the build reads it: it turns on the opt-in NOGIL300 for one file.
        var editorConfigPath = Path.Combine(directory, ".editorconfig");
        var editorConfig = AnalyzerConfigSet.Create(new[] { AnalyzerConfig.Parse(File.ReadAllText(editorConfigPath), editorConfigPath) });

        var references = Infrastructure.TestReferences.Runtime;
        var compilation = CSharpCompilation.Create(
            "NoGil.Showcase",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                .WithSyntaxTreeOptionsProvider(new EditorConfigSeverities(editorConfig)));

        var withAnalyzers = compilation.WithAnalyzers(RuleCatalog.Analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => throw new InvalidOperationException($"{analyzer} threw", exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false));
        return await withAnalyzers.GetAllDiagnosticsAsync(CancellationToken.None);
    }

    [Fact]
    public async Task OptInRuleFiresOnlyWhereTheSampleTurnsItOn()
    {
        var diagnostics = await ShowcaseDiagnostics.Value;
        Assert.All(diagnostics.Where(d => d.Id == "NOGIL300"), d => Assert.EndsWith("WhyNot.cs", d.Location.SourceTree!.FilePath, StringComparison.Ordinal));
    }

    /// <summary>The per-file severities of an .editorconfig, as the compiler applies them.</summary>
    private sealed class EditorConfigSeverities(AnalyzerConfigSet set) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => set.GetOptionsForSourcePath(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return false;
        }
    }
}
