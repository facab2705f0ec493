using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using NoGil.Compare;

// Usage: dotnet run -c Release --project tools/NoGil.Compare -- <peer test file> [options]
//   --rule MA0042          the peer rule whose markers count (default MA0042; [|…|] markers count as it)
//   --targets net8,net10   reference sets to compile against (default both)
//   --only <text>          only tests whose name contains <text>
//   --reasons <file.tsv>   test name<TAB>category<TAB>reason, printed beside each disagreement
//   --summary              totals and the disagreement table only
//   --dump                 also print each input's marker-free source (for reading; never commit it)
//   --framework-only       compile against the reference pack alone: no NuGet packages, no ASP.NET Core pack, no
//                          annotation declarations (inputs that need them then do not bind)
var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && File.Exists(a));
if (file is null)
{
    Console.Error.WriteLine("usage: NoGil.Compare <peer test file> [--rule ID] [--targets net8,net10] [--only TEXT] [--reasons FILE] [--summary] [--dump]");
    return 2;
}

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var rule = Option("--rule") ?? "MA0042";
var only = Option("--only");
var summary = args.Contains("--summary");
var dump = args.Contains("--dump");
var frameworkOnly = args.Contains("--framework-only");
var targets = (Option("--targets") ?? "net8,net10").Split(',')
    .Select(t => t switch { "net8" => ReferenceSet.Net8, "net10" => ReferenceSet.Net10, _ => throw new ArgumentException("unknown target " + t) })
    .ToList();
var reasons = Option("--reasons") is { } reasonFile
    ? File.ReadAllLines(reasonFile).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('\t'))
        .Where(p => p.Length >= 3).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => (Category: g.First()[1], Reason: g.First()[2]))
    : [];

var tests = TestFileReader.Read(File.ReadAllText(file), rule, out var warnings);
if (frameworkOnly)
{
    foreach (var test in tests)
    {
        test.Packages.Clear();
        test.UsesAnnotationAttributes = false;
        test.TargetFramework = "(framework only)";
    }
}
if (only is not null)
{
    tests = tests.Where(t => t.Name.Contains(only, StringComparison.Ordinal)).ToList();
}

Console.WriteLine($"Peer test file: {Path.GetFileName(file)}; {tests.Count} inputs read; rule compared: {rule}; NoGil rules run: {string.Join(", ", Runner.RuleIds)}");
Console.WriteLine("Matching: a marker is found when a NOGIL2xx diagnostic in the same document shares a character with the marked span.");
foreach (var warning in warnings)
{
    Console.WriteLine("warning: " + warning);
}

var outcomes = new List<Outcome>();
foreach (var target in targets)
{
    foreach (var test in tests)
    {
        var outcome = Runner.Run(test, target, rule);
        outcomes.Add(outcome);
        if (!summary)
        {
            Print(outcome);
        }
    }
}

Console.WriteLine();
Console.WriteLine("== Totals ==");
foreach (var group in outcomes.GroupBy(o => o.Target))
{
    var list = group.ToList();
    var positives = list.Where(o => o.Positive).ToList();
    var negatives = list.Where(o => !o.Positive).ToList();
    var markers = positives.SelectMany(o => o.Markers).ToList();
    Console.WriteLine($"{group.Key}: found {positives.Count(o => o.Verdict == "found")} of the {positives.Count} inputs that {rule} reports " +
                      $"({positives.Count(o => o.Verdict == "partly found")} more partly; markers: {markers.Count(m => m.Matches.Count > 0)} of {markers.Count}); " +
                      $"reported {negatives.Count(o => o.Reported.Count > 0)} of its {negatives.Count} negatives; " +
                      $"inputs that did not bind: {list.Count(o => o.CompileErrors.Count > 0)}; analyzer exceptions (AD0001): {list.Sum(o => o.AnalyzerExceptions.Count)}; " +
                      $"extra NOGIL2xx on positives outside the markers: {positives.Sum(o => o.Unmatched.Count)}");
    foreach (var id in Runner.RuleIds)
    {
        Console.WriteLine($"  {id}: {list.Sum(o => o.Reported.Count(d => d.Id == id))} diagnostics");
    }
}

