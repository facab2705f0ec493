using System.Collections.Generic;
using Microsoft.CodeAnalysis.CSharp;

namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Names for the variables a fix introduces.</summary>
internal static class FreshNames
{
    /// <summary>
    /// The first of <paramref name="name"/>, <c>name2</c>, <c>name3</c> … that is not in <paramref name="used"/> and is
    /// not a keyword; it is added to <paramref name="used"/>, so the next call picks another.
    /// </summary>
    public static string Next(HashSet<string> used, string name)
    {
        var candidate = name;
        for (var k = 2; !used.Add(candidate) || SyntaxFacts.GetKeywordKind(candidate) != SyntaxKind.None; k++)
        {
            candidate = name + k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
