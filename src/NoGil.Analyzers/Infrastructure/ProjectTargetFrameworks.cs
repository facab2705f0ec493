using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Infrastructure;

/// <summary>
/// The target frameworks of the project being compiled, read once per set of analyzer options from the MSBuild
/// properties the package makes visible to the compiler (<c>build/NoGil.Analyzers.props</c>): <c>TargetFramework</c>,
/// the framework of this compilation, and <c>NoGilTargetFrameworks</c>, the project's <c>TargetFrameworks</c> with commas
/// for semicolons — the analyzer-config parser reads a <c>;</c> as the start of a comment, so
/// <c>build_property.TargetFrameworks = net8.0;net48</c> arrives as <c>net8.0</c>. <c>build_property.TargetFrameworks</c>
/// is read when <c>NoGilTargetFrameworks</c> is absent, with either separator.
/// </summary>
public sealed class ProjectTargetFrameworks
{
    /// <summary>The global analyzer-config key of this compilation's target framework.</summary>
    public const string TargetFrameworkKey = "build_property.TargetFramework";

    /// <summary>The global analyzer-config key of the project's target frameworks, comma-separated, written by the package.</summary>
    public const string NoGilTargetFrameworksKey = "build_property.NoGilTargetFrameworks";

    /// <summary>The global analyzer-config key of MSBuild's <c>TargetFrameworks</c>, read when the package's own key is absent.</summary>
    public const string TargetFrameworksKey = "build_property.TargetFrameworks";

    private static readonly ConditionalWeakTable<AnalyzerConfigOptionsProvider, ProjectTargetFrameworks> ByProvider = new();

    private static readonly ProjectTargetFrameworks SingleTarget = new(string.Empty, ImmutableArray<string>.Empty);

    private ProjectTargetFrameworks(string current, ImmutableArray<string> all)
    {
        Current = current;
        All = all;
        if (all.Length < 2)
        {
            return;
        }

        var parsed = new List<TargetFrameworkName>();
        foreach (var text in all)
        {
            if (TargetFrameworkName.TryParse(text) is not { } name)
            {
                Unknown = text;
                return;
            }

            if (!parsed.Contains(name))
            {
                parsed.Add(name);
            }
        }

        if (TargetFrameworkName.TryParse(current) is not { } currentName || !parsed.Contains(currentName))
        {
            // An alias, or a framework the list does not name: nothing is known about this compilation's place in the list.
            Unknown = current.Length == 0 ? "(none)" : current;
            return;
        }

        Lowest = parsed.FirstOrDefault(candidate => parsed.All(other => candidate.IsIncludedIn(other)));
        IsCurrentLowest = currentName.Equals(Lowest);
    }

    /// <summary>This compilation's target framework as the project writes it; empty when unknown.</summary>
    public string Current { get; }

    /// <summary>Every target framework of the project, trimmed, in the project's order, without repeats (case-insensitive); empty when the project has one.</summary>
    public ImmutableArray<string> All { get; }

    /// <summary>True when the project builds for more than one target framework.</summary>
    public bool IsMultiTarget => All.Length > 1;

    /// <summary>
    /// In a multi-target project, the target framework whose API surface every other one includes; null when no target
    /// framework is included in all the others, or when one is unknown (<see cref="Unknown"/>).
    /// </summary>
    public TargetFrameworkName? Lowest { get; }

    /// <summary>In a multi-target project, a target framework (or this compilation's) whose API surface is not known; else null.</summary>
    public string? Unknown { get; }

    /// <summary>True when this compilation is the one of <see cref="Lowest"/>.</summary>
    public bool IsCurrentLowest { get; }

    /// <summary>The target frameworks of the project <paramref name="options"/> belong to; a single-target reading when the properties are absent or empty.</summary>
    public static ProjectTargetFrameworks Read(AnalyzerOptions options)
        => ByProvider.GetValue(options.AnalyzerConfigOptionsProvider, static provider => Read(provider.GlobalOptions));

    /// <summary>Reads the properties from <paramref name="global"/>; robust to empty, blank and malformed values.</summary>
    public static ProjectTargetFrameworks Read(AnalyzerConfigOptions global)
    {
        var list = Get(global, NoGilTargetFrameworksKey);
        if (string.IsNullOrWhiteSpace(list))
        {
            list = Get(global, TargetFrameworksKey);
        }

        var all = Split(list);
        return all.Length > 1 ? new ProjectTargetFrameworks(Get(global, TargetFrameworkKey)?.Trim() ?? string.Empty, all) : SingleTarget;
    }

    /// <summary>The entries of a <c>;</c>- or <c>,</c>-separated list, trimmed, without empty entries or repeats.</summary>
    public static ImmutableArray<string> Split(string? list)
    {
        var builder = ImmutableArray.CreateBuilder<string>();
        foreach (var entry in (list ?? string.Empty).Split(';', ','))
        {
            var trimmed = entry.Trim();
            if (trimmed.Length > 0 && !builder.Any(e => string.Equals(e, trimmed, StringComparison.OrdinalIgnoreCase)))
            {
                builder.Add(trimmed);
            }
        }

        return builder.ToImmutable();
    }

    private static string? Get(AnalyzerConfigOptions options, string key)
#pragma warning disable RS0030 // Build properties are not rule options: no default, no parser, no documentation row (src/BannedSymbols.txt).
        => options.TryGetValue(key, out var value) || options.TryGetValue(key.ToLowerInvariant(), out value) ? value : null;
#pragma warning restore RS0030
}
