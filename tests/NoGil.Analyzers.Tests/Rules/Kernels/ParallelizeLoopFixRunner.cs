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
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Runs the NOGIL301 analyzer and fixer on a source, as an IDE would: the fix of the first diagnostic is applied, the
/// document re-analyzed, and so on until no diagnostic is left. The differential tests run the code before and after.
/// </summary>
internal static class ParallelizeLoopFixRunner
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The source after every NOGIL301 fix, and how many fixes were applied.</summary>
    public static async Task<(string Source, int Fixes)> FixAllAsync(string source)
    {
        var analyzer = new ParallelizeLoopAnalyzer();
        var fixer = new ParallelizeLoopFixer();
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
                metadataReferences: TestReferences.Runtime))
            .AddDocument(documentId, "Kernels.cs", SourceText.From(source));

        for (var fixes = 0; ; fixes++)
        {
            var document = solution.GetDocument(documentId)!;
            var compilation = (await document.Project.GetCompilationAsync())!;
            Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
            var diagnostics = await AnalyzeAsync(compilation, analyzer);
            if (diagnostics.IsEmpty)
            {
                return ((await document.GetTextAsync()).ToString(), fixes);
            }

            Assert.True(fixes < 50, "the fixes did not converge");
            var diagnostic = diagnostics[0];
            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
            Assert.True(actions.Count == 1, "no fix offered for " + diagnostic);
            var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, DiagnosticAnalyzer analyzer)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, faulted, _) => throw new System.InvalidOperationException($"{faulted} threw", exception),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
