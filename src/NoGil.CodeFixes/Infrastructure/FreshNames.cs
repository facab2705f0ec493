namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Names for the variables a fix introduces.</summary>
internal static class FreshNames
{
    /// <summary>
    /// The first of <paramref name="name"/>, <c>name2</c>, <c>name3</c> … that is not in <paramref name="used"/> and is
    /// not a keyword; it is added to <paramref name="used"/>, so the next call picks another.
    /// </summary>
    public static string Next(HashSet<string> used, string name) => Next(used, name, firstSuffix: 2, isTaken: null);

    /// <summary>
    /// The first of <paramref name="name"/>, <c>name</c> + <paramref name="firstSuffix"/>, <c>name</c> + (<paramref name="firstSuffix"/> + 1) …
    /// that is not in <paramref name="used"/>, is not a keyword, and that <paramref name="isTaken"/> (e.g. a lookup of what
    /// the name binds to at the insertion point) does not reject; it is added to <paramref name="used"/>.
    /// </summary>
    public static string Next(HashSet<string> used, string name, int firstSuffix, Func<string, bool>? isTaken)
    {
        var candidate = name;
        for (var k = firstSuffix;
             !used.Add(candidate) || SyntaxFacts.GetKeywordKind(candidate) != SyntaxKind.None || isTaken?.Invoke(candidate) == true;
             k++)
        {
            candidate = name + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
