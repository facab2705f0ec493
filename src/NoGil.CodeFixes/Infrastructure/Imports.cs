using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Using-directive helpers for fixes that introduce new type names.</summary>
internal static class Imports
{
    /// <summary>True when the simple name <paramref name="typeName"/> binds to <paramref name="metadataName"/> at <paramref name="position"/>.</summary>
    public static bool Binds(SemanticModel model, int position, string typeName, string metadataName)
    {
        var expected = model.Compilation.GetTypeByMetadataName(metadataName);
        if (expected is null)
        {
            return false;
        }

        return model.LookupNamespacesAndTypes(position, name: typeName)
            .Any(symbol => SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, expected));
    }

    /// <summary>Adds <c>using <paramref name="namespaceName"/>;</c> to the compilation unit unless it is already there.</summary>
    public static CompilationUnitSyntax AddUsing(CompilationUnitSyntax root, string namespaceName)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == namespaceName))
        {
            return root;
        }

        var newLine = root.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (newLine.IsKind(SyntaxKind.None))
        {
            newLine = CarriageReturnLineFeed;
        }

        var directive = UsingDirective(ParseName(namespaceName)).WithTrailingTrivia(newLine);
        var usings = root.Usings;
        var index = 0;
        while (index < usings.Count
               && usings[index].Alias is null
               && usings[index].StaticKeyword.IsKind(SyntaxKind.None)
               && string.CompareOrdinal(usings[index].Name?.ToString(), namespaceName) < 0)
        {
            index++;
        }

        if (usings.Count == 0)
        {
            // Keep the file's leading trivia (header comments) above the new directive.
            var first = root.GetLeadingTrivia();
            root = root.WithoutLeadingTrivia();
            directive = directive.WithLeadingTrivia(first).WithTrailingTrivia(newLine, newLine);
            return root.WithUsings(usings.Add(directive));
        }

        return root.WithUsings(usings.Insert(index, directive));
    }
}
