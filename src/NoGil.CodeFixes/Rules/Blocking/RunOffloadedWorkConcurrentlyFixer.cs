using Microsoft.CodeAnalysis.Simplification;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL204 fixes: "Call the work directly" for <c>Task.Run(work).Result</c> (<see cref="DirectCallRewrite"/>), and
/// "Start all items, then await Task.WhenAll" for a loop that awaits <c>Task.Run</c> per item (<see cref="WhenAllRewrite"/>).
/// </summary>
/// <remarks>Fix All: applies the fixes one after another to each document. The batch fixer merges independently computed
/// text changes and drops the ones that collide — and every loop fix may add the same <c>using</c> directive.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunOffloadedWorkConcurrentlyFixer)), Shared]
public sealed class RunOffloadedWorkConcurrentlyFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.RunOffloadedWorkConcurrently)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var newRoot = request.Kind switch
        {
            FixKind.CallDirectly => DirectCallRewrite.Find(request.Model, request.Node, request.Types, request.CancellationToken) is { } direct
                ? CallDirectly(request.Root, direct)
                : null,
            FixKind.RunConcurrently => WhenAllRewrite.Find(request.Model, request.Node, request.Types, request.CancellationToken) is { } whenAll
                ? RunConcurrently(request.Root, request.Model, whenAll)
                : null,
            _ => null,
        };
        return newRoot;
    }

    // ----- Case A: Task.Run(work).Result → work -----

    private static SyntaxNode? CallDirectly(SyntaxNode root, DirectCallRewrite rewrite)
    {
        switch (rewrite.Shape)
        {
            case DirectCallShape.CallMethodGroup when rewrite.Expression is { } group:
                return ReplaceExpression(root, rewrite.Wait, InvocationExpression(group.WithoutTrivia(), ArgumentList()));
            case DirectCallShape.InlineExpression when rewrite.Expression is { } expression:
                return ReplaceExpression(root, rewrite.Wait, expression.WithoutTrivia());
            case DirectCallShape.InlineStatements when rewrite.Block is { } block && rewrite.Statement is { } statement:
                return InlineStatements(root, block, statement);
            default:
                return null;
        }
    }

    private static SyntaxNode? InlineStatements(SyntaxNode root, BlockSyntax block, ExpressionStatementSyntax statement)
    {
        if (block.Statements.Count > 0 && InlineExactly(root, block, statement) is { } exact)
        {
            return exact;
        }

        // Each statement on its own line; the formatter re-indents them for their new place.
        var statements = block.Statements
            .Select(s => (s.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia) ? s : s.WithTrailingTrivia(s.GetTrailingTrivia().Add(ElasticLineFeed)))
                .WithAdditionalAnnotations(Formatter.Annotation))
            .ToList();
        if (statements.Count == 0)
        {
            return root.RemoveNode(statement, SyntaxRemoveOptions.KeepExteriorTrivia);
        }

        statements[0] = statements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
        if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.ReplaceNode(statement, statements);
        }

        return root.ReplaceNode(statement, Block(statements).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>
    /// The lambda's statements in place of the statement, keeping their text, comments and blank lines, moved out to the
    /// statement's indentation; null when they do not each start a line (the formatter lays them out then).
    /// </summary>
    private static SyntaxNode? InlineExactly(SyntaxNode root, BlockSyntax block, ExpressionStatementSyntax statement)
    {
        if (!Layout.StartsLine(statement) || !block.Statements.All(Layout.StartsLine))
        {
            return null;
        }

        var from = Layout.LineIndentation(block.Statements[0]);
        var to = Layout.LineIndentation(statement);
        if (!block.Statements.All(s => Layout.LineIndentation(s).StartsWith(from, StringComparison.Ordinal)))
        {
            return null;
        }

        var statements = block.Statements.Select(s => Layout.Reindent(s, from, to).WithLeadingTrivia(Layout.ReindentLeading(s.GetLeadingTrivia(), from, to))).ToList();

        // The statement's own comments come first (Layout keeps those of the first inlined statement after them); a
        // comment after the statement stays at the end.
        if (statement.GetTrailingTrivia().Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
        }

        return Layout.ReplaceStatement(root, statement, statements, scope: false, KernelEndOfLine(root));
    }

    private static string KernelEndOfLine(SyntaxNode root)
        => root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).ToString() is { Length: > 0 } endOfLine ? endOfLine : "\n";

    private static SyntaxNode ReplaceExpression(SyntaxNode root, ExpressionSyntax original, ExpressionSyntax replacement)
    {
        if (!SyntaxShapes.IsPrimary(replacement) && NeedsParentheses(original, replacement))
        {
            replacement = ParenthesizedExpression(replacement).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return root.ReplaceNode(original, replacement.WithTriviaFrom(original));
    }

    /// <summary>
    /// The inlined work replaces a primary expression (<c>Task.Run(…).Result</c>), so anything that binds less
    /// tightly is parenthesized unless it fills a whole expression slot; the simplifier then drops parentheses the
    /// surrounding operators make redundant.
    /// </summary>
    private static bool NeedsParentheses(ExpressionSyntax original, ExpressionSyntax replacement)
    {
        if (original.Parent is InterpolationSyntax)
        {
            return replacement is ConditionalExpressionSyntax;
        }

        return !AwaitRewriter.FillsExpressionSlot(original);
    }

    // ----- Case B: loop awaiting Task.Run per item → await Task.WhenAll -----

    private static SyntaxNode RunConcurrently(SyntaxNode root, SemanticModel model, WhenAllRewrite rewrite)
    {
        var resultName = rewrite.NeedsResultName ? ResultName(model, rewrite.Loop) : "result";
        var newRoot = root.ReplaceNode(rewrite.Loop, rewrite.BuildReplacement(resultName));
        foreach (var name in rewrite.Usings)
        {
            newRoot = Imports.AddUsing(newRoot, name);
        }

        return newRoot;
    }

    /// <summary>A name that no identifier of the enclosing member uses and that binds to nothing at the loop.</summary>
    private static string ResultName(SemanticModel model, SyntaxNode loop)
    {
        var scope = loop.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax)
                    ?? loop.SyntaxTree.GetRoot();
        var used = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        return FreshNames.Next(used, "result", firstSuffix: 1, isTaken: name => !model.LookupSymbols(loop.SpanStart, name: name).IsEmpty);
    }
}
