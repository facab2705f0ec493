namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// A user's list of excluded methods from an .editorconfig value: comma-separated entries
/// <c>Namespace.Type.Method</c> (every overload), <c>Namespace.Type</c> or <c>Namespace.Type.*</c> (every method of the type),
/// or a documentation comment ID: <c>M:Namespace.Type.Method(System.Int32)</c> (that overload), <c>T:Namespace.Type</c>.
/// Entries compare case-insensitively; nested types are written with dots, generic types without type arguments.
/// </summary>
public sealed class MethodExclusionList
{
    public static readonly MethodExclusionList Empty = new(new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    private static readonly SymbolDisplayFormat TypeNameFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.None);

    private readonly HashSet<string> _entries;

    private MethodExclusionList(HashSet<string> entries) => _entries = entries;

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>This list and one more entry (a name or a documentation ID, as <see cref="Parse"/> takes them).</summary>
    public MethodExclusionList With(string entry)
        => new(new HashSet<string>(_entries, StringComparer.OrdinalIgnoreCase) { entry });

    public static MethodExclusionList Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Empty;
        }

        var entries = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in SplitEntries(value!))
        {
            var entry = raw.Trim();
            if (entry.StartsWith("global::", StringComparison.Ordinal))
            {
                entry = entry.Substring("global::".Length);
            }

            if (entry.EndsWith(".*", StringComparison.Ordinal))
            {
                entry = entry.Substring(0, entry.Length - 2);
            }

            if (entry.Length > 0)
            {
                entries.Add(entry);
            }
        }

        return new MethodExclusionList(entries);
    }

    /// <summary>The comma-separated entries of <paramref name="value"/>; commas inside parentheses belong to a documentation ID's parameters.</summary>
    private static IEnumerable<string> SplitEntries(string value)
    {
        var depth = 0;
        var start = 0;
        for (var k = 0; k < value.Length; k++)
        {
            switch (value[k])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth = Math.Max(0, depth - 1);
                    break;
                case ',' when depth == 0:
                    yield return value.Substring(start, k - start);
                    start = k + 1;
                    break;
            }
        }

        yield return value.Substring(start);
    }

    /// <summary>
    /// True when the method is excluded: by the type that declares it, a type whose method it overrides, or the
    /// receiver's static type; either as that type as a whole or as <c>Type.Method</c>.
    /// </summary>
    public bool Contains(IMethodSymbol method, ITypeSymbol? receiverType)
    {
        if (IsEmpty)
        {
            return false;
        }

        if (_entries.Contains(method.OriginalDefinition.GetDocumentationCommentId() ?? string.Empty))
        {
            return true;
        }

        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (Matches(current.ContainingType, method.Name))
            {
                return true;
            }
        }

        return receiverType is INamedTypeSymbol receiver && Matches(receiver, method.Name);
    }

    private bool Matches(INamedTypeSymbol? type, string methodName)
    {
        if (type is null)
        {
            return false;
        }

        var typeName = type.ToDisplayString(TypeNameFormat);
        return _entries.Contains(typeName) || _entries.Contains(typeName + "." + methodName)
               || _entries.Contains(type.OriginalDefinition.GetDocumentationCommentId() ?? string.Empty);
    }
}
