using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// The target-framework reading behind <see cref="TargetFrameworkFixes"/>: monikers, the order of their API surfaces,
/// the build properties, and the shape every analyzer relies on (docs/fix-safety.md, "Target frameworks").
/// </summary>
public sealed class TargetFrameworkTests
{
    [Theory]
    [InlineData("net48", FrameworkFamily.NetFramework, "4.8.0", "")]
    [InlineData("net462", FrameworkFamily.NetFramework, "4.6.2", "")]
    [InlineData("net481", FrameworkFamily.NetFramework, "4.8.1", "")]
    [InlineData("net4.8", FrameworkFamily.NetFramework, "4.8.0", "")]
    [InlineData("netstandard2.0", FrameworkFamily.NetStandard, "2.0.0", "")]
    [InlineData("netstandard1.3", FrameworkFamily.NetStandard, "1.3.0", "")]
    [InlineData("netcoreapp3.1", FrameworkFamily.NetCore, "3.1.0", "")]
    [InlineData("net5.0", FrameworkFamily.NetCore, "5.0.0", "")]
    [InlineData("net10.0", FrameworkFamily.NetCore, "10.0.0", "")]
    [InlineData(" NET8.0 ", FrameworkFamily.NetCore, "8.0.0", "")]
    [InlineData("net8.0-windows", FrameworkFamily.NetCore, "8.0.0", "windows")]
    [InlineData("net8.0-windows10.0.19041.0", FrameworkFamily.NetCore, "8.0.0", "windows10.0.19041.0")]
    public void Parses(string text, FrameworkFamily family, string version, string platform)
    {
        var name = TargetFrameworkName.TryParse(text);
        Assert.NotNull(name);
        Assert.Equal(family, name!.Family);
        Assert.Equal(Version.Parse(version), name.Version);
        Assert.Equal(platform, name.Platform);
        Assert.Equal(text.Trim(), name.Text);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("net")]
    [InlineData("net8")]
    [InlineData("net50")]
    [InlineData("net4x")]
    [InlineData("net8.0-")]
    [InlineData("net8.0-win dows")]
    [InlineData("net8.0.0.0")]
    [InlineData("net8..0")]
    [InlineData("net99999.0")]
    [InlineData("netstandard3.0")]
    [InlineData("netcoreapp5.0")]
    [InlineData("uap10.0")]
    [InlineData("monoandroid13.0")]
    [InlineData("net48-windows")]
    [InlineData("MyAlias")]
    public void DoesNotParse(string? text) => Assert.Null(TargetFrameworkName.TryParse(text));

    [Theory]
    [InlineData("net8.0,net48", "net48")]
    [InlineData("net10.0,netstandard2.0", "netstandard2.0")]
    [InlineData("net6.0,net8.0", "net6.0")]
    [InlineData("net8.0;net6.0;net48;netstandard2.0", "netstandard2.0")]
    [InlineData("netstandard2.1,net8.0", "netstandard2.1")]
    [InlineData("netcoreapp3.1,net48", "net48")]
    [InlineData("net462,net48,net8.0", "net462")]
    [InlineData("net8.0-windows,net8.0", "net8.0")]
    [InlineData("net8.0-windows,net10.0-windows", "net8.0-windows")]
    [InlineData("netstandard1.3,net461", "netstandard1.3")]
    [InlineData("netstandard2.0,net8.0,net8.0", "netstandard2.0")]
    [InlineData("net48,netstandard2.1", null)]
    [InlineData("net48,netcoreapp2.1", null)]
    [InlineData("netstandard2.0,net452", null)]
    [InlineData("net8.0-windows,net10.0", null)]
    [InlineData("net8.0-windows,net8.0-android", null)]
    public void LowestTargetFramework(string frameworks, string? lowest)
    {
        var all = ProjectTargetFrameworks.Split(frameworks);
        foreach (var current in all)
        {
            var read = ProjectTargetFrameworks.Read(new Options(("build_property.NoGilTargetFrameworks", frameworks), ("build_property.TargetFramework", current)));
            Assert.True(read.IsMultiTarget);
            Assert.Null(read.Unknown);
            Assert.Equal(lowest, read.Lowest?.Text);
            Assert.Equal(lowest is not null && string.Equals(current, lowest, StringComparison.OrdinalIgnoreCase), read.IsCurrentLowest);
        }
    }

    [Theory]
    [InlineData("net8.0,uap10.0", "net8.0", "uap10.0")]
    [InlineData("net8.0,net48", "", "(none)")]
    [InlineData("net8.0,net48", "MyAlias", "MyAlias")]
    [InlineData("net8.0,net48", "net6.0", "net6.0")]
    public void UnknownTargetFramework(string frameworks, string current, string unknown)
    {
        var read = ProjectTargetFrameworks.Read(new Options(("build_property.NoGilTargetFrameworks", frameworks), ("build_property.TargetFramework", current)));
        Assert.Equal(unknown, read.Unknown);
        Assert.Null(read.Lowest);
        Assert.False(read.IsCurrentLowest);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("  ", " ; ")]
    [InlineData("net8.0", null)]
    [InlineData(";;net8.0;;", null)]
    [InlineData("net8.0;NET8.0", null)]
    [InlineData(null, "net8.0")]
    public void SingleTarget(string? noGil, string? msbuild)
    {
        var values = new List<(string, string)>();
        if (noGil is not null)
        {
            values.Add(("build_property.NoGilTargetFrameworks", noGil));
        }

        if (msbuild is not null)
        {
            values.Add(("build_property.TargetFrameworks", msbuild));
        }

        values.Add(("build_property.TargetFramework", "net8.0"));
        var read = ProjectTargetFrameworks.Read(new Options(values.ToArray()));
        Assert.False(read.IsMultiTarget);
        Assert.True(TargetFrameworkFixes.Decide(read, ImmutableArray.Create(FixKind.VectorLoop), location: null).Verdict == TargetFrameworkVerdict.Fix);
    }

