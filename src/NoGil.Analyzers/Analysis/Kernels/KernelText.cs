namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>How the kernel fixes place expressions taken from the loop into the code they write.</summary>
internal static class KernelText
{
    /// <summary>The text as an operand of member access or a cast: parenthesized unless it is a primary expression.</summary>
    public static string Primary(string text) => IsPrimary(SyntaxFactory.ParseExpression(text)) ? text : "(" + text + ")";

    /// <summary>The expression's text as an operand of member access or a cast: parenthesized unless it is a primary expression.</summary>
    public static string Primary(SyntaxNode expression) => IsPrimary(expression) ? expression.ToString() : "(" + expression + ")";

    /// <summary>The text as the left operand of a subtraction: parenthesized unless it is arithmetic or binds tighter.</summary>
    public static string Additive(string text)
    {
        var expression = SyntaxFactory.ParseExpression(text);
        return expression is BinaryExpressionSyntax binary && !(binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.SubtractExpression)
                                                                || binary.IsKind(SyntaxKind.MultiplyExpression) || binary.IsKind(SyntaxKind.DivideExpression)
                                                                || binary.IsKind(SyntaxKind.ModuloExpression))
            || expression is ConditionalExpressionSyntax or AssignmentExpressionSyntax
            ? "(" + text + ")"
            : text;
    }

    /// <summary>
    /// The <c>Math.Max</c>/<c>MathF.Min</c>… that <paramref name="update"/> (a reduction's update) calls, as written, for
    /// code that must merge with the same function; null when it calls none.
    /// </summary>
    public static string? MinMaxFunction(IOperation update)
        => update.Descendants().OfType<IInvocationOperation>()
            .FirstOrDefault(call => call.TargetMethod.Name is "Min" or "Max" && call.Arguments.Length == 2 && call.TargetMethod.ContainingType?.Name is "Math" or "MathF")
            ?.Syntax is InvocationExpressionSyntax { Expression: var expression } ? expression.ToString() : null; // ToString leaves out the outer trivia, as WithoutTrivia would

    /// <summary>A name, literal, member access, call, element access, parenthesized expression or <c>this</c>.</summary>
    private static bool IsPrimary(SyntaxNode expression)
        => expression is IdentifierNameSyntax or LiteralExpressionSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
            or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax or ThisExpressionSyntax or GenericNameSyntax;
}
