namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Types whose "I/O" never leaves memory, so their synchronous calls never wait: in-memory streams and the readers and
/// writers over strings, and the objects layered over them. NOGIL202 does not report their blocking calls, NOGIL205
/// their synchronous disposal.
/// </summary>
public static class InMemoryIo
{
    private const int MaxDepth = 4;

    /// <summary>True for <c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>, <c>StringReader</c>, <c>StringWriter</c> and types derived from them.</summary>
    public static bool IsInMemoryType(ITypeSymbol? type, KnownTypes types)
        => KnownTypes.InheritsFromOrEquals(type, types.MemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.UnmanagedMemoryStream)
           || KnownTypes.InheritsFromOrEquals(type, types.StringReader)
           || KnownTypes.InheritsFromOrEquals(type, types.StringWriter);

    /// <summary>
    /// An in-memory object, or one layered over one: <c>new StreamWriter(new MemoryStream())</c>,
    /// <c>new ZLibStream(ms, …)</c> where <c>ms</c> is a local initialized with a <c>MemoryStream</c> and never assigned
    /// again, and so on a few layers deep. Such objects read from and write into memory; their synchronous calls do not wait.
    /// </summary>
    public static bool IsOverMemory(IOperation? value, KnownTypes types) => IsOverMemory(value, types, depth: 0);

    private static bool IsOverMemory(IOperation? value, KnownTypes types, int depth)
    {
        value = value?.UnwrapAllConversions();
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        if (IsInMemoryType(value.Type, types))
        {
            return true;
        }

        return value switch
        {
            IObjectCreationOperation { Arguments.Length: > 0 } creation => IsOverMemory(creation.Arguments[0].Value, types, depth + 1),
            ILocalReferenceOperation { Local: var local } reference => InitialValue(local, reference) is { } initial && IsOverMemory(initial, types, depth + 1),
            _ => false,
        };
    }

    /// <summary>The initializer of a local that is never assigned after its declaration; null otherwise.</summary>
    private static IOperation? InitialValue(ILocalSymbol local, IOperation reference)
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
            var written = node switch
            {
                AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } => target,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax target } => target,
                PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target } => target,
                PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target } => target,
                _ => null,
            };
            if (written?.Identifier.ValueText == name)
            {
                return null;
            }
        }

        return model.GetOperation(initializer);
    }
}
