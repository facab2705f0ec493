using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>Values known from a declaration: a local assigned only where it is declared, a readonly field's initializer.</summary>
public static class SingleAssignment
{
    /// <summary>
    /// The names written in a member's body (<see cref="WrittenName"/> of each node in it), each with the positions of its
    /// writes, per outermost member: one walk of each member, not one of every block in it (nested blocks were walked again
    /// for each of their locals' scopes).
    /// </summary>
    private static readonly ConditionalWeakTable<SyntaxNode, Dictionary<string, List<int>>> WritesByMember = new();

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
        if (scope is null)
        {
            return false;
        }

        // A write of the name anywhere in the scope (by position in the member that holds it).
        var root = MemberOf(scope);
        if (!WritesByMember.GetValue(root, CollectWrites).TryGetValue(local.Name, out var positions))
        {
            return false;
        }

        var span = scope.Span;
        foreach (var position in positions)
        {
            if (span.Contains(position))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost member declaration (not a type) around <paramref name="scope"/>; the scope itself when there is none.</summary>
    private static SyntaxNode MemberOf(SyntaxNode scope)
    {
        SyntaxNode? member = null;
        for (var node = scope; node is not null; node = node.Parent)
        {
            if (node is MemberDeclarationSyntax and not BaseTypeDeclarationSyntax and not DelegateDeclarationSyntax
                and not BaseNamespaceDeclarationSyntax)
            {
                member = node;
            }
        }

        return member ?? scope;
    }

    private static VariableDeclaratorSyntax? Declarator(ILocalSymbol local)
        => !local.IsRef && local.DeclaringSyntaxReferences.Length == 1 ? local.DeclaringSyntaxReferences[0].GetSyntax() as VariableDeclaratorSyntax : null;

    private static Dictionary<string, List<int>> CollectWrites(SyntaxNode member)
    {
        var writes = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        foreach (var node in member.DescendantNodes())
        {
            if (WrittenName(node) is { } name)
            {
                if (!writes.TryGetValue(name, out var positions))
                {
                    writes[name] = positions = new List<int>(2);
                }

                positions.Add(node.SpanStart);
            }
        }

        return writes;
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
