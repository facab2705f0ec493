using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Infrastructure;
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
    public void EveryFixer_ServesShippedRules_AndNoRuleHasTwoFixers()
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

    // ----- The check itself fails where it must -----

    [Fact]
    public async Task Contract_RejectsAnAnnouncedFixThatChangesNothing()
    {
        var (solution, diagnostic) = Reported("class C { int M() => 1; }", "1", DiagnosticProperties.Create(FixKind.AwaitTask));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FixContract.VerifyAsync(solution, new[] { diagnostic }, ImmutableArray.Create<CodeFixProvider>(new RendersNothing()), CancellationToken.None));
        Assert.Contains("leaves the document unchanged", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_RejectsAFixThatDoesNotCompile()
    {
        var (solution, diagnostic) = Reported("class C { int M() => 1; }", "1", DiagnosticProperties.Create(FixKind.AwaitTask));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FixContract.VerifyAsync(solution, new[] { diagnostic }, ImmutableArray.Create<CodeFixProvider>(new RendersAnError()), CancellationToken.None));
        Assert.Contains("does not compile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_RejectsAFixThatIsOfferedButNotAnnounced()
    {
        var (solution, diagnostic) = Reported("class C { int M() => 1; }", "1", DiagnosticProperties.None);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => FixContract.VerifyAsync(solution, new[] { diagnostic }, ImmutableArray.Create<CodeFixProvider>(new OffersRegardless()), CancellationToken.None));
        Assert.Contains("announces [] but the fixers offer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Contract_AcceptsAnAnnouncedFixThatRenders()
    {
        var (solution, diagnostic) = Reported("class C { int M() => 1; }", "1", DiagnosticProperties.Create(FixKind.AwaitTask));
        var (diagnostics, fixes) = await FixContract.VerifyAsync(solution, new[] { diagnostic }, ImmutableArray.Create<CodeFixProvider>(new RendersTwo()), CancellationToken.None);
        Assert.Equal((1, 1), (diagnostics, fixes));
    }

    private const string TestId = "TEST001";

    private static (Solution Solution, Diagnostic Diagnostic) Reported(string source, string at, ImmutableDictionary<string, string?> properties)
    {
        var document = CreateProject(source).Documents.Single();
        var tree = document.GetSyntaxTreeAsync().GetAwaiter().GetResult()!;
        var span = new TextSpan(source.IndexOf(at, StringComparison.Ordinal), at.Length);
#pragma warning disable RS2008 // A descriptor for this test only.
        var descriptor = new DiagnosticDescriptor(TestId, "Test", "Test", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
#pragma warning restore RS2008
        return (document.Project.Solution, Diagnostic.Create(descriptor, Location.Create(tree, span), properties));
    }

    private sealed class RendersNothing() : NoGilCodeFixProvider(FixAllMode.Sequential, TestId)
    {
        protected override SyntaxNode? Render(FixRequest request) => null;
    }

    private sealed class RendersAnError() : NoGilCodeFixProvider(FixAllMode.Sequential, TestId)
    {
        protected override SyntaxNode? Render(FixRequest request)
            => request.Root.ReplaceNode(request.Node, SyntaxFactory.ParseExpression("undefinedName"));
    }

    private sealed class RendersTwo() : NoGilCodeFixProvider(FixAllMode.Sequential, TestId)
    {
        protected override SyntaxNode? Render(FixRequest request)
            => request.Root.ReplaceNode(request.Node, SyntaxFactory.ParseExpression("2"));
    }

    private sealed class OffersRegardless : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(TestId);

        public override FixAllProvider? GetFixAllProvider() => null;

        public override Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            context.RegisterCodeFix(CodeAction.Create("Always", _ => Task.FromResult(context.Document), "always"), context.Diagnostics);
            return Task.CompletedTask;
        }
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
