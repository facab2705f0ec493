using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Whether an <c>await</c> a fix writes should be <c>.ConfigureAwait(false)</c>: the code around it says so. Libraries
/// that do not resume on the caller's context write it on every await; an await a fix adds without it would resume on
/// a single-threaded synchronization context, where a caller that blocks on the task deadlocks.
/// </summary>
internal static class AwaitConvention
{
    /// <summary>The file's answer (it has awaits, all configured false), computed once per tree: every diagnostic of a function without an await asks it.</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<bool>> FileConvention = new();

    /// <summary>
    /// True when the function enclosing <paramref name="node"/> awaits with <c>.ConfigureAwait(false)</c>, or, when it
    /// has no await of its own, when the file has awaits and every one of them is <c>.ConfigureAwait(false)</c>.
    /// </summary>
    public static bool ConfiguresAwaitFalse(SyntaxNode node)
    {
        if (AwaitSyntax.EnclosingFunction(node) is not { } function)
        {
            return false;
        }

        var own = OwnAwaits(function).ToList();
        if (own.Count > 0)
        {
            return own.Any(IsConfiguredFalse);
        }

        return FileConvention.GetValue(node.SyntaxTree, static tree =>
        {
            var all = tree.GetRoot().DescendantNodes().OfType<AwaitExpressionSyntax>().ToList();
            return new StrongBox<bool>(all.Count > 0 && all.All(IsConfiguredFalse));
        }).Value;
    }

    /// <summary>The awaits of the function itself (not of a nested lambda or local function).</summary>
    private static IEnumerable<AwaitExpressionSyntax> OwnAwaits(SyntaxNode function)
        => function.DescendantNodes(n => n == function || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<AwaitExpressionSyntax>();

    private static bool IsConfiguredFalse(AwaitExpressionSyntax await)
        => await.Expression is InvocationExpressionSyntax
        {
            Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" },
            ArgumentList.Arguments: { Count: 1 } arguments,
        } && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression);
}
