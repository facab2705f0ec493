using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>The verifier runs every rule test on each framework of <see cref="FrameworkMatrix.Frameworks"/>, unless the test pins one.</summary>
public sealed class FrameworkMatrixTests
{
    [Fact]
    public async Task EveryTest_RunsOnNet8AndNet10()
    {
        var marker = nameof(EveryTest_RunsOnNet8AndNet10);
        await AnalyzerVerifier<RuntimeVersionProbe>.VerifyAnalyzerAsync("class " + marker + " { }");
        Assert.Equal(new[] { "10.0.0.0", "8.0.0.0" }, RuntimeVersionProbe.Seen(marker));
    }

    [Fact]
    public async Task APinnedTest_RunsOnItsFrameworkOnly()
    {
        var marker = nameof(APinnedTest_RunsOnItsFrameworkOnly);
        var test = new AnalyzerVerifier<RuntimeVersionProbe>.Test
        {
            ReferenceAssemblies = TestReferences.Net100,
            TestCode = "class " + marker + " { }",
        };
        await test.RunAsync(CancellationToken.None);
        Assert.Equal(new[] { "10.0.0.0" }, RuntimeVersionProbe.Seen(marker));
    }

    [Fact]
    public async Task AFailure_NamesTheFramework()
    {
        // Expects a diagnostic the probe never reports: the run on the first framework fails, and says which it was.
        var failure = await Assert.ThrowsAnyAsync<System.Exception>(() => AnalyzerVerifier<RuntimeVersionProbe>.VerifyAnalyzerAsync(
            "class FailureMarker { }",
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("PROBE", DiagnosticSeverity.Warning)));
        Assert.StartsWith("On Microsoft.NETCore.App.Ref 8.0.0: ", failure.Message);
    }

    [Fact]
    public async Task OnNet10_TheTestCompilerStillBindsParamsArrays()
    {
        // The tests run the Roslyn 4.8 compiler, which predates params collections: on .NET 10 it binds Task.WhenAll(a, b)
        // to params Task[], where the SDK's compiler binds params ReadOnlySpan<Task>. That binding is checked end to end
        // (.ci/run builds its consumer for net8.0 and net10.0); an explicit collection expression reaches the span overload here.
        var references = await TestReferences.Net100.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            using System.Threading.Tasks;
            class C { static Task M(Task a, Task b) { Task.WhenAll(a, b); return Task.WhenAll([a, b]); } }
            """);
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("Binding", new[] { tree }, references, new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        var model = compilation.GetSemanticModel(tree);
        var parameters = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>()
            .Select(call => ((IMethodSymbol)model.GetSymbolInfo(call).Symbol!).Parameters.Single().Type.ToDisplayString())
            .ToArray();
        Assert.Equal(new[] { "System.Threading.Tasks.Task[]", "System.ReadOnlySpan<System.Threading.Tasks.Task>" }, parameters);
    }

#pragma warning disable RS1036, RS2008 // Extended analyzer rules and release tracking are for shipped analyzers.
    /// <summary>Records, per class name, the System.Runtime version each compilation it analyzes references.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class RuntimeVersionProbe : DiagnosticAnalyzer
    {
        private static readonly ConcurrentDictionary<string, ConcurrentBag<string>> Versions = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            new DiagnosticDescriptor("PROBE", "Probe", "Probe", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true));

        public static string[] Seen(string marker)
            => Versions.TryGetValue(marker, out var seen) ? seen.Distinct().OrderBy(v => v, System.StringComparer.Ordinal).ToArray() : System.Array.Empty<string>();

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSymbolAction(
                symbolContext =>
                {
                    var runtime = symbolContext.Compilation.ReferencedAssemblyNames.FirstOrDefault(a => a.Name == "System.Runtime");
                    Versions.GetOrAdd(symbolContext.Symbol.Name, _ => new ConcurrentBag<string>()).Add(runtime?.Version.ToString() ?? "none");
                },
                SymbolKind.NamedType);
        }
    }
#pragma warning restore RS1036, RS2008
}
