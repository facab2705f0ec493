namespace NoGil.Analyzers.Infrastructure;

/// <summary>An option read from <c>.editorconfig</c> or a global config: its key, and nothing else about its type.</summary>
public interface IRuleOption
{
    /// <summary>The key, <c>NOGILxxx.snake_case</c> or <c>nogil.snake_case</c>.</summary>
    string Key { get; }
}

/// <summary>
/// One typed rule option: key, default and parser. Every rule reads its options through one of these, declared as a
/// <c>public static readonly</c> field of the analyzer, so the options meta-test finds them by reflection.
/// A value that does not parse keeps the default; keys are looked up as written and in lower case (editorconfig
/// keys are case-insensitive).
/// </summary>
public sealed class RuleOption<T> : IRuleOption
{
    private readonly Func<string, (bool Ok, T Value)> _parse;

    public RuleOption(string key, T defaultValue, Func<string, (bool Ok, T Value)> parse)
    {
        Key = key;
        Default = defaultValue;
        _parse = parse;
    }

    public string Key { get; }

    public T Default { get; }

    /// <summary>The option's value for <paramref name="tree"/>, or the default.</summary>
    public T Get(AnalyzerOptions options, SyntaxTree tree)
    {
        var config = options.AnalyzerConfigOptionsProvider.GetOptions(tree);
#pragma warning disable RS0030 // The one place options are read (src/BannedSymbols.txt).
        if (!config.TryGetValue(Key, out var text) && !config.TryGetValue(Key.ToLowerInvariant(), out text))
#pragma warning restore RS0030
        {
            return Default;
        }

        var (ok, value) = _parse(text ?? string.Empty);
        return ok ? value : Default;
    }
}

/// <summary>Factories for the option types the rules use.</summary>
public static class RuleOption
{
    /// <summary><c>true</c> or <c>false</c>, in any case, with surrounding spaces.</summary>
    public static RuleOption<bool> Boolean(string key, bool defaultValue)
        => new(key, defaultValue, static text => (bool.TryParse(text.Trim(), out var value), value));

    /// <summary>Free text, trimmed; empty when not set. The rule validates it (a value it cannot use leaves the rule as by default).</summary>
    public static RuleOption<string> Text(string key)
        => new(key, string.Empty, static text => (true, text.Trim()));

    /// <summary>A comma-separated list of methods and types (<see cref="MethodExclusionList"/>).</summary>
    public static RuleOption<MethodExclusionList> MethodList(string key)
        => new(key, MethodExclusionList.Empty, static text => (true, MethodExclusionList.Parse(text)));
}
