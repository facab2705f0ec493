using System.Linq;
using System.Threading.Tasks;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Xunit.Abstractions;

namespace NoGil.Analyzers.Tests.Rules.Kernels;

public sealed class ZzProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe()
    {
        var source = System.IO.File.ReadAllText("/tmp/vt/probe.cs");
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("P", new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        foreach (var e in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)) output.WriteLine("ERR " + e);
        var diags = await FixRunner.AnalyzeAsync(compilation, new ParallelizeLoopAnalyzer(), new VectorizeLoopAnalyzer(), new VectorizeReductionAnalyzer());
        foreach (var d in diags) output.WriteLine(d.Id + " line " + (d.Location.GetLineSpan().StartLinePosition.Line + 1) + ": " + d.GetMessage());
        var model = compilation.GetSemanticModel(tree);
        foreach (var loop in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.ForStatementSyntax>())
        {
            var op = (Microsoft.CodeAnalysis.Operations.ILoopOperation)model.GetOperation(loop)!;
            var m = NoGil.Analyzers.Analysis.Loops.LoopDependence.Analyze(op, NoGil.Analyzers.Infrastructure.KnownTypes.For(compilation), NoGil.Analyzers.Analysis.Common.PurityCache.For(compilation), default);
            output.WriteLine("loop line " + (loop.GetLocation().GetLineSpan().StartLinePosition.Line + 1) + ": " + (m is null ? "no model" : string.Join("; ", m.Obstacles) + " ops=" + m.Cost.Operations + " heavy=" + m.Cost.IsHeavy + " worth=" + m.Cost.IsWorthParallelizing + " red=" + string.Join(",", m.Reductions.Select(r => r.Operator))));
        }
    }
}
