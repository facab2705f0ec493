namespace NoGil.Analyzers.Infrastructure;

/// <summary>The framework families whose API surfaces <see cref="TargetFrameworkName"/> orders.</summary>
public enum FrameworkFamily
{
    /// <summary><c>net20</c> … <c>net481</c>.</summary>
    NetFramework,

    /// <summary><c>netstandard1.0</c> … <c>netstandard2.1</c>.</summary>
    NetStandard,

    /// <summary><c>netcoreapp1.0</c> … <c>netcoreapp3.1</c>, <c>net5.0</c> and later (with or without a platform).</summary>
    NetCore,
}

/// <summary>
/// A target framework moniker as a project writes it (<c>net48</c>, <c>netstandard2.0</c>, <c>net8.0</c>,
/// <c>net8.0-windows</c>), parsed into family, version and platform, with the one relation the fixes need:
/// whether every framework API of one is also an API of the other (<see cref="IsIncludedIn"/>).
/// </summary>
public sealed class TargetFrameworkName : IEquatable<TargetFrameworkName>
{
    private TargetFrameworkName(string text, FrameworkFamily family, Version version, string platform)
    {
        Text = text;
        Family = family;
        Version = version;
        Platform = platform;
    }

    /// <summary>The moniker as the project wrote it, trimmed.</summary>
    public string Text { get; }

    public FrameworkFamily Family { get; }

    /// <summary>The framework version (two or three parts: 4.8, 4.6.2, 2.0, 8.0).</summary>
    public Version Version { get; }

    /// <summary>The platform suffix of a .NET 5+ moniker in lower case (<c>windows</c>, <c>android34.0</c>); empty when there is none.</summary>
    public string Platform { get; }

    /// <summary>Parses <paramref name="text"/>; null for an empty, malformed or unknown moniker (<c>uap10.0</c>, an alias).</summary>
    public static TargetFrameworkName? TryParse(string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        var lower = trimmed.ToLowerInvariant();
        if (lower.StartsWith("netstandard", StringComparison.Ordinal))
        {
            return TryVersion(lower.Substring("netstandard".Length), out var version) && version.Major is 1 or 2
                ? new TargetFrameworkName(trimmed, FrameworkFamily.NetStandard, version, string.Empty)
                : null;
        }

        if (lower.StartsWith("netcoreapp", StringComparison.Ordinal))
        {
            return TryVersion(lower.Substring("netcoreapp".Length), out var version) && version.Major is >= 1 and <= 3
                ? new TargetFrameworkName(trimmed, FrameworkFamily.NetCore, version, string.Empty)
                : null;
        }

        if (!lower.StartsWith("net", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = lower.Substring(3);
        var dash = rest.IndexOf('-');
        var platform = dash < 0 ? string.Empty : rest.Substring(dash + 1);
        var number = dash < 0 ? rest : rest.Substring(0, dash);
        if (number.Length is >= 2 and <= 3 && number.All(c => c is >= '0' and <= '9') && dash < 0)
        {
            // net48, net462, net20: one digit per version part.
            var framework = new Version(number[0] - '0', number[1] - '0', number.Length == 3 ? number[2] - '0' : 0);
            return framework.Major is >= 2 and <= 4 ? new TargetFrameworkName(trimmed, FrameworkFamily.NetFramework, framework, string.Empty) : null;
        }

        if (!number.Contains('.') || !TryVersion(number, out var net) || (dash >= 0 && (platform.Length == 0 || !platform.All(IsPlatformCharacter))))
        {
            return null;
        }

        return net.Major >= 5 ? new TargetFrameworkName(trimmed, FrameworkFamily.NetCore, net, platform)
            : net.Major is >= 2 and <= 4 && dash < 0 ? new TargetFrameworkName(trimmed, FrameworkFamily.NetFramework, net, string.Empty)
            : null;
    }

    /// <summary>
    /// True when every framework API of this target is also one of <paramref name="other"/>: a later version of the same
    /// family; .NET Standard within the .NET Framework and .NET (Core) versions that implement it; .NET Framework within
    /// .NET Core 3.0 and later (for the base-class-library APIs the fixes write); a platform-specific target only within
    /// the same platform.
    /// </summary>
    public bool IsIncludedIn(TargetFrameworkName other)
    {
        if (Platform.Length > 0 && !string.Equals(Platform, other.Platform, StringComparison.Ordinal))
        {
            return false;
        }

        return (Family, other.Family) switch
        {
            (FrameworkFamily.NetFramework, FrameworkFamily.NetFramework) or (FrameworkFamily.NetStandard, FrameworkFamily.NetStandard)
                or (FrameworkFamily.NetCore, FrameworkFamily.NetCore) => Version <= other.Version,
            (FrameworkFamily.NetStandard, FrameworkFamily.NetFramework) => StandardInFramework(Version) is { } lowest && lowest <= other.Version,
            (FrameworkFamily.NetStandard, FrameworkFamily.NetCore) => StandardInCore(Version) <= other.Version,
            (FrameworkFamily.NetFramework, FrameworkFamily.NetCore) => other.Version >= new Version(3, 0),
            _ => false,
        };
    }

    public bool Equals(TargetFrameworkName? other)
        => other is not null && Family == other.Family && Version == other.Version && Platform == other.Platform;

    public override bool Equals(object? obj) => Equals(obj as TargetFrameworkName);

    public override int GetHashCode() => ((int)Family * 397) ^ Version.GetHashCode() ^ Platform.GetHashCode();

    public override string ToString() => Text;

    /// <summary>The first .NET Framework version that implements .NET Standard <paramref name="standard"/>; null for 2.1, which none does.</summary>
    private static Version? StandardInFramework(Version standard)
        => standard.Major == 1 && standard.Minor <= 1 ? new Version(4, 5, 0)
            : standard.Major == 1 && standard.Minor == 2 ? new Version(4, 5, 1)
            : standard.Major == 1 && standard.Minor == 3 ? new Version(4, 6, 0)
            : standard.Major == 1 || standard.Minor == 0 ? new Version(4, 6, 1)
            : null;

    /// <summary>The first .NET Core version that implements .NET Standard <paramref name="standard"/>.</summary>
    private static Version StandardInCore(Version standard)
        => standard.Major == 1 ? new Version(1, 0) : standard.Minor == 0 ? new Version(2, 0) : new Version(3, 0);

    private static bool TryVersion(string text, out Version version)
    {
        version = new Version(0, 0);
        if (text.Length == 0 || !text.All(c => c is (>= '0' and <= '9') or '.') || text.Split('.').Any(part => part.Length == 0 || part.Length > 4))
        {
            return false;
        }

        var parts = text.Split('.').Select(int.Parse).ToArray();
        if (parts.Length > 3)
        {
            return false;
        }

        version = new Version(parts[0], parts.Length > 1 ? parts[1] : 0, parts.Length > 2 ? parts[2] : 0);
        return true;
    }

    private static bool IsPlatformCharacter(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.';
}
