using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Analysis;

/// <summary>
/// The shared layer's memos (<see cref="PurityCache"/>) never make an answer depend on what was asked before: the
/// analyzer driver runs callbacks concurrently and in no fixed order, and a kernel rule once reported 56 to 59 loops
/// in identical runs over the same library (docs/performance.md). Each question is asked on a fresh cache and on a
/// cache primed by the questions that used to leak a deeper answer into a shallower one.
/// </summary>
public sealed class AnalysisOrderTests
{
    // F1 -> F2 -> F3 -> G is one call deeper than a purity summary looks (Purity.MaxCallDepth = 3) from a caller of
    // F1, and the loop in G is past CpuWork's bound from F0's body; from F3 (or F2's body) both are within reach.
    private const string Chain = """
        public static class C
        {
            public static double F0(double x) => F1(x) / 2;
            public static double F1(double x) => F2(x) + 1;
            public static double F2(double x) => F3(x) * 2;
            public static double F3(double x) => G(x) - 3;
            public static double G(double x) { double s = 0; for (int i = 0; i < 100; i++) { s += x * i; } return s; }
        }
        """;

    private static (CSharpCompilation Compilation, IMethodSymbol F1, IMethodSymbol F3) Compile()
    {
        var tree = CSharpSyntaxTree.ParseText(Chain, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Order", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var type = compilation.GetTypeByMetadataName("C")!;
        return (compilation, (IMethodSymbol)type.GetMembers("F1").Single(), (IMethodSymbol)type.GetMembers("F3").Single());
    }

    [Fact]
    public void PuritySummaryDoesNotDependOnWhatWasSummarizedBefore()
    {
        var (compilation, f1, f3) = Compile();
        var fresh = Purity.IsPureMethod(f1, new PurityCache(compilation), CancellationToken.None);

        var primed = new PurityCache(compilation);
        Assert.True(Purity.IsPureMethod(f3, primed, CancellationToken.None));
        var afterPriming = Purity.IsPureMethod(f1, primed, CancellationToken.None);

        Assert.False(fresh); // G is past the depth bound from F1: not proven pure
        Assert.Equal(fresh, afterPriming);
    }

    [Fact]
    public void CpuWorkDoesNotDependOnWhatWasAskedBefore()
    {
        var (compilation, _, _) = Compile();
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToDictionary(m => m.Identifier.Text);
        IOperation Body(string name) => model.GetOperation(methods[name].ExpressionBody!.Expression)!;

        var fresh = CpuWork.Find(Body("F0"), new PurityCache(compilation), skip: null, CancellationToken.None);

        var primed = new PurityCache(compilation);
        foreach (var name in new[] { "F3", "F2", "F1" })
        {
            Assert.NotNull(CpuWork.Find(Body(name), primed, skip: null, CancellationToken.None));
        }

        var afterPriming = CpuWork.Find(Body("F0"), primed, skip: null, CancellationToken.None);

        Assert.Null(fresh); // the loop in G is four calls away from F0's body
        Assert.Equal(fresh is null, afterPriming is null);
    }

    [Fact]
    public void SharedStaticReadsDoNotDependOnWhatWasAskedBefore()
    {
        var (compilation, _, _) = Compile();
        var tree = compilation.SyntaxTrees.Single();
        var model = compilation.GetSemanticModel(tree);
        var methods = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().ToDictionary(m => m.Identifier.Text);
        IOperation Body(string name) => model.GetOperation(methods[name].ExpressionBody!.Expression)!;

        var fresh = SharedStatics.AreRead(Body("F0"), new PurityCache(compilation), CancellationToken.None);

        var primed = new PurityCache(compilation);
        foreach (var name in new[] { "F3", "F2", "F1" })
        {
            Assert.False(SharedStatics.AreRead(Body(name), primed, CancellationToken.None));
        }

        var afterPriming = SharedStatics.AreRead(Body("F0"), primed, CancellationToken.None);

        Assert.True(fresh); // past the depth bound the answer is "reads"
        Assert.Equal(fresh, afterPriming);
    }
}
