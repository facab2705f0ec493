using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// <c>dotnet format</c> with every rule converges in one pass on the showcase sample, where every rule fires: after one
/// pass the code compiles, a second pass changes nothing, and the only fixable diagnostics left are those the project did
/// not opt in to fixing in bulk (floating-point reassociation) — none with <c>nogil.float_reassociation = bulk</c>.
/// The rules are taken in both orders: a fix that made a diagnostic of a rule already passed would show here.
/// </summary>
public sealed class ShowcaseConvergenceTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, "nogil.float_reassociation = bulk")]
    [InlineData(true, "nogil.float_reassociation = bulk")]
    public async Task OneDotnetFormatPassConverges(bool reverse, string? editorConfig)
    {
        var directory = Path.Combine(RuleCatalog.RepositoryRoot, "samples", "NoGil.Showcase");
        var documents = Directory.GetFiles(directory, "*.cs", SearchOption.TopDirectoryOnly)
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .ToArray();
        var solution = DotnetFormatPass.CreateSolution(documents, TestReferences.Runtime, OutputKind.ConsoleApplication, editorConfig);
        var analyzers = RuleCatalog.Analyzers;
        var before = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
        Assert.True(before.Count(d => !DiagnosticProperties.GetFixes(d).IsEmpty) >= 12, "the showcase has a fixable diagnostic of every rule");
        Assert.Contains(before, d => !DiagnosticProperties.AppliesInBulk(d) || editorConfig is not null);

        var once = await DotnetFormatPass.RunAsync(solution, analyzers, RuleCatalog.Fixers, reverse);
        var compilation = (await once.Projects.Single().GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "the fixed showcase does not compile: " + string.Join("; ", errors));

        var left = (await DotnetFormatPass.AnalyzeAsync(once, analyzers))
            .Where(d => !DiagnosticProperties.GetFixes(d).IsEmpty && DiagnosticProperties.AppliesInBulk(d))
            .ToList();
        Assert.True(left.Count == 0, "fixable diagnostics left after one pass: " + string.Join("; ", left));
        if (editorConfig is not null)
        {
            Assert.DoesNotContain(await DotnetFormatPass.AnalyzeAsync(once, analyzers), d => !DiagnosticProperties.GetFixes(d).IsEmpty);
        }

        var text = await DotnetFormatPass.TextAsync(once);
        var twice = await DotnetFormatPass.TextAsync(await DotnetFormatPass.RunAsync(once, analyzers, RuleCatalog.Fixers, reverse));
        Assert.Equal(text, twice);
    }
}
