using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace NoGil.Compare;

/// <summary>What one input gave on one reference set.</summary>
public sealed class Outcome
{
    public required TestInput Test { get; init; }
    public required string Target { get; init; }
    public required SourceText Text { get; init; }
    public List<Diagnostic> Reported { get; } = [];
    public List<Diagnostic> CompileErrors { get; } = [];
    public List<string> AnalyzerExceptions { get; } = [];
    public List<string> Notes { get; } = [];

    /// <summary>Expected spans of the compared rule, each with the NoGil diagnostics that overlap it.</summary>
    public List<(ExpectedSpan Expected, List<Diagnostic> Matches)> Markers { get; } = [];

    public List<Diagnostic> Unmatched { get; } = [];

    public bool Positive => Markers.Count > 0;

    public string Verdict => Positive
        ? Markers.All(m => m.Matches.Count > 0) ? "found" : Markers.Any(m => m.Matches.Count > 0) ? "partly found" : "MISSED"
        : Reported.Count > 0 ? "REPORTED NEGATIVE" : "quiet (agree)";

    public bool Disagrees => Verdict is "MISSED" or "partly found" or "REPORTED NEGATIVE";
}

/// <summary>
/// Compiles an input and runs every NoGil analyzer that reports a NOGIL2xx id, through CompilationWithAnalyzers, with
/// analyzer exceptions recorded (they would be AD0001 in a build). All NOGIL2xx ids are raised to warning.
/// </summary>
public static class Runner
{
    public const string Family = "NOGIL2";

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> Analyzers = new(() =>
        typeof(NoGil.Analyzers.Rules.Blocking.UseAsyncTwinAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .Where(a => a.SupportedDiagnostics.Any(d => d.Id.StartsWith(Family, StringComparison.Ordinal)))
            .OrderBy(a => a.GetType().Name, StringComparer.Ordinal)
            .ToImmutableArray());

    public static IEnumerable<string> RuleIds => Analyzers.Value.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id)
        .Where(id => id.StartsWith(Family, StringComparison.Ordinal)).Distinct().OrderBy(id => id, StringComparer.Ordinal);

    /// <summary>The annotation attributes some peer inputs use, declared (not copied) so that those inputs bind.</summary>
    private const string AnnotationDeclaration = """
        namespace Meziantou.Analyzer.Annotations
        {
            [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
            public sealed class ExcludeFromBlockingCallAnalysisAttribute : System.Attribute
            {
                public ExcludeFromBlockingCallAnalysisAttribute(string documentationId) { }
                public ExcludeFromBlockingCallAnalysisAttribute(System.Type containingType, string memberName) { }
                public ExcludeFromBlockingCallAnalysisAttribute(System.Type containingType, string memberName, params System.Type[] parameterTypes) { }
            }

            [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
            public sealed class NonAwaitableTypeAttribute : System.Attribute
            {
                public NonAwaitableTypeAttribute(System.Type type) { }
            }

            [System.AttributeUsage(System.AttributeTargets.Assembly, AllowMultiple = true)]
            public sealed class NonAsyncDisposableTypeAttribute : System.Attribute
            {
                public NonAsyncDisposableTypeAttribute(System.Type type) { }
            }
        }
        """;

    public static Outcome Run(TestInput test, ReferenceSet references, string comparedRule)
    {
        var parse = new CSharpParseOptions(test.LanguageVersion);
        var main = CSharpSyntaxTree.ParseText(test.Source, parse, path: "Test0.cs");
        var trees = new List<SyntaxTree> { main };
        trees.AddRange(test.ExtraSources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parse, path: $"Test{i + 1}.cs")));
        if (test.UsesAnnotationAttributes)
        {
            trees.Add(CSharpSyntaxTree.ParseText(AnnotationDeclaration, parse, path: "Annotations.cs"));
        }

        var outcome = new Outcome { Test = test, Target = references.Name, Text = main.GetText() };
        var refs = references.For(test, outcome.Notes);
        var options = new CSharpCompilationOptions(test.OutputKind, allowUnsafe: true)
            .WithSpecificDiagnosticOptions(RuleIds.Select(id => KeyValuePair.Create(id, ReportDiagnostic.Warn)));
        var compilation = CSharpCompilation.Create("Test", trees, refs, options);
        outcome.CompileErrors.AddRange(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var withAnalyzers = compilation.WithAnalyzers(
            Analyzers.Value,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions([]),
                (exception, analyzer, diagnostic) => outcome.AnalyzerExceptions.Add($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: false,
                logAnalyzerExecutionTime: false));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (diagnostic.Id == "AD0001")
            {
                outcome.AnalyzerExceptions.Add(diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (diagnostic.Id.StartsWith(Family, StringComparison.Ordinal))
            {
                outcome.Reported.Add(diagnostic);
            }
        }

        foreach (var expected in test.Expected.Where(e => e.RuleId == comparedRule))
        {
            outcome.Markers.Add((expected, outcome.Reported.Where(d => d.Location.SourceTree == main && Overlaps(expected.Span, d.Location.SourceSpan)).ToList()));
        }

        outcome.Unmatched.AddRange(outcome.Reported.Where(d => !outcome.Markers.Any(m => m.Matches.Contains(d))));
        return outcome;
    }

    /// <summary>
    /// The matching rule: a marker is found when a NOGIL2xx diagnostic in the same document shares at least one character
    /// with the marked span (or, for an empty span on either side, one contains the other).
    /// </summary>
    public static bool Overlaps(TextSpan marked, TextSpan reported)
        => marked.OverlapsWith(reported)
           || (marked.IsEmpty || reported.IsEmpty) && (marked.Contains(reported) || reported.Contains(marked));
}
