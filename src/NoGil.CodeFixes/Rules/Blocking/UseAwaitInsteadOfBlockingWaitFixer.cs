using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>NOGIL201 fix: the blocking wait becomes the <c>await</c> its analyzer announced (<see cref="AwaitForm"/>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAwaitInsteadOfBlockingWaitFixer)), Shared]
public sealed class UseAwaitInsteadOfBlockingWaitFixer : NoGilCodeFixProvider
{
    public UseAwaitInsteadOfBlockingWaitFixer()
        : base(RuleIdentifiers.UseAwaitInsteadOfBlockingWait)
    {
    }

    /// <summary>Each fix replaces only the wait's own expression.</summary>
    protected override FixAllMode FixAllMode => FixAllMode.Batch;

    protected override string GetTitle(Diagnostic diagnostic, FixKind kind) => kind switch
    {
        FixKind.AwaitWhenAll => "Use 'await Task.WhenAll'",
        FixKind.AwaitWhenAny => "Use 'await Task.WhenAny'",
        _ => "Await the task",
    };

    protected override Task<SyntaxNode?> RenderAsync(FixRequest request)
    {
        request.CancellationToken.ThrowIfCancellationRequested();
        var newRoot = request.Node is ExpressionSyntax node
                      && AwaitForm.Find(request.Model, node, request.Types, request.CancellationToken) is { } form
                      && AwaitRewriter.CreateReplacement(form) is { } replacement
            ? request.Root.ReplaceNode(node, replacement)
            : null;
        return Task.FromResult(newRoot);
    }
}
