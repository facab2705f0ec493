using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace NoGil.Analyzers.Tests.Infrastructure;

/// <summary>
/// EF Core 8 (Microsoft.EntityFrameworkCore, .Relational and the Microsoft.Extensions assemblies they expose), restored
/// with the test project and copied to its output, for test sources with a <c>DbContext</c>:
/// <c>test.TestState.AdditionalReferences.AddRange(EntityFrameworkReferences.All)</c>. No download at test time.
/// </summary>
public static class EntityFrameworkReferences
{
    private static readonly string[] AssemblyNames =
    {
        "Microsoft.EntityFrameworkCore",
        "Microsoft.EntityFrameworkCore.Abstractions",
        "Microsoft.EntityFrameworkCore.Relational",
        "Microsoft.Extensions.Caching.Abstractions",
        "Microsoft.Extensions.Caching.Memory",
        "Microsoft.Extensions.Configuration.Abstractions",
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.Options",
        "Microsoft.Extensions.Primitives",
    };

    private static readonly System.Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        // Loading the type pins the assembly the test project restored (8.0.x); its siblings sit in the same folder.
        var folder = System.IO.Path.GetDirectoryName(typeof(Microsoft.EntityFrameworkCore.DbContext).Assembly.Location) ?? string.Empty;
        return AssemblyNames
            .Select(name => (MetadataReference)MetadataReference.CreateFromFile(System.IO.Path.Combine(folder, name + ".dll")))
            .Append(TestReferences.DependencyInjection) // restored for test sources only, not copied to the output
            .ToImmutableArray();
    });

    public static ImmutableArray<MetadataReference> All => References.Value;
}
