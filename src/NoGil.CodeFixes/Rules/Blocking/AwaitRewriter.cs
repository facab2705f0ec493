using Microsoft.CodeAnalysis.Simplification;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>Renders an <see cref="AwaitForm"/>: the blocking wait's syntax becomes its <c>await</c> expression.</summary>
internal static class AwaitRewriter
{
    /// <summary>The expression that replaces the wait's syntax, parenthesized where the context needs it.</summary>
    public static ExpressionSyntax? CreateReplacement(AwaitForm form) => CreateRewrite(form)(form.Syntax);

    /// <summary>
    /// A function that rewrites the wait's syntax — or a copy of it in which nested nodes were already rewritten —
    /// into its <c>await</c> form; it returns null only for a copy that no longer has the wait's shape.
    /// </summary>
    public static Func<ExpressionSyntax, ExpressionSyntax?> CreateRewrite(AwaitForm form)
    {
        var indexSource = IndexSource(form);
        var parenthesize = NeedsParentheses(form.Syntax);
        return current =>
        {
            if (form.AwaitedIn(current) is not { } awaited)
            {
                return null;
            }

            ExpressionSyntax replacement = Await(awaited.WithoutTrivia());
            if (indexSource is not null)
            {
                replacement = InvocationExpression(
                    MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        ParseExpression("System.Array").WithAdditionalAnnotations(Simplifier.Annotation),
                        IdentifierName("IndexOf")),
                    ArgumentList(SeparatedList(new[] { Argument(indexSource), Argument(replacement) })));
            }
            else if (parenthesize)
            {
                replacement = Parenthesize(replacement);
            }

            return replacement.WithTriviaFrom(current);
        };
    }

    /// <summary>
    /// <c>await <paramref name="expression"/></c> with plain trivia: the factory's elastic trivia would let the code
    /// action's formatting pass respace the code around it (<c>task.Result*2</c> → <c>await task *2</c>).
    /// </summary>
    public static AwaitExpressionSyntax Await(ExpressionSyntax expression)
        => AwaitExpression(Token(TriviaList(), SyntaxKind.AwaitKeyword, TriviaList(Space)), expression);

    /// <summary><c>(<paramref name="expression"/>)</c> with plain trivia (see <see cref="Await"/>).</summary>
    public static ParenthesizedExpressionSyntax Parenthesize(ExpressionSyntax expression)
        => ParenthesizedExpression(Token(TriviaList(), SyntaxKind.OpenParenToken, TriviaList()), expression, Token(TriviaList(), SyntaxKind.CloseParenToken, TriviaList()));

    /// <summary>The tasks of a <c>WaitAny</c> whose index is used, as an expression that reads them a second time.</summary>
    private static ExpressionSyntax? IndexSource(AwaitForm form)
    {
        if (form.IndexArray is { } array)
        {
            return array.WithoutTrivia();
        }

        if (form.IndexTaskType is not { } elementType)
        {
            return null;
        }

        var type = ParseTypeName(elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);
        return ArrayCreationExpression(
            ArrayType(type, SingletonList(ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(OmittedArraySizeExpression())))),
            InitializerExpression(SyntaxKind.ArrayInitializerExpression, SeparatedList(form.IndexTasks.Select(e => e.WithoutTrivia()))));
    }

    /// <summary>
    /// True when an <c>await</c> expression put in place of <paramref name="node"/> must be parenthesized:
    /// <c>await</c> is a unary operator, so only primary-expression positions (receiver of a member access,
    /// invocation, element access, null-conditional access or postfix operator) need parentheses.
    /// </summary>
    public static bool NeedsParentheses(SyntaxNode node)
        => node.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == node,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression == node,
            ElementAccessExpressionSyntax element => element.Expression == node,
            InvocationExpressionSyntax invocation => invocation.Expression == node,
            PostfixUnaryExpressionSyntax => true,
            _ => false,
        };

    /// <summary>
    /// True when <paramref name="node"/> fills a whole expression slot (a statement, initializer, argument, return
    /// value, lambda or arrow body, right side of an assignment…), so any expression can replace it unparenthesized.
    /// </summary>
    public static bool FillsExpressionSlot(SyntaxNode node)
        => node.Parent switch
        {
            ExpressionStatementSyntax or EqualsValueClauseSyntax or ArgumentSyntax or ReturnStatementSyntax
                or ArrowExpressionClauseSyntax or LambdaExpressionSyntax or ParenthesizedExpressionSyntax
                or InitializerExpressionSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or YieldStatementSyntax
                or AnonymousObjectMemberDeclaratorSyntax => true,
            AssignmentExpressionSyntax assignment => assignment.Right == node,
            _ => false,
        };
}
