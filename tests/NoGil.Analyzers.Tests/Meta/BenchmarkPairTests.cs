using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// The benchmark sample's Before/After pairs (samples/NoGil.Benchmarks/Pairs/NOGILxxx): every rule with a fix has
/// one, the rule fires on Before.cs, and the rule's fix turns Before.cs into After.cs (modulo whitespace and the
/// namespace line). With NOGIL_UPDATE_PAIRS=1 the fix's output is written to After.cs instead of compared.
/// </summary>
public sealed class BenchmarkPairTests
{
    private const string UpdateVariable = "NOGIL_UPDATE_PAIRS";
    private const int MaxFixRounds = 50;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = Infrastructure.TestReferences.Runtime;

    private static string PairsDirectory => Path.Combine(RuleCatalog.RepositoryRoot, "samples", "NoGil.Benchmarks", "Pairs");

    public static IEnumerable<object[]> RulesWithFix => RuleCatalog.Descriptors
        .Where(d => RuleCatalog.HasFix(d.Id))
        .Select(d => new object[] { d.Id });

    public static IEnumerable<object[]> ExistingPairs => Directory.GetDirectories(PairsDirectory)
        .Select(Path.GetFileName)
        .OrderBy(name => name, StringComparer.Ordinal)
        .Select(name => new object[] { name! });

