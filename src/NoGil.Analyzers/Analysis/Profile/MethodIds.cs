using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>
/// Documentation comment IDs as the profile names methods (<c>ISymbol.GetDocumentationCommentId()</c> of the source
/// symbol), and the IDs a compilation declares.
/// </summary>
internal static class MethodIds
{
    private static readonly ConditionalWeakTable<Compilation, DeclaredMethods> ByCompilation = new();

    /// <summary>
    /// The ID without its parameter list and without the method's generic arity (<c>M:Ns.Type.Run</c> for
    /// <c>M:Ns.Type.Run``1(``0)</c>): the key of an entry the tool wrote without knowing the overload.
    /// </summary>
    public static string NameKey(string id)
    {
        var paren = id.IndexOf('(');
        var name = paren < 0 ? id : id.Substring(0, paren);
        var arity = name.LastIndexOf("``", StringComparison.Ordinal);
        if (arity > 0 && arity > name.LastIndexOf('.') && arity + 2 < name.Length && name.Skip(arity + 2).All(c => c is >= '0' and <= '9'))
        {
            name = name.Substring(0, arity);
        }

        return name;
    }

    /// <summary>
    /// Does the profile's method ID <paramref name="entry"/> name the member whose ID is <paramref name="id"/>: the same
    /// ID, or — for an entry without a parameter list — the same name?
    /// </summary>
    public static bool Matches(string entry, string id)
        => string.Equals(entry, id, StringComparison.Ordinal)
           || (entry.IndexOf('(') < 0 && string.Equals(NameKey(entry), NameKey(id), StringComparison.Ordinal));

    /// <summary>
    /// The member whose ID the profile uses for code at <paramref name="symbol"/>: lambdas and local functions count
    /// toward the member that declares them.
    /// </summary>
    public static ISymbol? DeclaringMember(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    /// <summary>The method IDs <paramref name="compilation"/> declares in source (methods, constructors, accessors, operators), and their name keys.</summary>
    public static DeclaredMethods Declared(Compilation compilation, CancellationToken cancellationToken)
    {
        if (ByCompilation.TryGetValue(compilation, out var known))
        {
            return known;
        }

        var declared = new DeclaredMethods();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in pending.Pop().GetMembers())
            {
                switch (member)
                {
                    case INamespaceOrTypeSymbol container:
                        pending.Push(container);
                        break;
                    case IMethodSymbol method when method.GetDocumentationCommentId() is { } id:
                        declared.Exact.Add(id);
                        declared.Names.Add(NameKey(id));
                        break;
                }
            }
        }

        return ByCompilation.GetValue(compilation, _ => declared);
    }
}

/// <summary>The method IDs a compilation declares (<see cref="MethodIds.Declared"/>).</summary>
internal sealed class DeclaredMethods
{
    public HashSet<string> Exact { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
