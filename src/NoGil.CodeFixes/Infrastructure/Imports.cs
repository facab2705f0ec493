namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Using-directive helpers for fixes that introduce new type names.</summary>
internal static class Imports
{
    /// <summary>
    /// Adds <c>using <paramref name="namespaceName"/>;</c> to the compilation unit unless it is already there, placed the way
    /// the file orders its usings (<see cref="InsertionIndex"/>), with the document's line ending, the file header kept on
    /// top, a group's blank line kept in front of the group, and a blank line after the directive when it starts a new
    /// using block.
    /// </summary>
    public static SyntaxNode AddUsing(SyntaxNode root, string namespaceName)
    {
        if (root is not CompilationUnitSyntax unit
            || unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName))
        {
            return root;
        }

        var endOfLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!endOfLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            endOfLine = EndOfLine("\n");
        }

        var directive = UsingDirective(ParseName(namespaceName))
            .WithUsingKeyword(Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(Space))
            .WithSemicolonToken(Token(SyntaxKind.SemicolonToken).WithTrailingTrivia(endOfLine));

        var usings = unit.Usings;
        var index = InsertionIndex(usings, namespaceName);
        if (index > 0 && index < usings.Count && StartsGroup(usings[index]) && SameGroup(usings[index], namespaceName) && !SameGroup(usings[index - 1], namespaceName))
        {
            // The directive opens the group that follows (the file separates groups with a blank line): it takes the
            // group's blank line, and the old first directive of the group follows it directly.
            directive = directive.WithLeadingTrivia(usings[index].GetLeadingTrivia());
            usings = usings.Replace(usings[index], usings[index].WithLeadingTrivia());
        }
        else if (index > 0 && index == usings.Count && IsPlain(usings[index - 1]) && !SameGroup(usings[index - 1], namespaceName) && FileSeparatesGroups(usings))
        {
            // A new group at the end of a file that separates its groups with blank lines.
            directive = directive.WithLeadingTrivia(endOfLine);
        }

        if (index == 0 && usings.Count > 0)
        {
            // The first directive carries the file header: keep it first.
            directive = directive.WithLeadingTrivia(usings[0].GetLeadingTrivia());
            usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia());
        }
        else if (usings.Count == 0 && unit.Externs.Count == 0)
        {
            // The file header stays first; a blank line separates the new directive from the code.
            var header = unit.GetLeadingTrivia();
            return unit.WithLeadingTrivia(endOfLine).WithUsings(SingletonList(directive.WithLeadingTrivia(header)));
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    /// <summary>
    /// Where the new directive goes among the file's plain usings (after global, alias and static ones keep their place):
    /// where it keeps them sorted when they are — System namespaces first if the file puts them first
    /// (<c>dotnet_sort_system_directives_first</c>), else alphabetically, as the IDE sorts (case-insensitive, then ordinal);
    /// after the last plain using when the file follows no order; after global usings when there is no plain one.
    /// </summary>
    internal static int InsertionIndex(SyntaxList<UsingDirectiveSyntax> usings, string namespaceName)
    {
        var plain = Enumerable.Range(0, usings.Count).Where(i => IsPlain(usings[i])).ToList();
        if (plain.Count == 0)
        {
            var afterGlobal = 0;
            while (afterGlobal < usings.Count && usings[afterGlobal].GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
            {
                afterGlobal++;
            }

            return afterGlobal;
        }

        var names = plain.Select(i => usings[i].Name!.ToString()).ToList();
        foreach (var systemFirst in new[] { true, false })
        {
            if (IsSorted(names, systemFirst))
            {
                var position = 0;
                while (position < names.Count && Compare(names[position], namespaceName, systemFirst) < 0)
                {
                    position++;
                }

                return position < plain.Count ? plain[position] : plain[plain.Count - 1] + 1;
            }
        }

        return plain[plain.Count - 1] + 1;
    }

    private static bool IsPlain(UsingDirectiveSyntax directive)
        => directive.Alias is null && directive.StaticKeyword.IsKind(SyntaxKind.None) && !directive.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword) && directive.Name is not null;

    private static bool IsSorted(List<string> names, bool systemFirst)
    {
        for (var i = 1; i < names.Count; i++)
        {
            if (Compare(names[i - 1], names[i], systemFirst) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int Compare(string a, string b, bool systemFirst)
    {
        if (systemFirst && IsSystem(a) != IsSystem(b))
        {
            return IsSystem(a) ? -1 : 1;
        }

        var ignoringCase = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return ignoringCase != 0 ? ignoringCase : string.CompareOrdinal(a, b);
    }

    private static bool IsSystem(string name) => name == "System" || name.StartsWith("System.", StringComparison.Ordinal);

    /// <summary>The first segment of the namespace: <c>System</c>, <c>Microsoft</c> … (what the IDE groups by).</summary>
    private static string GroupOf(string name) => name.IndexOf('.') is var dot and > 0 ? name.Substring(0, dot) : name;

    private static bool SameGroup(UsingDirectiveSyntax directive, string namespaceName)
        => directive.Name is { } name && GroupOf(name.ToString()) == GroupOf(namespaceName);

    /// <summary>Whether a blank line precedes the directive (it opens a group).</summary>
    private static bool StartsGroup(UsingDirectiveSyntax directive)
        => directive.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

    private static bool FileSeparatesGroups(SyntaxList<UsingDirectiveSyntax> usings)
        => usings.Skip(1).Any(u => IsPlain(u) && StartsGroup(u));
}
