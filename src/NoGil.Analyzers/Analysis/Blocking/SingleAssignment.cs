namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Values known from a declaration: a local assigned only where it is declared, a readonly field's initializer.</summary>
public static class SingleAssignment
{
    /// <summary>The initializer of a local that is never assigned after its declaration; null otherwise.</summary>
    public static IOperation? InitialValue(ILocalSymbol local, IOperation reference)
    {
        if (local.IsRef || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer } declarator
            || reference.SemanticModel is not { } model || declarator.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        var scope = declarator.Ancestors().FirstOrDefault(a => a is BlockSyntax or SwitchSectionSyntax or ArrowExpressionClauseSyntax) ?? declarator.Parent;
        var name = local.Name;
        foreach (var node in scope?.DescendantNodes() ?? Enumerable.Empty<SyntaxNode>())
        {
            if (WrittenName(node) == name)
            {
                return null;
            }
        }

        return model.GetOperation(initializer);
    }

    /// <summary>
    /// The simple name <paramref name="node"/> writes: the target of an assignment (<c>x = …</c>, <c>x += …</c>), of
    /// <c>++</c>/<c>--</c>, or an argument passed by reference; null for any other node.
    /// </summary>
    public static string? WrittenName(SyntaxNode node)
        => node switch
        {
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } => target.Identifier.ValueText,
            ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax target } => target.Identifier.ValueText,
            PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target, RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } => target.Identifier.ValueText,
            PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target } => target.Identifier.ValueText,
            _ => null,
        };

    /// <summary>
    /// The initializer of a <c>readonly</c> field (read from its syntax, which may be in another file); null for any
    /// other field.
    /// </summary>
    public static ExpressionSyntax? ReadonlyFieldInitializer(IFieldSymbol field)
        => field.IsReadOnly && field.DeclaringSyntaxReferences.Length == 1
           && field.DeclaringSyntaxReferences[0].GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            ? initializer
            : null;
}