    // The package's own comma-separated property wins; MSBuild's TargetFrameworks is read, with either separator, when it is absent.
    [Fact]
    public void TargetFrameworks_IsReadWhenThePackagePropertyIsAbsent()
    {
        var read = ProjectTargetFrameworks.Read(new Options(("build_property.TargetFrameworks", " net8.0 ; net48 "), ("build_property.TargetFramework", "net8.0")));
        Assert.Equal(new[] { "net8.0", "net48" }, read.All);
        Assert.Equal("net48", read.Lowest?.Text);

        var both = ProjectTargetFrameworks.Read(new Options(
            ("build_property.TargetFrameworks", "net8.0"), ("build_property.NoGilTargetFrameworks", "net8.0,net6.0"), ("build_property.TargetFramework", "net8.0")));
        Assert.Equal("net6.0", both.Lowest?.Text);
    }

    // Why the package passes NoGilTargetFrameworks with commas: the analyzer-config parser cuts a value at ';'.
    [Fact]
    public void AnalyzerConfigParser_CutsAValueAtASemicolon()
    {
        var config = AnalyzerConfig.Parse("is_global = true\nbuild_property.TargetFrameworks = net8.0;net48\nbuild_property.NoGilTargetFrameworks = net8.0,net48\n", "/project/.globalconfig");
        var global = AnalyzerConfigSet.Create(new[] { config }).GlobalConfigOptions.AnalyzerOptions;
        Assert.Equal("net8.0", global["build_property.targetframeworks"]);
        Assert.Equal("net8.0,net48", global["build_property.nogiltargetframeworks"]);
    }

    [Fact]
    public void EveryDescriptorMessage_EndsWithItsLastArgument()
    {
        foreach (var descriptor in RuleCatalog.Descriptors)
        {
            var format = descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var last = Regex.Matches(format, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();
            Assert.True(last >= 0 && (format.EndsWith("{" + last + "}", StringComparison.Ordinal) || format.EndsWith("{" + last + "}.", StringComparison.Ordinal)),
                descriptor.Id + ": the message must end with its last argument, where a withheld fix's note goes: " + format);
        }
    }

    // One decision for every family: no rule creates a diagnostic that bypasses it.
    [Fact]
    public void EveryAnalyzer_ReportsThroughTheTargetFrameworkDecision()
    {
        // A rule without a code fix (NOGIL300) has nothing to withhold; every analyzer of a rule with one must decide here.
        var rules = RepositoryFiles.GetPath("src/NoGil.Analyzers/Rules");
        var withoutFix = RuleCatalog.Analyzers
            .Where(a => a.SupportedDiagnostics.All(d => !RuleCatalog.HasFix(d.Id)))
            .Select(a => a.GetType().Name + ".cs")
            .ToHashSet(StringComparer.Ordinal);
        var bypassing = Directory.EnumerateFiles(rules, "*.cs", SearchOption.AllDirectories)
            .Where(path => !withoutFix.Contains(Path.GetFileName(path))
                           && File.ReadAllText(path).Contains("Diagnostic.Create(", StringComparison.Ordinal)
                           && !File.ReadAllText(path).Contains("TargetFrameworkFixes.Report(", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .ToList();
        Assert.Empty(bypassing);
        Assert.Contains("ExplainLoopAnalyzer.cs", withoutFix);
        var creating = Directory.EnumerateFiles(rules, "*.cs", SearchOption.AllDirectories)
            .Count(path => File.ReadAllText(path).Contains("TargetFrameworkFixes.Report(", StringComparison.Ordinal));
        Assert.True(creating >= 12, "analyzers reporting through TargetFrameworkFixes: " + creating);
    }

    [Fact]
    public void PackageProps_MakeTheTargetFrameworksVisible()
    {
        var props = File.ReadAllText(RepositoryFiles.GetPath("src/NoGil.Package/buildTransitive/NoGil.Analyzers.props"));
        foreach (var property in new[] { "TargetFramework", "TargetFrameworks", "NoGilTargetFrameworks" })
        {
            Assert.Contains($"<CompilerVisibleProperty Include=\"{property}\" />", props, StringComparison.Ordinal);
        }

        Assert.Contains("<NoGilTargetFrameworks>$(TargetFrameworks.Replace(';', ','))</NoGilTargetFrameworks>", props, StringComparison.Ordinal);
    }

    private sealed class Options(params (string Key, string Value)[] values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            foreach (var (k, v) in values)
            {
                if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                {
                    value = v;
                    return true;
                }
            }

            value = string.Empty;
            return false;
        }
    }
}
