namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Using-directive helpers for fixes that introduce new type names.</summary>
internal static class Imports
{
    /// <summary>
    /// Adds <c>using <paramref name="namespaceName"/>;</c> to the compilation unit unless it is already there: among the
    /// file's usings in ordinal order (after global usings), with the document's line ending, the file header kept on
    /// top, and a blank line after the directive when it starts a new using block.
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
        var index = 0;
        while (index < usings.Count
               && (usings[index].GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)
                   || (usings[index].Alias is null && usings[index].StaticKeyword.IsKind(SyntaxKind.None)
                       && string.CompareOrdinal(usings[index].Name?.ToString(), namespaceName) < 0)))
        {
            index++;
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
}
