using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Values known from a declaration: a local assigned only where it is declared, a readonly field's initializer.</summary>
public static class SingleAssignment
{
    /// <summary>The names written in a scope (<see cref="WrittenName"/> of each node in it), per scope node: one walk of each scope.</summary>
    private static readonly ConditionalWeakTable<SyntaxNode, HashSet<string>> WrittenNamesByScope = new();

    /// <summary>The initializer of a local that is never assigned after its declaration; null otherwise.</summary>
    public static IOperation? InitialValue(ILocalSymbol local, IOperation reference)
        => DeclaredValue(local, reference) is { } value && !IsReassigned(local) ? value : null;

    /// <summary>
    /// The initializer of a local declared with one (<c>var n = a.Length;</c>), whether or not it is assigned again later
    /// (<see cref="IsReassigned"/> tells); null for a <c>ref</c> local, one without initializer, or one declared in another
    /// tree than <paramref name="reference"/>'s model. A caller that only cares about initializers of a certain form checks
    /// the form first, then <see cref="IsReassigned"/>, which walks the local's scope.
    /// </summary>
    public static IOperation? DeclaredValue(ILocalSymbol local, IOperation reference)
        => Declarator(local) is { Initializer.Value: { } initializer } declarator
           && reference.SemanticModel is { } model && declarator.SyntaxTree == model.SyntaxTree
            ? model.GetOperation(initializer)
            : null;

    /// <summary>
    /// True unless <paramref name="local"/> is declared with an initializer and no assignment, <c>++</c>/<c>--</c> or
    /// <c>ref</c>/<c>out</c> argument in its scope names it (by name: a conservative test).
    /// </summary>
    public static bool IsReassigned(ILocalSymbol local)
    {
        if (Declarator(local) is not { Initializer: not null } declarator)
        {
            return true;
        }

        var scope = declarator.Ancestors().FirstOrDefault(a => a is BlockSyntax or SwitchSectionSyntax or ArrowExpressionClauseSyntax) ?? declarator.Parent;
        return scope is not null && WrittenNamesByScope.GetValue(scope, CollectWrittenNames).Contains(local.Name);
    }

    private static VariableDeclaratorSyntax? Declarator(ILocalSymbol local)
        => !local.IsRef && local.DeclaringSyntaxReferences.Length == 1 ? local.DeclaringSyntaxReferences[0].GetSyntax() as VariableDeclaratorSyntax : null;

    private static HashSet<string> CollectWrittenNames(SyntaxNode scope)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in scope.DescendantNodes())
        {
            if (WrittenName(node) is { } name)
            {
                names.Add(name);
            }
        }

        return names;
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
