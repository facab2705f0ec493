namespace NoGil.CodeFixes.Infrastructure;

/// <summary>
/// What a Fix All's equivalence key asks for (<see cref="NoGilCodeFixProvider"/>): every diagnostic's own preferred fix
/// (the rule-wide key, or no key at all, as <c>dotnet format</c> passes when the first diagnostic it meets has no fix),
/// or one fix kind wherever it is announced. Diagnostics whose fixes are interactive only are never selected.
/// </summary>
internal sealed class FixAllKey
{
    private readonly string? _id;
    private readonly ImmutableArray<string> _ids;

    private FixAllKey(string? id, FixKind? kind, ImmutableArray<string> ids)
    {
        _id = id;
        Kind = kind;
        _ids = ids;
    }

    /// <summary>The one kind asked for; null for each diagnostic's preferred fix.</summary>
    public FixKind? Kind { get; }

    /// <summary>The key of a Fix All over <paramref name="fixableIds"/>; null when it names none of this fixer's fixes.</summary>
    public static FixAllKey? Parse(string? equivalenceKey, ImmutableArray<string> fixableIds)
    {
        if (equivalenceKey is null)
        {
            return new FixAllKey(null, null, fixableIds);
        }

        foreach (var id in fixableIds)
        {
            if (equivalenceKey == NoGilCodeFixProvider.RuleKey(id))
            {
                return new FixAllKey(id, null, fixableIds);
            }

            var prefix = id + ".";
            if (equivalenceKey.StartsWith(prefix, StringComparison.Ordinal)
                && Enum.TryParse<FixKind>(equivalenceKey.Substring(prefix.Length), out var kind)
                && Enum.IsDefined(typeof(FixKind), kind))
            {
                return new FixAllKey(id, kind, fixableIds);
            }
        }

        return null;
    }

    /// <summary>Whether Fix All fixes <paramref name="diagnostic"/>: one of the key's rules, bulk-applicable, announcing what the key asks for.</summary>
    public bool Selects(Diagnostic diagnostic)
        => (_id is null ? _ids.Contains(diagnostic.Id) : diagnostic.Id == _id)
           && DiagnosticProperties.AppliesInBulk(diagnostic)
           && KindFor(diagnostic) is not null;

    /// <summary>The fix to render for <paramref name="diagnostic"/>: the key's kind when it announces it, else its preferred fix (rule-wide keys only).</summary>
    public FixKind? KindFor(Diagnostic diagnostic)
        => Kind is { } kind
            ? (DiagnosticProperties.Announces(diagnostic, kind) ? kind : null)
            : DiagnosticProperties.GetPreferredFix(diagnostic);
}
