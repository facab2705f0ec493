using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using NoGil.Analyzers.Rules.Blocking;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// The NoGilAnalysisMode presets: the shipped global configs and the docs table are generated from the descriptors
/// (so a new rule cannot be forgotten), the package props wire every mode, and the configs do what the docs say.
/// </summary>
public sealed class PresetTests
{
    private const string UpdateVariable = "NOGIL_UPDATE_PRESETS";

    private const string BlockingInSyncAndAsyncCode = """
        using System.Threading.Tasks;
        class C
        {
            int Sync(Task<int> t) => {|#0:t.Result|};
            async Task<int> Async(Task<int> t) { await Task.Yield(); return {|#1:t.Result|}; }
        }
        """;

    public static TheoryData<string> ShippedModes => new(Presets.ShippedModes);

    [Theory]
    [MemberData(nameof(ShippedModes))]
    public void GlobalConfigIsGeneratedFromTheDescriptors(string mode)
    {
        var path = Presets.ConfigPath(mode);
        var expected = Presets.RenderGlobalConfig(mode);
        var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : null;
        if (actual != expected && ShouldUpdate())
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(actual == expected, $"{path} is stale; regenerate it with {UpdateVariable}=1 dotnet test --filter FullyQualifiedName~PresetTests\nExpected:\n{expected}");
    }

    [Fact]
    public void ConfigFolderHoldsExactlyTheShippedModes()
    {
        var files = Directory.GetFiles(Presets.ConfigDirectory).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal);
        var expected = Presets.ShippedModes.Select(m => $"nogil-{m}.globalconfig").OrderBy(f => f, StringComparer.Ordinal);
        Assert.Equal(expected, files);
    }

    [Fact]
    public void PackagePropsMapEveryModeToItsConfigAndRejectOthers()
    {
        var props = XDocument.Load(RepositoryFiles.GetPath("src/NoGil.Package/buildTransitive/NoGil.Analyzers.props"));
        var items = props.Descendants("GlobalAnalyzerConfigFiles").ToArray();
        foreach (var mode in Presets.ShippedModes)
        {
            Assert.Contains(items, item =>
                (string?)item.Attribute("Condition") == $"'$(NoGilAnalysisMode)' == '{mode}'"
                && (string?)item.Attribute("Include") == $"$(MSBuildThisFileDirectory)config/nogil-{mode}.globalconfig");
        }

        Assert.Equal(Presets.ShippedModes.Count, items.Length);

        var validation = props.Descendants("Target").Single(t => (string?)t.Attribute("Name") == "NoGilValidateAnalysisMode");
        var condition = (string)validation.Attribute("Condition")!;
        foreach (var mode in Presets.Modes)
        {
            Assert.Contains($"'$(NoGilAnalysisMode)' != '{mode}'", condition, StringComparison.Ordinal);
        }

        var build = File.ReadAllText(RepositoryFiles.GetPath("src/NoGil.Package/build/NoGil.Analyzers.props"));
        Assert.Contains("../buildTransitive/NoGil.Analyzers.props", build, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationDocTableIsGeneratedFromTheDescriptors()
    {
        const string begin = "<!-- presets:begin -->\n";
        const string end = "<!-- presets:end -->";
        var path = RepositoryFiles.GetPath("docs/configuration.md");
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        Assert.True(start >= 0 && stop > start, "docs/configuration.md must contain the preset table markers");

        var expected = Presets.RenderDocTable();
        var actual = text.Substring(start + begin.Length, stop - start - begin.Length);
        if (actual != expected && ShouldUpdate())
        {
            File.WriteAllText(path, text.Substring(0, start + begin.Length) + expected + text.Substring(stop));
            return;
        }

        Assert.True(actual == expected, $"docs/configuration.md preset table is stale; regenerate it with {UpdateVariable}=1\nExpected:\n{expected}");
    }

    [Theory]
    [InlineData(Presets.Default)]
    [InlineData(Presets.Recommended)]
    [InlineData(Presets.Strict)]
    [InlineData(Presets.None)]
    public async Task ShippedConfigGivesEachRuleItsPresetSeverity(string mode)
    {
        var test = new MultiAnalyzerTest { TestCode = BlockingInSyncAndAsyncCode };
        if (mode != Presets.Default)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/nogil.globalconfig", File.ReadAllText(Presets.ConfigPath(mode))));
        }

        foreach (var (id, location) in new[] { ("NOGIL203", 0), ("NOGIL201", 1) })
        {
            if (Presets.SeverityOf(mode, RuleCatalog.Get(id)) is { } severity)
            {
                test.ExpectedDiagnostics.Add(new DiagnosticResult(id, severity).WithLocation(location));
            }
        }

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EditorConfigWinsOverThePreset()
    {
        var test = new MultiAnalyzerTest { TestCode = BlockingInSyncAndAsyncCode };
        test.TestState.AnalyzerConfigFiles.Add(("/nogil.globalconfig", File.ReadAllText(Presets.ConfigPath(Presets.Strict))));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.NOGIL201.severity = none
            dotnet_diagnostic.NOGIL203.severity = error
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult("NOGIL203", DiagnosticSeverity.Error).WithLocation(0));
        await test.RunAsync(CancellationToken.None);
    }

    private static bool ShouldUpdate() => Environment.GetEnvironmentVariable(UpdateVariable) == "1";

    /// <summary>NOGIL201 and NOGIL203 together, so one source shows both severities.</summary>
    private sealed class MultiAnalyzerTest : CSharpAnalyzerTest<UseAwaitInsteadOfBlockingWaitAnalyzer, DefaultVerifier>
    {
        public MultiAnalyzerTest()
        {
            ReferenceAssemblies = TestReferences.Net80;
        }

        protected override System.Collections.Generic.IEnumerable<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer> GetDiagnosticAnalyzers()
            => new Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer[] { new UseAwaitInsteadOfBlockingWaitAnalyzer(), new MakeMethodAsyncAnalyzer() };
    }
}
