using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>NOGIL201 fix: replace the blocking wait with <c>await</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAwaitInsteadOfBlockingWaitFixer)), Shared]
public sealed class UseAwaitInsteadOfBlockingWaitFixer : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.UseAwaitInsteadOfBlockingWait);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var types = new KnownTypes(model.Compilation);
        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax node
                || model.GetOperation(node, context.CancellationToken) is not { } operation
                || BlockingWait.TryCreate(operation, types) is not { } wait
                || AwaitRewriter.CreateReplacement(wait) is not { } replacement)
            {
                continue;
            }

            var title = wait.Kind switch
            {
                BlockingWaitKind.WaitAll => "Use 'await Task.WhenAll'",
                BlockingWaitKind.WaitAny => "Use 'await Task.WhenAny'",
                _ => "Await the task",
            };

            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(node, replacement))),
                    equivalenceKey: RuleIdentifiers.UseAwaitInsteadOfBlockingWait),
                diagnostic);
        }
    }
}
