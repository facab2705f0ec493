using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Locks;
using NoGil.CodeFixes.Infrastructure;

namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL101 and NOGIL102 fix "Move the work out of the lock": the section's lock-free prefix and the extracted value of
/// its first remaining statement run before the lock is taken; the shared reads and writes stay inside.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveWorkOutOfLockFixer)), Shared]
public sealed class MoveWorkOutOfLockFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.MoveWorkOutOfLock + ".Hoist";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.MoveWorkOutOfLock, RuleIdentifiers.ComputeOutsideSharedLock);

    /// <summary>
    /// Fix All applies the hoists one after another, in source order, as applying them one at a time would: each new
    /// local's name is chosen against the code as the previous fixes left it (merged independent fixes could give two
    /// sections of one method the same name). The sections are marked first, because the fixes move them.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        => SequentialFixAll.FixInOrderAsync(
            document,
            diagnostics.Where(d => d.Properties.TryGetValue(MoveWorkOutOfLockAnalyzer.FixableProperty, out var fixable) && fixable == "true"),
            (_, root, model, node, _, cancellationToken) =>
            {
                var types = new KnownTypes(model.Compilation);
                return Task.FromResult(SectionHoister.FindSectionAt(model, node, types, cancellationToken) is { } section
                    ? Fix(root, model, section, cancellationToken)
                    : null);
            },
            context.CancellationToken);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!diagnostic.Properties.TryGetValue(MoveWorkOutOfLockAnalyzer.FixableProperty, out var fixable) || fixable != "true")
            {
                continue;
            }

            var document = context.Document;
            var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null || model is null)
            {
                continue;
            }

            var newRoot = Fix(root, model, diagnostic, context.CancellationToken);
            if (newRoot is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Move the work out of the lock", _ => Task.FromResult(document.WithSyntaxRoot(newRoot)), EquivalenceKey),
                diagnostic);
        }
    }

    private static SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var types = new KnownTypes(model.Compilation);
        if (SectionHoister.FindSection(model, root, diagnostic.Location.SourceSpan, types, cancellationToken) is not { } section)
        {
            return null;
        }

        return Fix(root, model, section, cancellationToken);
    }

    private static SyntaxNode? Fix(SyntaxNode root, SemanticModel model, CriticalSection section, CancellationToken cancellationToken)
    {
        var plan = HoistPlan.Create(section, PurityCache.For(model.Compilation), cancellationToken);
        if (!plan.CanFix || SectionHoister.Prepare(plan, model) is not { } hoist)
        {
            return null;
        }

        return SectionHoister.Apply(root, section, hoist);
    }
}
