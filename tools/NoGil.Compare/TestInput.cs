using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace NoGil.Compare;

/// <summary>A span the peer's test expects its rule to report, in the marker-free source.</summary>
public sealed record ExpectedSpan(string RuleId, TextSpan Span);

/// <summary>One test of the peer's suite, read as input data: its source, what it expects, and how it compiles.</summary>
public sealed class TestInput
{
    public required string Name { get; init; }
    public required int Line { get; init; }
    public string Source { get; set; } = "";
    public List<ExpectedSpan> Expected { get; } = [];
    public List<string> ExtraSources { get; } = [];
    public string TargetFramework { get; set; } = "(default)";
    public List<(string Name, string Version, string Folder)> Packages { get; } = [];
    public List<string> Configuration { get; } = [];
    public List<string> Notes { get; } = [];
    public OutputKind OutputKind { get; set; } = OutputKind.DynamicallyLinkedLibrary;
    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;
    public bool UsesAnnotationAttributes { get; set; }

    /// <summary>Positive: the peer's test expects at least one diagnostic of <paramref name="ruleId"/>.</summary>
    public bool IsPositive(string ruleId) => Expected.Any(e => e.RuleId == ruleId);
}

/// <summary>
/// Reads a Meziantou.Analyzer-style rule test file (xunit facts that drive a <c>ProjectBuilder</c>) with Roslyn's parser,
/// never by executing it. Understood: <c>WithSourceCode</c> (markers <c>[|…|]</c> and <c>{|Id:…|}</c>, parsed the way the
/// peer's builder parses them), <c>ApiReferences.Add</c>, <c>WithTargetFramework</c>, <c>AddNuGetReference</c> and the
/// helpers that wrap it, <c>AddAnalyzerConfiguration</c>, <c>WithOutputKind</c>, <c>WithLanguageVersion</c>,
/// <c>ShouldReportDiagnostic</c> (noted: it carries no span the reader can evaluate).
/// </summary>
public static class TestFileReader
{
    public static List<TestInput> Read(string text, string defaultRuleId, out List<string> warnings)
    {
        warnings = [];
        var root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var tests = new List<TestInput>();
        foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            var attributes = method.AttributeLists.SelectMany(l => l.Attributes).Select(a => a.Name.ToString()).ToList();
            var isFact = attributes.Any(a => a is "Fact" or "FactAttribute" or "Xunit.Fact");
            var isTheory = attributes.Any(a => a is "Theory" or "TheoryAttribute" or "Xunit.Theory");
            if (!isFact && !isTheory)
            {
                continue;
            }

            var test = new TestInput
            {
                Name = method.Identifier.ValueText,
                Line = method.GetLocation().GetLineSpan().StartLinePosition.Line + 1,
            };
            if (isTheory)
            {
                warnings.Add($"{test.Name}: [Theory] not expanded; skipped");
                continue;
            }

            var sources = 0;
            foreach (var invocation in method.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (invocation.Expression is not MemberAccessExpressionSyntax access)
                {
                    continue;
                }

                var args = invocation.ArgumentList.Arguments;
                switch (access.Name.Identifier.ValueText)
                {
                    case "WithSourceCode" when args.Count > 0:
                        sources++;
                        if (StringValue(args[^1].Expression) is { } source)
                        {
                            // The peer's builder keeps the last source but every marker parsed on the way; same here.
                            test.Source = StripMarkers(source, defaultRuleId, test.Expected);
                        }
                        else
                        {
                            test.Notes.Add("source is not a string literal");
                        }

                        break;
                    case "Add" when access.Expression.ToString().EndsWith("ApiReferences", StringComparison.Ordinal) && args.Count == 1:
                        if (StringValue(args[0].Expression) is { } extra)
                        {
                            test.ExtraSources.Add(extra);
                        }

                        break;
                    case "WithTargetFramework" when args.Count == 1:
                        test.TargetFramework = args[0].Expression is MemberAccessExpressionSyntax tf ? tf.Name.Identifier.ValueText : args[0].ToString();
                        break;
                    case "AddNuGetReference" when args.Count >= 2:
                        test.Packages.Add((StringValue(args[0].Expression) ?? "?", StringValue(args[1].Expression) ?? "?",
                            args.Count > 2 ? StringValue(args[2].Expression) ?? "" : ""));
                        break;
                    case "AddXUnitApi":
                        test.Packages.Add(("xunit.extensibility.core", "2.4.1", "lib/netstandard1.1/"));
                        test.Packages.Add(("xunit.assert", "2.4.1", "lib/netstandard1.1/"));
                        break;
                    case "AddNUnitApi":
                        test.Packages.Add(("NUnit", "3.12.0", "lib/netstandard2.0/"));
                        break;
                    case "AddMSTestApi":
                        test.Packages.Add(("MSTest.TestFramework", "2.1.1", "lib/netstandard1.0/"));
                        break;
                    case "AddMeziantouAttributes":
                        test.UsesAnnotationAttributes = true;
                        break;
                    case "AddSystemTextJson" or "AddAsyncInterfaceApi":
                        test.Notes.Add($"{access.Name.Identifier.ValueText}: part of the shared framework on .NET 8+");
                        break;
                    case "AddAnalyzerConfiguration" when args.Count == 2:
                        test.Configuration.Add($"{StringValue(args[0].Expression)}={StringValue(args[1].Expression)}");
                        break;
                    case "WithOutputKind" when args.Count == 1 && args[0].Expression is MemberAccessExpressionSyntax kind
                                                 && Enum.TryParse<OutputKind>(kind.Name.Identifier.ValueText, out var outputKind):
                        test.OutputKind = outputKind;
                        break;
                    case "WithLanguageVersion" when args.Count == 1 && args[0].Expression is MemberAccessExpressionSyntax version
                                                      && Enum.TryParse<LanguageVersion>(version.Name.Identifier.ValueText, out var languageVersion):
                        test.LanguageVersion = languageVersion;
                        break;
                    case "ShouldReportDiagnostic":
                        test.Notes.Add("ShouldReportDiagnostic(...) not evaluated: " + invocation.ArgumentList.ToString().Replace('\n', ' '));
                        break;
                }
            }

            if (sources > 1)
            {
                test.Notes.Add($"{sources} WithSourceCode calls: the last source is compiled, markers of all are kept");
            }

            if (sources == 0)
            {
                warnings.Add($"{test.Name}: no WithSourceCode; skipped");
                continue;
            }

            tests.Add(test);
        }

        return tests;
    }

    private static string? StringValue(ExpressionSyntax expression)
        => expression is LiteralExpressionSyntax literal && literal.Token.Value is string value ? value : null;

    /// <summary>Removes <c>[|…|]</c> and <c>{|Id:…|}</c> markers, recording each marked span (the peer builder's grammar).</summary>
    public static string StripMarkers(string text, string defaultRuleId, List<ExpectedSpan> expected)
    {
        var sb = new StringBuilder(text.Length);
        var start = -1;
        var end = '\0';
        string? ruleId = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '{' && start < 0 && next == '|')
            {
                var colon = text.IndexOf(':', i + 2);
                ruleId = colon < 0 ? text[(i + 2)..] : text[(i + 2)..colon];
                start = sb.Length;
                end = '}';
                i += 1 + ruleId.Length + 1;
            }
            else if (c == '[' && start < 0 && next == '|')
            {
                start = sb.Length;
                end = ']';
                i++;
            }
            else if (c == '|' && start >= 0 && next == end)
            {
                expected.Add(new ExpectedSpan(ruleId ?? defaultRuleId, TextSpan.FromBounds(start, sb.Length)));
                start = -1;
                end = '\0';
                ruleId = null;
                i++;
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
