using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// The dotted name of a namespace (<c>System.Collections.Generic</c>), computed once per namespace symbol: the purity
/// and cost checks ask it for every call and type they meet, and <c>ToDisplayString</c> builds a new string each time.
/// </summary>
public static class NamespaceName
{
    private static readonly ConditionalWeakTable<INamespaceSymbol, string> Names = new();

    /// <summary><paramref name="ns"/>.<c>ToDisplayString()</c>, cached; null for null.</summary>
    public static string? Of(INamespaceSymbol? ns) => ns is null ? null : Names.GetValue(ns, static n => n.ToDisplayString());

    /// <summary>The dotted name of the namespace that contains <paramref name="symbol"/>, or null.</summary>
    public static string? Of(ISymbol? symbol) => Of(symbol?.ContainingNamespace);
}
