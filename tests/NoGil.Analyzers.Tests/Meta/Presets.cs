using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// The <c>NoGilAnalysisMode</c> presets, computed from the descriptors: what each mode sets every rule to, the global
/// analyzer config the package ships for it, and the table in docs/configuration.md.
/// </summary>
public static class Presets
{
    public const string Default = "default";
    public const string Recommended = "recommended";
    public const string Strict = "strict";
    public const string None = "none";

    /// <summary>Every mode, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Modes { get; } = new[] { Default, Recommended, Strict, None };

    /// <summary>The modes that ship a global config (<c>default</c> adds nothing).</summary>
    public static IReadOnlyList<string> ShippedModes { get; } = new[] { Recommended, Strict, None };

    /// <summary>Where the package project keeps the generated configs.</summary>
    public static string ConfigDirectory => Infrastructure.RepositoryFiles.GetPath("src/NoGil.Package/buildTransitive/config");

    public static string ConfigPath(string mode) => System.IO.Path.Combine(ConfigDirectory, $"nogil-{mode}.globalconfig");

    /// <summary>The severity a mode gives a rule; null means the rule is off.</summary>
    public static DiagnosticSeverity? SeverityOf(string mode, DiagnosticDescriptor descriptor) => mode switch
    {
        // An opt-in rule (NOGIL300) stays off in every mode: a project or file turns it on itself.
        _ when !descriptor.IsEnabledByDefault && Modes.Contains(mode) => null,
        Default => descriptor.DefaultSeverity,

        // NOGIL002 is about the profile file, not the code: no mode but 'none' changes it (a stale profile must not
        // fail a strict build that treats warnings as errors).
        Recommended or Strict when descriptor.Category == RuleCategories.Profile => descriptor.DefaultSeverity,

        // Locks and blocking waits are throughput bugs under load: worth a warning everywhere. Whether a loop
        // is worth parallelizing or vectorizing (the kernel family) is a judgement call: keep its default.
        Recommended => descriptor.Category is RuleCategories.Locks or RuleCategories.Blocking
            ? Max(descriptor.DefaultSeverity, DiagnosticSeverity.Warning)
            : descriptor.DefaultSeverity,
        Strict => Max(descriptor.DefaultSeverity, DiagnosticSeverity.Warning),
        None => null,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown NoGilAnalysisMode"),
    };

    /// <summary>One sentence per mode, used in the generated files.</summary>
    public static string Summary(string mode) => mode switch
    {
        Default => "the rules' own default severities",
        Recommended => "every lock and blocking-wait rule (NOGIL1xx, NOGIL2xx) is a warning; kernel rules (NOGIL3xx) and NOGIL002 keep their default; the opt-in NOGIL300 stays off",
        Strict => "every rule is a warning, except the opt-in NOGIL300, which stays off, and NOGIL002 (the profile file), which stays a suggestion",
        None => "every rule is off",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown NoGilAnalysisMode"),
    };

    /// <summary>The global analyzer config shipped for <paramref name="mode"/>.</summary>
    public static string RenderGlobalConfig(string mode)
    {
        var builder = new StringBuilder()
            .Append($"# NoGil.Analyzers preset \"{mode}\" (NoGilAnalysisMode={mode}): {Summary(mode)}.\n")
            .Append("# Generated from the analyzers' descriptors; do not edit. Regenerate with\n")
            .Append("#   NOGIL_UPDATE_PRESETS=1 dotnet test --filter FullyQualifiedName~PresetTests\n")
            .Append("# global_level is below the default of every other config, so .editorconfig and your own global configs win.\n")
            .Append("is_global = true\n")
            .Append("global_level = -1\n");
        foreach (var descriptor in RuleCatalog.Descriptors)
        {
            builder.Append('\n')
                .Append($"# {descriptor.Id}: {descriptor.Title} (default: {(descriptor.IsEnabledByDefault ? ConfigText(descriptor.DefaultSeverity) : "off; opt in with " + ConfigText(descriptor.DefaultSeverity))})\n")
                .Append($"dotnet_diagnostic.{descriptor.Id}.severity = {ConfigText(SeverityOf(mode, descriptor))}\n");
        }

        return builder.ToString();
    }

    /// <summary>The rule × mode table of docs/configuration.md.</summary>
    public static string RenderDocTable()
    {
        var builder = new StringBuilder()
            .Append("| Rule | " + string.Join(" | ", Modes.Select(m => $"`{m}`")) + " |\n")
            .Append("|------|" + string.Join("|", Modes.Select(_ => "---")) + "|\n");
        foreach (var descriptor in RuleCatalog.Descriptors)
        {
            builder.Append($"| [{descriptor.Id}](rules/{descriptor.Id}.md) | ")
                .Append(string.Join(" | ", Modes.Select(m => ConfigText(SeverityOf(m, descriptor)))))
                .Append(" |\n");
        }

        return builder.ToString();
    }

    /// <summary>The .editorconfig spelling of a severity.</summary>
    public static string ConfigText(DiagnosticSeverity? severity) => severity switch
    {
        null => "none",
        DiagnosticSeverity.Hidden => "silent",
        DiagnosticSeverity.Info => "suggestion",
        DiagnosticSeverity.Warning => "warning",
        _ => "error",
    };

    private static DiagnosticSeverity Max(DiagnosticSeverity left, DiagnosticSeverity right) => left > right ? left : right;
}