    [Theory]
    [MemberData(nameof(RulesWithFix))]
    public void EveryRuleWithAFixHasABenchmarkPair(string id)
    {
        var directory = Path.Combine(PairsDirectory, id);
        var benchmarks = Path.Combine(directory, BenchmarkClassName(id) + ".cs");
        foreach (var file in new[] { Path.Combine(directory, "Before.cs"), Path.Combine(directory, "After.cs"), benchmarks })
        {
            Assert.True(File.Exists(file), $"{id} has a code fix but no benchmark pair: missing {file}");
        }

        var text = File.ReadAllText(benchmarks);
        Assert.Contains($"class {BenchmarkClassName(id)}", text, StringComparison.Ordinal);

        // The Before baseline and the [GlobalSetup] equivalence check live in the class or in its Harness base class.
        var baseClass = System.Text.RegularExpressions.Regex.Match(text, $@"class {BenchmarkClassName(id)}\s*:\s*(\w+)");
        if (baseClass.Success)
        {
            var harnessFile = Path.Combine(PairsDirectory, "..", "Harness", baseClass.Groups[1].Value + ".cs");
            Assert.True(File.Exists(harnessFile), $"{id}: base class {baseClass.Groups[1].Value} not found in Harness");
            text += File.ReadAllText(harnessFile);
        }

        Assert.Contains("Baseline = true", text, StringComparison.Ordinal);
        Assert.Contains("[GlobalSetup", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExistingPairs))]
    public void PairBelongsToARuleWithAFix(string id)
    {
        Assert.Contains(RuleCatalog.Descriptors, d => d.Id == id);
        Assert.True(RuleCatalog.HasFix(id), $"{id} has a benchmark pair but no code fix");
    }

    [Theory]
    [MemberData(nameof(ExistingPairs))]
    public async Task AnalyzerReportsTheRuleOnBefore(string id)
    {
        var compilation = Compile(id, "Before.cs");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await AnalyzeAsync(compilation, id);
        Assert.NotEmpty(diagnostics);
    }

    [Theory]
    [MemberData(nameof(ExistingPairs))]
    public async Task AfterCompilesAndIsNotReported(string id)
    {
        var compilation = Compile(id, "After.cs");
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Empty(await AnalyzeAsync(compilation, id));
    }

    [Theory]
    [MemberData(nameof(ExistingPairs))]
    public async Task FixingBeforeGivesAfter(string id)
    {
        var directory = Path.Combine(PairsDirectory, id);
        var before = File.ReadAllText(Path.Combine(directory, "Before.cs"));
        Assert.Equal(PairNamespace(id, "Before"), NamespaceOf(before));

        var fixedText = await FixAllAsync(id, before);
        var generated = WithNamespace(fixedText, PairNamespace(id, "After"));
        var afterPath = Path.Combine(directory, "After.cs");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(afterPath, generated);
            return;
        }

        Assert.True(File.Exists(afterPath), $"missing {afterPath}; generate it with {UpdateVariable}=1");
        var after = File.ReadAllText(afterPath);
        Assert.Equal(PairNamespace(id, "After"), NamespaceOf(after));
        var expected = Normalize(after);
        var actual = Normalize(generated);
        Assert.True(
            expected == actual,
            $"{id}: After.cs is not what the fix produces from Before.cs. If the fix changed on purpose, regenerate with "
            + $"{UpdateVariable}=1 dotnet test tests/NoGil.Analyzers.Tests --filter BenchmarkPair\nFix output:\n{generated}");
    }

    /// <summary>Applies the rule's fix to the first fixable diagnostic, re-analyzes, and repeats until none is left.</summary>
    private static async Task<string> FixAllAsync(string id, string source)
    {
        var analyzer = AnalyzerFor(id);
        var fixer = RuleCatalog.Fixers.Single(f => f.FixableDiagnosticIds.Contains(id));

        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Create(),
                name: "Pair",
                assemblyName: "Pair",
                LanguageNames.CSharp,
                compilationOptions: CompilationOptions,
                parseOptions: ParseOptions,
                metadataReferences: References))
            .AddDocument(documentId, "Before.cs", SourceText.From(source));

        for (var round = 0; ; round++)
        {
            var document = solution.GetDocument(documentId)!;
            var compilation = (await document.Project.GetCompilationAsync())!;
            var diagnostics = await AnalyzeAsync(compilation, id, analyzer);
            if (diagnostics.IsEmpty)
            {
                return (await document.GetTextAsync()).ToString();
            }

            Assert.True(round < MaxFixRounds, $"{id}: the fix did not converge after {MaxFixRounds} rounds");
            var diagnostic = diagnostics[0];
            var actions = new List<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
            Assert.True(actions.Count > 0, $"{id}: no fix offered for {diagnostic}; every diagnostic in Before.cs must be fixable");

            var operations = await actions[0].GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }
    }

    private static CSharpCompilationOptions CompilationOptions { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    private static CSharpCompilation Compile(string id, string fileName)
    {
        var path = Path.Combine(PairsDirectory, id, fileName);
        var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), ParseOptions, path);
        return CSharpCompilation.Create("Pair", new[] { tree }, References, CompilationOptions);
    }

    private static DiagnosticAnalyzer AnalyzerFor(string id)
        => RuleCatalog.Analyzers.Single(a => a.SupportedDiagnostics.Any(d => d.Id == id));

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, string id, DiagnosticAnalyzer? analyzer = null)
    {
        var withAnalyzers = compilation.WithAnalyzers(
            ImmutableArray.Create(analyzer ?? AnalyzerFor(id)),
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (exception, faulted, _) => throw new InvalidOperationException($"{faulted} threw", exception),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.Where(d => d.Id == id).OrderBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
    }

    /// <summary>NOGIL201 → Nogil201Benchmarks.</summary>
    private static string BenchmarkClassName(string id) => PascalId(id) + "Benchmarks";

    private static string PairNamespace(string id, string half) => $"NoGil.Benchmarks.Pairs.{PascalId(id)}.{half}";

    private static string PascalId(string id) => "Nogil" + id.Substring("NOGIL".Length);

    private static string? NamespaceOf(string source)
        => CSharpSyntaxTree.ParseText(source, ParseOptions).GetRoot().DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name.ToString();

    private static string WithNamespace(string source, string name)
    {
        var root = CSharpSyntaxTree.ParseText(source, ParseOptions).GetRoot();
        var declaration = root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Single();
        return root.ReplaceNode(declaration.Name, SyntaxFactory.ParseName(name).WithTriviaFrom(declaration.Name)).ToFullString();
    }

    /// <summary>Whitespace-insensitive form of a pair file, with the namespace name blanked out.</summary>
    private static string Normalize(string source) => NormalizeWhitespace(WithNamespace(source, "Pair"));

    private static string NormalizeWhitespace(string source)
        => CSharpSyntaxTree.ParseText(source, ParseOptions).GetRoot().NormalizeWhitespace(eol: "\n").ToFullString();
}
