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

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// One pass of <c>dotnet format analyzers</c>, as the SDK's formatter runs it (AnalyzerFormatter.FixDiagnosticsAsync and
/// SolutionCodeFixApplier): the rule IDs reported at the start, each in turn analysed again on the current solution;
/// the first code action registered for the first diagnostic of the ID gives the equivalence key (none when that
/// diagnostic has no fix), and the fixer's Fix All runs in solution scope with that key.
/// </summary>
public static class DotnetFormatPass
{
    /// <summary>A one-document project with <paramref name="source"/> and, when given, an <c>.editorconfig</c>.</summary>
    public static Solution CreateSolution(string source, IEnumerable<MetadataReference> references, string? editorConfig = null)
        => CreateSolution(new[] { ("Code.cs", source) }, references, OutputKind.DynamicallyLinkedLibrary, editorConfig);

    /// <summary>A project with <paramref name="documents"/> (file name, text) and, when given, an <c>.editorconfig</c>.</summary>
    public static Solution CreateSolution(IEnumerable<(string Name, string Text)> documents, IEnumerable<MetadataReference> references, OutputKind outputKind, string? editorConfig = null)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                name: "Consumer",
                assemblyName: "Consumer",
                LanguageNames.CSharp,
                filePath: "/consumer/Consumer.csproj",
                compilationOptions: new CSharpCompilationOptions(outputKind, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: references));
        foreach (var (name, text) in documents)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), name, SourceText.From(text), filePath: "/consumer/" + name);
        }

        if (editorConfig is not null)
        {
            solution = solution.AddAnalyzerConfigDocument(
                DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From("root = true\n\n[*.cs]\n" + editorConfig), filePath: "/consumer/.editorconfig");
        }

        return solution;
    }

    /// <summary>The NOGIL diagnostics of <paramref name="analyzers"/> on the solution's one project, in source order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var project = solution.Projects.Single();
        var compilation = (await project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(analyzers, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.Where(d => d.Id.StartsWith("NOGIL", StringComparison.Ordinal)).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>
    /// Runs one pass; returns the new solution. The SDK takes the rule IDs in the order of a hash set; here they come in
    /// the order they are first reported, or the reverse (<paramref name="reverse"/>), so a test can try both.
    /// </summary>
    public static async Task<Solution> RunAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers, bool reverse = false)
    {
        var reported = (await AnalyzeAsync(solution, analyzers)).Select(d => d.Id).Distinct().ToList();
        if (reverse)
        {
            reported.Reverse();
        }

        foreach (var id in reported)
        {
            var diagnostics = (await AnalyzeAsync(solution, analyzers)).Where(d => d.Id == id).ToImmutableArray();
            if (diagnostics.IsEmpty)
            {
                continue;
            }

            foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(id)))
            {
                var first = diagnostics[0];
                var document = solution.GetDocument(first.Location.SourceTree)!;
                CodeAction? action = null;
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, first, (a, _) => action ??= a, CancellationToken.None));
                var context = new FixAllContext(
                    document,
                    fixer,
                    FixAllScope.Solution,
                    action?.EquivalenceKey!,
                    new[] { id },
                    new Provider(diagnostics),
                    CancellationToken.None);
                if (await fixer.GetFixAllProvider()!.GetFixAsync(context) is not { } fixAll)
                {
                    continue;
                }

                var operations = await fixAll.GetOperationsAsync(CancellationToken.None);
                if (operations.OfType<ApplyChangesOperation>().SingleOrDefault() is { } apply)
                {
                    solution = apply.ChangedSolution;
                }
            }
        }

        return solution;
    }

    /// <summary>The text of the solution's documents, one after another.</summary>
    public static async Task<string> TextAsync(Solution solution)
    {
        var texts = new List<string>();
        foreach (var document in solution.Projects.Single().Documents.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            texts.Add((await document.GetTextAsync()).ToString());
        }

        return string.Join("\n", texts);
    }

    private sealed class Provider(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath).ToList());


        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
