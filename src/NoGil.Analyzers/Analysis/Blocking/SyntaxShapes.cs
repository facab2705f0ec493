namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Syntactic classes of expressions that decide how a rewritten expression fits where it goes.</summary>
public static class SyntaxShapes
{
    /// <summary>The body of a method or local function declaration — its block or its expression body; null for anything else.</summary>
    public static SyntaxNode? BodyOf(SyntaxNode declaration)
        => declaration switch
        {
            BaseMethodDeclarationSyntax method => (SyntaxNode?)method.Body ?? method.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };

    /// <summary>Expressions that bind at least as tightly as the member access / invocation they replace.</summary>
    public static bool IsPrimary(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax or GenericNameSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax or InvocationExpressionSyntax
               or ElementAccessExpressionSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax or TupleExpressionSyntax
               or BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
               or AnonymousObjectCreationExpressionSyntax or InterpolatedStringExpressionSyntax or ThisExpressionSyntax or BaseExpressionSyntax
               or DefaultExpressionSyntax or TypeOfExpressionSyntax or SizeOfExpressionSyntax or CheckedExpressionSyntax or PredefinedTypeSyntax
               or PostfixUnaryExpressionSyntax
           || (expression is MemberAccessExpressionSyntax access && access.IsKind(SyntaxKind.SimpleMemberAccessExpression));

    /// <summary>Expressions C# accepts as a statement on their own.</summary>
    public static bool IsStatementExpression(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax or AwaitExpressionSyntax
           || expression.IsKind(SyntaxKind.PostIncrementExpression) || expression.IsKind(SyntaxKind.PostDecrementExpression)
           || expression.IsKind(SyntaxKind.PreIncrementExpression) || expression.IsKind(SyntaxKind.PreDecrementExpression);

    /// <summary><paramref name="expression"/>'s text, parenthesized unless it is primary.</summary>
    public static string Parenthesize(ExpressionSyntax expression)
        => IsPrimary(expression) ? expression.ToFullString() : "(" + expression.ToFullString() + ")";
}
