using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// The analyzer decides, the fixer obeys — checked on every solution a rule test analyses (the verifiers call this
/// for the test source and for every intermediate state of a code-fix test): each NOGIL diagnostic gets exactly the
/// code actions its properties announce (none when it announces none), and every announced action changes the
/// document without introducing a compiler error.
/// </summary>
public static class FixContract
{
    /// <summary>Every fixer the package ships.</summary>
    public static ImmutableArray<CodeFixProvider> AllProviders => Meta.RuleCatalog.Fixers;

    /// <summary>Runs <paramref name="analyzers"/> on <paramref name="project"/> and checks the contract for every NOGIL diagnostic.</summary>
    /// <returns>How many NOGIL diagnostics were checked and how many announced fixes were applied.</returns>
    public static async Task<(int Diagnostics, int Fixes)> VerifyAsync(Project project, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        if (compilation is null)
        {
            return (0, 0);
        }

        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        return await VerifyAsync(project.Solution, diagnostics, cancellationToken).ConfigureAwait(false);
    }

    /// <returns>How many NOGIL diagnostics were checked and how many announced fixes were applied.</returns>
    public static Task<(int Diagnostics, int Fixes)> VerifyAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => VerifyAsync(solution, diagnostics, AllProviders, cancellationToken);

    /// <summary>The contract with the given fixers (the meta-tests use it to show the check fails where it must).</summary>
    public static async Task<(int Diagnostics, int Fixes)> VerifyAsync(Solution solution, IEnumerable<Diagnostic> diagnostics, ImmutableArray<CodeFixProvider> providers, CancellationToken cancellationToken)
    {
        var (checkedDiagnostics, appliedFixes) = (0, 0);
        foreach (var diagnostic in diagnostics)
        {
            if (!providers.Any(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)) && DiagnosticProperties.GetFixes(diagnostic).IsEmpty)
            {
                continue;
            }

            if (!diagnostic.Location.IsInSource
                || solution.GetDocument(diagnostic.Location.SourceTree) is not { } document)
            {
                continue;
            }

            checkedDiagnostics++;
            appliedFixes += await VerifyOneAsync(document, diagnostic, providers, cancellationToken).ConfigureAwait(false);
        }

        return (checkedDiagnostics, appliedFixes);
    }

    private static async Task<int> VerifyOneAsync(Document document, Diagnostic diagnostic, ImmutableArray<CodeFixProvider> providers, CancellationToken cancellationToken)
    {
        var announced = DiagnosticProperties.GetFixes(diagnostic)
            .Select(kind => NoGilCodeFixProvider.EquivalenceKey(diagnostic, kind))
            .ToArray();
        var actions = new List<CodeAction>();
        foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        }

        var offered = actions.Select(a => a.EquivalenceKey ?? "(no key)").ToArray();
        if (!announced.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(offered.OrderBy(k => k, StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"{diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: announces [{string.Join(", ", announced)}] but the fixers offer [{string.Join(", ", offered)}]");
        }

        foreach (var action in actions)
        {
            await VerifyActionAsync(document, diagnostic, action, cancellationToken).ConfigureAwait(false);
        }

        return actions.Count;
    }

    private static async Task VerifyActionAsync(Document document, Diagnostic diagnostic, CodeAction action, CancellationToken cancellationToken)
    {
        var where = $"{diagnostic.Id} at {diagnostic.Location.GetLineSpan()}, fix '{action.Title}' ({action.EquivalenceKey})";
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault()
            ?? throw new InvalidOperationException($"{where}: produced no change operation");
        var changed = apply.ChangedSolution.GetDocument(document.Id)
            ?? throw new InvalidOperationException($"{where}: removed the document");
        var before = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var after = await changed.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (before.ToString() == after.ToString())
        {
            throw new InvalidOperationException($"{where}: is announced but leaves the document unchanged");
        }

        var errorsBefore = await ErrorsAsync(document, cancellationToken).ConfigureAwait(false);
        var newErrors = (await ErrorsAsync(changed, cancellationToken).ConfigureAwait(false))
            .Where(e => !errorsBefore.Contains(e))
            .ToArray();
        if (newErrors.Length > 0)
        {
            throw new InvalidOperationException($"{where}: the fixed code does not compile: {string.Join("; ", newErrors)}{Environment.NewLine}{after}");
        }
    }

    private static async Task<HashSet<string>> ErrorsAsync(Document document, CancellationToken cancellationToken)
    {
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        return new HashSet<string>(
            compilation?.GetDiagnostics(cancellationToken)
                .Where(d => d.Severity == DiagnosticSeverity.Error)
                .Select(d => d.Id + ": " + d.GetMessage())
            ?? Enumerable.Empty<string>(),
            StringComparer.Ordinal);
    }
}
