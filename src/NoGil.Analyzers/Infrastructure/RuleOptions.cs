using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NoGil.Analyzers.Infrastructure;

/// <summary>Reads rule options (<c>.editorconfig</c> / global config keys such as <c>NOGIL303.allow_float_reassociation</c>).</summary>
public static class RuleOptions
{
    /// <summary>
    /// The boolean option <paramref name="key"/> for <paramref name="tree"/>: <paramref name="defaultValue"/> unless the key
    /// (as written, or in lower case — editorconfig keys are case-insensitive) holds <c>true</c> or <c>false</c>, in any case
    /// and with surrounding spaces. Any other value keeps the default.
    /// </summary>
    public static bool GetBoolean(AnalyzerOptions options, SyntaxTree tree, string key, bool defaultValue)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        return (config.TryGetValue(key, out var value) || config.TryGetValue(key.ToLowerInvariant(), out value))
               && bool.TryParse(value?.Trim(), out var parsed)
            ? parsed
            : defaultValue;
    }
}
