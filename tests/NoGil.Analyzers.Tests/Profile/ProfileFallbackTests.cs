using System;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Analysis.Profile;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.Analyzers.Tests.Meta;
using Xunit;

namespace NoGil.Analyzers.Tests.Profile;

/// <summary>
/// A stale or malformed profile changes nothing but NOGIL002: every rule reports exactly what it reports without a
/// profile. And the package's props bring the profile to the analyzers.
/// </summary>
public sealed class ProfileFallbackTests
{
    private const string Source = """
        using System.Collections.Generic;
        using System.Security.Cryptography;
        using System.Threading.Tasks;

        public class Scenario
        {
            private readonly object _gate = new object();
            private readonly Dictionary<string, byte[]> _cache = new Dictionary<string, byte[]>();

            public void Put(string key, byte[] data)
            {
                lock (_gate)
                {
                    var h = SHA256.HashData(data);
                    _cache[key] = h;
                }
            }

            public async Task<int> LoadAsync(Task<int> pending)
            {
                await Task.Yield();
                return pending.Result;
            }

            public static void Run(double[] a, double[] b)
            {
                for (int i = 0; i < a.Length; i++)
                {
                    b[i] = System.Math.Sin(a[i]) * System.Math.Cos(a[i]) + System.Math.Exp(a[i]);
                }
            }

            public static int Sum(int[] values)
            {
                int sum = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    sum += values[i];
                }

                return sum;
            }
        }
        """;

    public static TheoryData<string, string> UnusableProfiles => new()
    {
        { "another assembly", ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Run(System.Double[],System.Double[])", 0.9, module: "Other") }, modules: new[] { "Other" }) },
        { "a missing method", ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Run(System.Double[],System.Double[])", 0.01), ProfileText.Method("M:Scenario.Gone", 0.5) }) },
        { "truncated", ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Run(System.Double[],System.Double[])", 0.01) }).Substring(0, 200) },
        { "a wrong type", "{ \"format\": \"nogil-profile\", \"version\": 1, \"modules\": [ { \"name\": \"TestProject\" } ], \"methods\": [ { \"module\": \"TestProject\", \"id\": 5 } ] }" },
        { "a newer version", "{ \"format\": \"nogil-profile\", \"version\": 7, \"modules\": [ { \"name\": \"TestProject\" } ] }" },
        { "empty", string.Empty },
        { "not JSON", "\u0000\u0001\uFFFD binary" },
    };

    [Theory]
    [MemberData(nameof(UnusableProfiles))]
    public async Task UnusableProfile_ReportsNOGIL002_AndEveryOtherDiagnosticAsWithoutAProfile(string what, string profile)
    {
        var without = await AnalyzeAsync(profile: null);
        var with = await AnalyzeAsync(profile);

        Assert.True(without.Length >= 4, what + ": the source must trigger the lock, blocking and kernel rules; found " + without.Length);
        Assert.DoesNotContain(without, d => d.Id == "NOGIL002");
        Assert.Single(with, d => d.Id == "NOGIL002");
        Assert.Equal(Describe(without), Describe(with.Where(d => d.Id != "NOGIL002").ToImmutableArray()));
    }

    [Fact]
    public async Task ValidProfile_ChangesTheKernelFindings_AndIsNotReported()
    {
        var profile = ProfileText.Of(methods: new[] { ProfileText.Method("M:Scenario.Run(System.Double[],System.Double[])", 0.3) });
        var with = await AnalyzeAsync(profile);
        Assert.DoesNotContain(with, d => d.Id == "NOGIL002");
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(with, d => d.Id == "NOGIL301").Severity);
        Assert.DoesNotContain(with, d => d.Id == "NOGIL303"); // 'Sum' is not in the profile
        Assert.Contains(with, d => d.Id == "NOGIL101");
        Assert.Contains(with, d => d.Id == "NOGIL201");
    }

    [Fact]
    public async Task FiftyThousandMissingMethods_AreCountedQuickly()
    {
        var profile = ProfileText.Of(methods: Enumerable.Range(0, 50_000).Select(i => ProfileText.Method("M:Scenario.Gone" + i.ToString(CultureInfo.InvariantCulture) + "(System.Int32)", 0.0001)));
        var stopwatch = Stopwatch.StartNew();
        var with = await AnalyzeAsync(profile);
        stopwatch.Stop();
        var stale = Assert.Single(with, d => d.Id == "NOGIL002");
        Assert.Contains("50,000 methods it names no longer exist in 'TestProject' (one is 'M:Scenario.Gone0(System.Int32)')", stale.GetMessage(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), "analyzed in " + stopwatch.Elapsed);
    }

    [Fact]
    public void PackageProps_AddTheProfileAsAnAdditionalFile_WhenItExists()
    {
        var props = XDocument.Load(RepositoryFiles.GetPath("src/NoGil.Package/buildTransitive/NoGil.Analyzers.props"));
        var property = props.Descendants("NoGilProfile").Single();
        Assert.Equal("'$(NoGilProfile)' == ''", (string?)property.Attribute("Condition"));
        Assert.Equal("$(MSBuildProjectDirectory)/" + ProfileDiscovery.FileName, property.Value);

        var item = props.Descendants("AdditionalFiles").Single();
        Assert.Equal("$(NoGilProfile)", (string?)item.Attribute("Include"));
        Assert.Contains("Exists('$(NoGilProfile)')", (string?)item.Attribute("Condition"), StringComparison.Ordinal);

        // The analyzers recognize the item by the property's value (build_property.NoGilProfile).
        Assert.Contains(props.Descendants("CompilerVisibleProperty"), p => (string?)p.Attribute("Include") == "NoGilProfile");
        Assert.Equal("build_property.NoGilProfile", ProfileDiscovery.PropertyKey);
    }

    private static string Describe(ImmutableArray<Diagnostic> diagnostics)
        => string.Join("\n", diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)
            .Select(d => d.Id + " " + d.Severity + " " + d.Location.GetLineSpan() + " " + d.GetMessage(CultureInfo.InvariantCulture)
                         + " {" + string.Join(",", d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value)) + "}"));

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string? profile)
    {
        var tree = CSharpSyntaxTree.ParseText(Source, path: "/src/Test0.cs");
        var compilation = CSharpCompilation.Create(ProfileText.Module, new[] { tree }, TestReferences.Runtime, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var additional = profile is null
            ? ImmutableArray<AdditionalText>.Empty
            : ImmutableArray.Create<AdditionalText>(new ProfileSeverityTests.InMemoryText("/src/nogil.profile.json", profile));
        var analyzers = RuleCatalog.Analyzers;
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additional),
            onAnalyzerException: (exception, analyzer, _) => throw new InvalidOperationException(analyzer + " threw", exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false));
        return await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
    }
}
