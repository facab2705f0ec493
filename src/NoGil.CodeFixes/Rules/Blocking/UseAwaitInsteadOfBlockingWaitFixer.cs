namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>NOGIL201 fix: the blocking wait becomes the <c>await</c> its analyzer announced (<see cref="AwaitForm"/>).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAwaitInsteadOfBlockingWaitFixer)), Shared]
public sealed class UseAwaitInsteadOfBlockingWaitFixer() : NoGilCodeFixProvider(FixAllMode.Batch, RuleIdentifiers.UseAwaitInsteadOfBlockingWait)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var newRoot = request.Node is ExpressionSyntax node
                      && AwaitForm.Find(request.Model, node, request.Types, request.CancellationToken) is { } form
                      && AwaitRewriter.CreateReplacement(form) is { } replacement
            ? request.Root.ReplaceNode(node, replacement)
            : null;
        return newRoot;
    }
}
