namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Where an <c>await</c> may go, in syntax: the questions every blocking-wait fix asks before announcing one.</summary>
public static class AwaitSyntax
{
    /// <summary>True when the syntax sits in a place where <c>await</c> is not allowed.</summary>
    public static bool IsAwaitForbiddenAt(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax:
                case UnsafeStatementSyntax:
                case CatchFilterClauseSyntax:
                case QueryClauseSyntax:
                case SelectOrGroupClauseSyntax:
                case QueryContinuationSyntax:
                    return true;
                case AnonymousFunctionExpressionSyntax:
                case LocalFunctionStatementSyntax:
                case BaseMethodDeclarationSyntax:
                case AccessorDeclarationSyntax:
                case CompilationUnitSyntax:
                    return false;
            }
        }

        return false;
    }

    /// <summary>The innermost function-like syntax containing <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
            or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax);

    /// <summary>True when the value of <paramref name="node"/> is thrown away: an expression statement, or <c>_ = …;</c>.</summary>
    public static bool IsValueDiscarded(SyntaxNode node)
        => node.Parent is ExpressionStatementSyntax
           || (node.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } assignment
               && assignment.Parent is ExpressionStatementSyntax);
}
