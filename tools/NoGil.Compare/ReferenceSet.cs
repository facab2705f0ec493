using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NoGil.Compare;

/// <summary>
/// Metadata references for one target: the .NET reference pack (8.0.0 or 10.0.12), the ASP.NET Core pack for the peer's
/// AspNetCore targets and EF Core inputs (it also carries Microsoft.Extensions.*), and NuGet packages from the local cache
/// (the csproj's PackageDownload items put them there). A package version missing from the cache is replaced by the
/// nearest cached one, and the substitution is noted.
/// </summary>
public sealed class ReferenceSet(string name, string netCoreVersion, string tfm, string packages)
{
    private readonly Dictionary<string, MetadataReference> _cache = new(StringComparer.OrdinalIgnoreCase);

    public string Name { get; } = name;

    public static string NuGetRoot => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                      ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    public static ReferenceSet Net8 { get; } = new("net8", "8.0.0", "net8.0", NuGetRoot);

    public static ReferenceSet Net10 { get; } = new("net10", "10.0.12", "net10.0", NuGetRoot);

    public List<MetadataReference> For(TestInput test, List<string> notes)
    {
        var references = new List<MetadataReference>();
        references.AddRange(Folder(Path.Combine(packages, "microsoft.netcore.app.ref", netCoreVersion, "ref", tfm), notes));
        var aspNet = test.TargetFramework.StartsWith("AspNetCore", StringComparison.Ordinal)
                     || test.Packages.Any(p => p.Name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.OrdinalIgnoreCase));
        if (aspNet)
        {
            references.AddRange(Folder(Path.Combine(packages, "microsoft.aspnetcore.app.ref", netCoreVersion, "ref", tfm), notes));
        }

        foreach (var (package, version, folder) in test.Packages)
        {
            references.AddRange(Package(package, version, folder, notes));
            if (package.Equals("Moq", StringComparison.OrdinalIgnoreCase))
            {
                references.AddRange(Package("Castle.Core", "5.2.1", "lib/net6.0/", notes));
            }

            if (package.StartsWith("xunit.extensibility", StringComparison.OrdinalIgnoreCase))
            {
                references.AddRange(Package("xunit.abstractions", "2.0.3", "lib/netstandard2.0/", notes));
            }
        }

        return references.Distinct().ToList();
    }

    private IEnumerable<MetadataReference> Package(string package, string version, string folder, List<string> notes)
    {
        var root = Path.Combine(packages, package.ToLowerInvariant());
        if (!Directory.Exists(root))
        {
            notes.Add($"package {package} not in the NuGet cache");
            return [];
        }

        var versionDir = Path.Combine(root, version);
        if (!Directory.Exists(versionDir))
        {
            var available = Directory.GetDirectories(root).Select(Path.GetFileName).OrderBy(v => v, StringComparer.Ordinal).ToList();
            var chosen = available.LastOrDefault(v => v!.Split('.')[0] == version.Split('.')[0]) ?? available.Last();
            notes.Add($"{package} {version} -> {chosen}");
            versionDir = Path.Combine(root, chosen!);
        }

        var dir = Path.Combine(versionDir, folder.Trim('/'));
        if (!Directory.Exists(dir) || Directory.GetFiles(dir, "*.dll").Length == 0)
        {
            var lib = Path.Combine(versionDir, "lib");
            string[] preference = ["net8.0", "net6.0", "netstandard2.1", "netstandard2.0", "netstandard1.1", "netstandard1.0"];
            var fallback = preference.Select(p => Path.Combine(lib, p)).FirstOrDefault(Directory.Exists);
            if (fallback is null)
            {
                notes.Add($"{package}: no usable lib folder");
                return [];
            }

            notes.Add($"{package}: {folder} -> lib/{Path.GetFileName(fallback)}/");
            dir = fallback;
        }

        return Folder(dir, notes);
    }

    private IEnumerable<MetadataReference> Folder(string dir, List<string> notes)
    {
        if (!Directory.Exists(dir))
        {
            notes.Add($"missing reference folder {dir}");
            yield break;
        }

        foreach (var file in Directory.GetFiles(dir, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            if (!_cache.TryGetValue(file, out var reference))
            {
                reference = MetadataReference.CreateFromFile(file);
                _cache[file] = reference;
            }

            yield return reference;
        }
    }
}
