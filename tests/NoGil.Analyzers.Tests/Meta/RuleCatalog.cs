using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Rules.Blocking;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>Every analyzer, fixer and descriptor the package ships, found by reflection.</summary>
public static class RuleCatalog
{
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = Instantiate<DiagnosticAnalyzer>(typeof(RuleIdentifiers).Assembly);

    public static ImmutableArray<CodeFixProvider> Fixers { get; } = Instantiate<CodeFixProvider>(typeof(UseAwaitInsteadOfBlockingWaitFixer).Assembly);

    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = Analyzers
        .SelectMany(a => a.SupportedDiagnostics)
        .GroupBy(d => d.Id)
        .Select(g => g.First())
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToImmutableArray();

    public static IEnumerable<object[]> DescriptorIds => Descriptors.Select(d => new object[] { d.Id });

    public static bool HasFix(string id) => Fixers.Any(f => f.FixableDiagnosticIds.Contains(id));

    public static DiagnosticDescriptor Get(string id) => Descriptors.Single(d => d.Id == id);

    /// <summary>The README rule table, generated from the descriptors.</summary>
    public static string RenderReadmeTable()
    {
        var builder = new StringBuilder();
        builder.Append("| ID | Title | Category | Default severity | Code fix |\n");
        builder.Append("|----|-------|----------|------------------|----------|\n");
        foreach (var descriptor in Descriptors)
        {
            builder.Append($"| [{descriptor.Id}](docs/rules/{descriptor.Id}.md) | {descriptor.Title} | {descriptor.Category} | {(descriptor.IsEnabledByDefault ? SeverityText(descriptor.DefaultSeverity) : "Off (opt-in)")} | {(HasFix(descriptor.Id) ? "Yes" : "No")} |\n");
        }

        return builder.ToString();
    }

    public static string SeverityText(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Info => "Suggestion",
        _ => severity.ToString(),
    };

    /// <summary>The repository root (the folder that holds Analyzers.sln).</summary>
    public static string RepositoryRoot => Infrastructure.RepositoryFiles.RepositoryRoot;

    private static ImmutableArray<T> Instantiate<T>(System.Reflection.Assembly assembly)
        => assembly.GetTypes()
            .Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (T)Activator.CreateInstance(t)!)
            .ToImmutableArray();
}
