namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Can code written at a position name a type by its simple name (<c>Task</c>, <c>Vector&lt;T&gt;</c>,
/// <c>TensorPrimitives</c>)? The analyzers ask before they announce a fix, the fixers before they add a using directive.
/// These are the sanctioned callers of <c>GetTypeByMetadataName</c> besides <c>KnownTypes</c> (src/BannedSymbols.txt):
/// the types they look up are the fixes' own, not the rules' well-known types.
/// </summary>
public static class TypeNames
{
    /// <summary>True when the simple name <paramref name="typeName"/> binds to <paramref name="metadataName"/> at <paramref name="position"/>.</summary>
    public static bool Binds(SemanticModel model, int position, string typeName, string metadataName)
        => Resolve(model, metadataName) is { } expected
           && model.LookupNamespacesAndTypes(position, name: typeName).Any(symbol => Is(symbol, expected));

    /// <summary>
    /// True when <paramref name="name"/> already means something other than the expected types at <paramref name="position"/>
    /// — a type of the user's, a using alias — so that code written with the simple name would not bind to them.
    /// </summary>
    public static bool ConflictsWithName(SemanticModel model, int position, string name, params string[] metadataNames)
    {
        var expected = metadataNames.Select(metadataName => Resolve(model, metadataName)).Where(t => t is not null).ToList();
        return model.LookupNamespacesAndTypes(position, name: name)
            .Any(symbol => !expected.Any(e => Is(symbol, e!)));
    }

    /// <summary>True when <c>Vector&lt;T&gt;</c>/<c>Vector</c> cannot be written by their simple names at <paramref name="position"/>.</summary>
    public static bool VectorConflicts(SemanticModel model, int position)
        => ConflictsInDeclaration(model, position, "Vector", VectorNames);

    /// <summary>True when <c>TensorPrimitives</c> cannot be written by its simple name at <paramref name="position"/>.</summary>
    public static bool TensorPrimitivesConflicts(SemanticModel model, int position)
        => ConflictsInDeclaration(model, position, "TensorPrimitives", TensorPrimitivesNames);

    private static readonly string[] VectorNames = { "System.Numerics.Vector`1", "System.Numerics.Vector" };

    private static readonly string[] TensorPrimitivesNames = { "System.Numerics.Tensors.TensorPrimitives" };

    private static readonly CompilationMemo<(SyntaxNode Declaration, string Name), bool> Conflicts = new();

    /// <summary>
    /// <see cref="ConflictsWithName"/>, answered once per type declaration and name: inside the members of one type
    /// declaration, what a simple name binds to as a namespace or type differs only where a method or local function
    /// declares a type parameter of that name (locals, parameters and members are not namespaces or types; the usings,
    /// the namespaces and the types around are the declaration's). Such a position, or one outside a type member, is
    /// looked up on its own.
    /// </summary>
    private static bool ConflictsInDeclaration(SemanticModel model, int position, string name, string[] metadataNames)
    {
        if (DeclarationAround(model, position, name) is not { } declaration)
        {
            return ConflictsWithName(model, position, name, metadataNames);
        }

        var memo = Conflicts.For(model.Compilation);
        if (memo.TryGetValue((declaration, name), out var known))
        {
            return known;
        }

        var conflicts = ConflictsWithName(model, position, name, metadataNames);
        return memo.GetOrAdd((declaration, name), conflicts);
    }

    /// <summary>
    /// The innermost type declaration whose member body holds <paramref name="position"/>, when no method or local function
    /// between them declares a type parameter named <paramref name="name"/>; else null.
    /// </summary>
    private static TypeDeclarationSyntax? DeclarationAround(SemanticModel model, int position, string name)
    {
        var root = model.SyntaxTree.GetRoot();
        if (position < 0 || position >= root.FullSpan.End)
        {
            return null;
        }

        var inBody = false;
        for (var node = root.FindToken(position).Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case BlockSyntax or ArrowExpressionClauseSyntax:
                    inBody = true;
                    break;
                case LocalFunctionStatementSyntax local when DeclaresTypeParameter(local.TypeParameterList, name):
                    return null;
                case MethodDeclarationSyntax method when DeclaresTypeParameter(method.TypeParameterList, name):
                    return null;
                case TypeDeclarationSyntax type:
                    return inBody ? type : null;
                case BaseNamespaceDeclarationSyntax or CompilationUnitSyntax or DelegateDeclarationSyntax or EnumDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool DeclaresTypeParameter(TypeParameterListSyntax? list, string name)
    {
        if (list is null)
        {
            return false;
        }

        foreach (var parameter in list.Parameters)
        {
            if (parameter.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when code at <paramref name="position"/> can name <paramref name="metadataName"/> as <paramref name="name"/>:
    /// the name binds to it there, or to nothing (a using directive then brings it in).
    /// </summary>
    public static bool CanWriteByName(SemanticModel model, int position, string name, string metadataName)
    {
        var found = model.LookupNamespacesAndTypes(position, name: name);
        return found.IsEmpty || (Resolve(model, metadataName) is { } expected && found.Any(symbol => Is(symbol, expected)));
    }

    private static bool Is(ISymbol symbol, INamedTypeSymbol expected) => SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, expected);

#pragma warning disable RS0030 // A sanctioned caller (src/BannedSymbols.txt): the types a fix writes by name.
    private static INamedTypeSymbol? Resolve(SemanticModel model, string metadataName) => model.Compilation.GetTypeByMetadataName(metadataName);
#pragma warning restore RS0030
}
