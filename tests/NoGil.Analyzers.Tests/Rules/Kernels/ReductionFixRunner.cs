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
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

/// <summary>
/// Runs NOGIL303's analyzer and fixer on a source in a workspace, the way the IDE does: every diagnostic whose fix is
/// offered is fixed, one after another, until none is left. The differential tests compile what this produces.
/// </summary>
internal static class ReductionFixRunner
{
    private const int MaxRounds = 200;

    public sealed record Result(string FixedSource, int FixedCount, ImmutableArray<Diagnostic> Unfixed, ImmutableArray<Diagnostic> Initial);

    public static async Task<Result> FixAllAsync(string source, bool withTensors)
    {
        var analyzer = new VectorizeReductionAnalyzer();
        var fixer = new VectorizeReductionFixer();
        var references = withTensors ? TestReferences.Runtime.Add(TestReferences.TensorsRuntime) : TestReferences.Runtime;

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
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: references))
            .AddDocument(documentId, "Kernels.cs", SourceText.From(source));

        var fixedCount = 0;
        ImmutableArray<Diagnostic> initial = default;
        for (var round = 0; ; round++)
        {
            var document = solution.GetDocument(documentId)!;
            var compilation = (await document.Project.GetCompilationAsync())!;
            var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, "round " + round + ": the source does not compile:\n" + string.Join("\n", errors) + "\n" + (await document.GetTextAsync()));
            var diagnostics = await AnalyzeAsync(compilation, analyzer);
            if (initial.IsDefault)
            {
                initial = diagnostics;
            }

            var fixable = diagnostics.Where(d => d.Properties[VectorizeReductionAnalyzer.FixProperty] != "None").ToList();
            if (fixable.Count == 0)
            {
                return new Result((await document.GetTextAsync()).ToString(), fixedCount, diagnostics, initial);
            }

            Assert.True(round < MaxRounds, "the fixes did not converge");
            var actions = new List<CodeAction>();
            await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, fixable[0], (action, _) => actions.Add(action), CancellationToken.None));
            Assert.True(actions.Count == 1, "expected one fix for " + fixable[0] + ", got " + actions.Count);
            var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
            fixedCount++;
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, DiagnosticAnalyzer analyzer)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, faulted, _) => throw new InvalidOperationException($"{faulted} threw", exception),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }
}
