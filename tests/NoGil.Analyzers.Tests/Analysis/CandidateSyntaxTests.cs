using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Rules.Blocking;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Analysis;

/// <summary>
/// The blocking-wait rules' syntax pre-check: a body without a wait's name costs no operation walk and no flow
/// analysis, and every body with a wait is still analyzed (the rule tests prove no diagnostic is lost).
/// </summary>
public sealed class CandidateSyntaxTests
{
    private const string Source = """
        using System;
        using System.Threading.Tasks;
        using static System.Threading.Tasks.Task;
        internal class C
        {
            public double Numeric(double[] xs)
            {
                double sum = 0;
                foreach (var x in xs) { sum += Math.Sqrt(x); }
                return sum;
            }

            public async Task<int> Awaits(Task<int> t) => await t + 1;

            public int Blocks(Task<int> t) => t.Result;

            public void WaitsUnqualified(Task a, Task b) => WaitAll(a, b);

            public bool Pattern(Task<int> t) => t is { Result: 1 };

            public async Task<int> Nested(Task<int> t) { Func<int> f = () => t.GetAwaiter().GetResult(); await Task.Yield(); return f() + t.Result; }
        }
        """;

    [Fact]
    public async Task OnlyBodiesThatNameAWait_AreWalked()
    {
        var tree = CSharpSyntaxTree.ParseText(Source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("PreCheck", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.DoesNotContain(compilation.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);

        var scanned = new ConcurrentBag<string>();
        void Observe(IOperation root)
        {
            if (root.Syntax.SyntaxTree == tree)
            {
                scanned.Add(root.Syntax.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().First().Identifier.Text);
            }
        }

        CandidateSyntax.TreeScanned += Observe;
        ImmutableArray<Diagnostic> diagnostics;
        try
        {
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new UseAwaitInsteadOfBlockingWaitAnalyzer(), new MakeMethodAsyncAnalyzer());
            diagnostics = await compilation.WithAnalyzers(analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        }
        finally
        {
            CandidateSyntax.TreeScanned -= Observe;
        }

        Assert.Equal(new[] { "Blocks", "Nested", "Pattern", "WaitsUnqualified" }, scanned.Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
        // Blocks and WaitsUnqualified (NOGIL203), Nested (NOGIL201); the wait in Pattern is walked but has no await form,
        // and NOGIL203 reports a wait it cannot fix only under NOGIL203.report_without_fix.
        Assert.Equal(new[] { "NOGIL201", "NOGIL203", "NOGIL203" }, diagnostics.Select(d => d.Id).OrderBy(n => n, System.StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("x.Result", true)]
    [InlineData("@Result", true)]
    [InlineData("Wait()", true)]
    [InlineData("Task.WaitAny(a)", true)]
    [InlineData("a.GetAwaiter().GetResult()", true)]
    [InlineData("t.\\u0052esult", true)]
    [InlineData("\"Result\"", true)]
    [InlineData("Math.Sqrt(x) + results", false)]
    [InlineData("await t", false)]
    public void Names(string expression, bool expected)
        => Assert.Equal(expected, CandidateSyntax.MayHoldWait(SyntaxFactory.ParseExpression(expression), CancellationToken.None));

    [Theory]
    [InlineData("Result")]
    [InlineData("Wait")]
    [InlineData("GetResult")]
    [InlineData("WaitAll")]
    [InlineData("WaitAny")]
    public void EveryCandidateName_ContainsAFragment(string name)
    {
        Assert.True(BlockingWait.IsCandidateName(name));
        Assert.Contains(CandidateSyntax.Fragments, fragment => name.Contains(fragment, System.StringComparison.Ordinal));
    }
}