Console.WriteLine();
Console.WriteLine("== Disagreements (target | test | verdict | category | reason | expression) ==");
foreach (var byTest in outcomes.Where(o => o.Disagrees).GroupBy(o => (o.Test.Name, o.Verdict)).OrderBy(g => g.First().Test.Line))
{
    var first = byTest.First();
    var where = string.Join("+", byTest.Select(o => o.Target));
    var (category, reason) = reasons.TryGetValue(first.Test.Name, out var r) ? r : ("?", "?");
    var expression = first.Positive
        ? string.Join(" ; ", first.Markers.Where(m => m.Matches.Count == 0).Select(m => Excerpt(first.Text, m.Expected.Span)))
        : string.Join(" ; ", first.Reported.Select(d => $"{d.Id} {Excerpt(first.Text, d.Location.SourceSpan)}"));
    Console.WriteLine($"{where} | {first.Test.Name} | {first.Verdict} | {category} | {reason} | {expression}");
}

var onlyOn = outcomes.GroupBy(o => o.Test.Name).Where(g => g.Select(o => o.Verdict).Distinct().Count() > 1).ToList();
if (onlyOn.Count > 0)
{
    Console.WriteLine();
    Console.WriteLine("== Inputs whose verdict differs between targets ==");
    foreach (var g in onlyOn)
    {
        Console.WriteLine($"{g.Key}: " + string.Join(", ", g.Select(o => $"{o.Target}={o.Verdict}")));
    }
}

return 0;

void Print(Outcome o)
{
    var t = o.Test;
    Console.WriteLine();
    Console.WriteLine($"[{o.Target}] {t.Name} (line {t.Line}; peer target {t.TargetFramework}) -> {o.Verdict}");
    if (o.CompileErrors.Count > 0)
    {
        Console.WriteLine($"  did not bind: {o.CompileErrors.Count} errors, first: {o.CompileErrors[0].Id} {Position(o.CompileErrors[0].Location)} {o.CompileErrors[0].GetMessage(CultureInfo.InvariantCulture)}");
    }

    foreach (var note in t.Notes.Concat(o.Notes).Concat(t.Configuration.Select(c => "peer option not mirrored: " + c)))
    {
        Console.WriteLine("  note: " + note);
    }

    foreach (var exception in o.AnalyzerExceptions)
    {
        Console.WriteLine("  AD0001: " + exception);
    }

    foreach (var (expected, matches) in o.Markers)
    {
        var span = o.Text.Lines.GetLinePositionSpan(expected.Span);
        Console.WriteLine($"  {expected.RuleId} {Format(span)} {Excerpt(o.Text, expected.Span)} -> " +
                          (matches.Count == 0 ? "not found" : string.Join(", ", matches.Select(d => $"{d.Id} {Position(d.Location)}"))));
    }

    foreach (var d in o.Unmatched)
    {
        Console.WriteLine($"  {d.Id} {Position(d.Location)} {Excerpt(o.Text, d.Location.SourceSpan)} (no marker): {d.GetMessage(CultureInfo.InvariantCulture)}");
    }

    if (dump)
    {
        Console.WriteLine(o.Text.ToString());
    }
}

static string Format(LinePositionSpan s) => $"{s.Start.Line + 1}:{s.Start.Character + 1}-{s.End.Line + 1}:{s.End.Character + 1}";

static string Position(Location l) => (l.SourceTree?.FilePath ?? "?") + ":" + Format(l.GetLineSpan().Span);

static string Excerpt(SourceText text, TextSpan span)
{
    var s = span.End <= text.Length ? text.ToString(span) : "?";
    s = string.Join(" ", s.Split((char[])['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(x => x.Trim()));
    return "`" + (s.Length > 70 ? s[..67] + "..." : s) + "`";
}
