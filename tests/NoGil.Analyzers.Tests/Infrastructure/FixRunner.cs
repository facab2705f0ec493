using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// Runs an analyzer and its fixer on a source in a workspace, the way the IDE does: the fix of the first fixable
/// diagnostic is applied, the document analyzed again, and so on until no fixable diagnostic is left. The differential
/// tests compile and run what this produces, so the "after" code is always the fixer's, never written by hand.
/// </summary>
public static class FixRunner
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The fixed source, how many fixes were applied, the diagnostics left unfixed, and those of the original source.</summary>
    public sealed record Result(string FixedSource, int FixedCount, ImmutableArray<Diagnostic> Unfixed, ImmutableArray<Diagnostic> Initial);

    /// <summary>
    /// Fixes every diagnostic of <paramref name="analyzer"/> that <paramref name="isFixable"/> accepts (all, by default)
    /// with <paramref name="fixer"/>'s action of <paramref name="equivalenceKey"/> (or its only action), one at a time.
    /// Every intermediate source must compile.
    /// </summary>
    public static async Task<Result> FixAllAsync(
        string source,
        DiagnosticAnalyzer analyzer,
        CodeFixProvider fixer,
        IEnumerable<MetadataReference> references,
        Func<Diagnostic, bool>? isFixable = null,
        string? equivalenceKey = null,
        int maxRounds = 200,
        string? globalConfig = null)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                name: "Kernels",
                assemblyName: "Kernels",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: ParseOptions,
                metadataReferences: references))
            .AddDocument(documentId, "Kernels.cs", SourceText.From(source), filePath: globalConfig is null ? null : "/Kernels.cs");
        if (globalConfig is not null)
        {
            // Options as the rules read them: a global analyzer config ("is_global = true" is added).
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId),
                ".globalconfig",
                SourceText.From("is_global = true\n" + globalConfig),
                filePath: "/.globalconfig");
        }

        var fixedCount = 0;
        ImmutableArray<Diagnostic> initial = default;
        for (var round = 0; ; round++)
        {
            var document = solution.GetDocument(documentId)!;
            var compilation = (await document.Project.GetCompilationAsync())!;
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "round " + round + ": the source does not compile:\n" + string.Join("\n", errors) + "\n" + await document.GetTextAsync());
            var diagnostics = await AnalyzeAsync(compilation, document.Project.AnalyzerOptions, analyzer);
            if (initial.IsDefault)
            {
                initial = diagnostics;
            }

            var fixable = diagnostics.Where(d => isFixable?.Invoke(d) ?? true).ToList();
            if (fixable.Count == 0)
            {
                return new Result((await document.GetTextAsync()).ToString(), fixedCount, diagnostics, initial);
            }

            Assert.True(round < maxRounds, "the fixes did not converge");
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, fixable[0], (action, _) => actions.Add(action), CancellationToken.None));
            var chosen = equivalenceKey is null
                ? Assert.Single(actions)
                : Assert.Single(actions, a => KindKey(fixable[0], a) == equivalenceKey);
            var operations = await chosen.GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            fixedCount++;
        }
    }

    /// <summary>
    /// The <c>"&lt;ID&gt;.&lt;FixKind&gt;"</c> key of <paramref name="action"/>: the preferred fix's action carries the rule-wide
    /// key, which stands for the diagnostic's preferred kind.
    /// </summary>
    private static string? KindKey(Diagnostic diagnostic, CodeAction action)
        => action.EquivalenceKey == NoGil.CodeFixes.Infrastructure.NoGilCodeFixProvider.RuleKey(diagnostic.Id)
           && NoGil.Analyzers.Infrastructure.DiagnosticProperties.GetPreferredFix(diagnostic) is { } preferred
            ? NoGil.CodeFixes.Infrastructure.NoGilCodeFixProvider.EquivalenceKey(diagnostic.Id, preferred)
            : action.EquivalenceKey;

    /// <summary>The diagnostics of <paramref name="analyzers"/> on <paramref name="compilation"/>, in source order; an analyzer exception fails the test.</summary>
    public static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, params DiagnosticAnalyzer[] analyzers)
        => AnalyzeAsync(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), analyzers);

    /// <summary>The same, with the analyzer options (and .editorconfig values) of a project.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, AnalyzerOptions options, params DiagnosticAnalyzer[] analyzers)
    {
        var diagnostics = await compilation.WithAnalyzers(
                analyzers.ToImmutableArray(),
                new CompilationWithAnalyzersOptions(
                    options,
                    onAnalyzerException: (exception, faulted, _) => throw new InvalidOperationException($"{faulted} threw", exception),
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
