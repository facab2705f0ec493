using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Profile;

/// <summary>
/// Which additional file of the project is its profile. The package's props add the file the MSBuild property
/// <c>NoGilProfile</c> names (by default <c>nogil.profile.json</c> beside the project) as an <c>AdditionalFiles</c> item
/// when it exists, and make the property visible to the analyzers: the additional file at that path is the profile.
/// Without the property (the package's props not imported), an additional file named <c>nogil.profile.json</c> is.
/// </summary>
internal static class ProfileDiscovery
{
    /// <summary>The file name recognized without the property.</summary>
    public const string FileName = "nogil.profile.json";

    /// <summary>The global analyzer-config key of the MSBuild property <c>NoGilProfile</c>.</summary>
    public const string PropertyKey = "build_property.NoGilProfile";

    private static readonly ConditionalWeakTable<AnalyzerOptions, StrongBox<AdditionalText?>> ByOptions = new();

    /// <summary>The profile among <paramref name="options"/>' additional files; null when there is none.</summary>
    public static AdditionalText? Find(AnalyzerOptions options)
        => ByOptions.GetValue(options, static o => new StrongBox<AdditionalText?>(Search(o))).Value;

    private static AdditionalText? Search(AnalyzerOptions options)
    {
        if (options.AdditionalFiles.IsDefaultOrEmpty)
        {
            return null;
        }

        var property = Property(options);
        if (!string.IsNullOrWhiteSpace(property))
        {
            // A relative NoGilProfile is relative to the project; the compiler's paths are full.
            var wanted = Normalize(property!);
            var relative = !(wanted.StartsWith("/", StringComparison.Ordinal) || (wanted.Length > 1 && wanted[1] == ':'));
            foreach (var file in options.AdditionalFiles)
            {
                if (file?.Path is not { } path)
                {
                    continue;
                }

                var normalized = Normalize(path);
                if (string.Equals(normalized, wanted, StringComparison.OrdinalIgnoreCase)
                    || (relative && normalized.EndsWith("/" + (wanted.StartsWith("./", StringComparison.Ordinal) ? wanted.Substring(2) : wanted), StringComparison.OrdinalIgnoreCase)))
                {
                    return file;
                }
            }
        }

        foreach (var file in options.AdditionalFiles)
        {
            if (file?.Path is { } path && string.Equals(NameOf(path), FileName, StringComparison.OrdinalIgnoreCase))
            {
                return file;
            }
        }

        return null;
    }

    /// <summary>The file name of a path written on any system (both separators).</summary>
    public static string NameOf(string path)
    {
        var slash = Math.Max(path.LastIndexOf('/'), path.LastIndexOf('\\'));
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    /// <summary>A path with one kind of separator and no doubled ones, for comparing an MSBuild path with the compiler's.</summary>
    private static string Normalize(string path)
    {
        var text = path.Trim().Replace('\\', '/');
        while (text.Contains("//"))
        {
            text = text.Replace("//", "/");
        }

        return text.Replace("/./", "/");
    }

    private static string? Property(AnalyzerOptions options)
#pragma warning disable RS0030 // A build property, not a rule option: no default, no parser, no documentation row (src/BannedSymbols.txt).
        => options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(PropertyKey, out var value)
           || options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(PropertyKey.ToLowerInvariant(), out value)
            ? value
            : null;
#pragma warning restore RS0030
}
