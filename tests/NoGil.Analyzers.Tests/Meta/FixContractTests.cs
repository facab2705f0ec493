using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// The analyzer decides, the fixer obeys. The verifiers check the contract on every rule test as it runs (with the
/// test's own options and references); this meta-test checks it once more over every test source of every rule,
/// all analyzers together, against the running runtime's framework, and checks that no fixer can opt out of it.
/// </summary>
public sealed class FixContractTests
{
    [Fact]
    public void EveryShippedFixer_DerivesFromTheFixerBase()
    {
        Assert.NotEmpty(FixContract.AllProviders);
        Assert.All(FixContract.AllProviders, provider => Assert.IsAssignableFrom<NoGilCodeFixProvider>(provider));
    }

    [Fact]
    public void EveryRule_HasAFixer_ForEachFixKindItsAnalyzerCanAnnounce()
    {
        // Each rule ID that a fixer serves belongs to a shipped analyzer, and each analyzer's rule has exactly one fixer.
        var ids = RuleCatalog.Descriptors.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var served = FixContract.AllProviders.SelectMany(p => p.FixableDiagnosticIds).ToArray();
        Assert.All(served, id => Assert.Contains(id, ids));
        Assert.Equal(served.Length, served.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task EveryRuleTestSource_GetsExactlyTheAnnouncedFixes()
    {
        var analyzers = RuleCatalog.Analyzers.ToImmutableArray<DiagnosticAnalyzer>();
        var sources = RepositoryFiles.GetRuleTestSources();
        var failures = new ConcurrentBag<string>();
        var checkedFixes = 0;
        var diagnosticsSeen = 0;

        await Parallel.ForEachAsync(
            sources,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            async (source, cancellationToken) =>
            {
                try
                {
                    var project = CreateProject(source.Text);
                    var (diagnostics, fixes) = await FixContract.VerifyAsync(project, analyzers, project.AnalyzerOptions, cancellationToken);
                    Interlocked.Add(ref diagnosticsSeen, diagnostics);
                    Interlocked.Add(ref checkedFixes, fixes);
                }
                catch (Exception exception) when (exception is InvalidOperationException)
                {
                    failures.Add($"{source}: {exception.Message}");
                }
            });

        Assert.True(failures.IsEmpty, $"{failures.Count} test source(s) break the contract:{Environment.NewLine}{string.Join(Environment.NewLine, failures.OrderBy(f => f, StringComparer.Ordinal))}");

        // Guards the check itself: the corpus has hundreds of diagnostics, most of them with a fix.
        Assert.True(diagnosticsSeen > 300, $"only {diagnosticsSeen} diagnostics in {sources.Count} sources");
        Assert.True(checkedFixes > 200, $"only {checkedFixes} fixes checked in {sources.Count} sources");
    }

    private static Project CreateProject(string text)
    {
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        return new AdhocWorkspace().CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                name: "Input",
                assemblyName: "Input",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Preview),
                metadataReferences: TestReferences.Runtime.Add(TestReferences.TensorsRuntime)))
            .AddDocument(documentId, "Input.cs", SourceText.From(text, Encoding.UTF8))
            .GetProject(projectId)!;
    }
}
