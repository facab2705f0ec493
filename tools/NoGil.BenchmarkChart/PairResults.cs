using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Characteristics;
using BenchmarkDotNet.Jobs;

namespace NoGil.BenchmarkChart;

/// <summary>One rule and parameter combination: the medians of Before and After, and the speedup.</summary>
public sealed record PairResult(string Rule, string Parameters, double BeforeMedianMs, double AfterMedianMs)
{
    /// <summary>Before median / After median: how many times faster the fixed code is.</summary>
    public double Speedup => BeforeMedianMs / AfterMedianMs;
}

/// <summary>Reads the <c>*-report.csv</c> files the benchmark sample exports (units in the header; converted to ms).</summary>
public static partial class PairResults
{
    private const string MedianColumn = "Median [unit]";

    /// <summary>Milliseconds per unit of a BenchmarkDotNet time column header.</summary>
    private static readonly Dictionary<string, double> MillisecondsPerUnit = new(StringComparer.Ordinal)
    {
        ["ns"] = 1e-6,
        ["us"] = 1e-3,
        ["\u03bcs"] = 1e-3,
        ["\u00b5s"] = 1e-3,
        ["ms"] = 1,
        ["s"] = 1000,
    };

    /// <summary>Column names that describe the job or the statistics rather than a benchmark parameter.</summary>
    private static readonly HashSet<string> NonParameterColumns = new(
        CharacteristicHelper.GetAllCharacteristics(typeof(Job)).Select(c => c.Id)
            .Concat(new[] { "Method", "Job", "Type", "Namespace", "Runtime", "Toolchain" }),
        StringComparer.Ordinal);

    public static IReadOnlyList<PairResult> Read(string resultsDirectory)
    {
        var results = new List<PairResult>();
        foreach (var path in Directory.GetFiles(resultsDirectory, "*-report.csv").OrderBy(p => p, StringComparer.Ordinal))
        {
            var rule = RuleOf(Path.GetFileName(path));
            if (rule is null)
            {
                continue;
            }

            var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToArray();
            if (lines.Length < 2)
            {
                continue;
            }

            var header = Csv.ParseLine(lines[0]);
            var method = header.IndexOf("Method");
            var median = header.FindIndex(h => h.StartsWith("Median [", StringComparison.Ordinal) && h.EndsWith(']'));
            var unit = median < 0 ? string.Empty : header[median]["Median [".Length..^1];
            if (method < 0 || median < 0 || !MillisecondsPerUnit.TryGetValue(unit, out var scale))
            {
                throw new InvalidDataException($"{path}: no 'Method' or '{MedianColumn}' column; export with the benchmark sample's CSV settings.");
            }

            var firstStatistic = header.FindIndex(h => h.Contains(" [", StringComparison.Ordinal));
            var parameterColumns = Enumerable.Range(0, firstStatistic < 0 ? header.Count : firstStatistic)
                .Where(i => !NonParameterColumns.Contains(header[i]))
                .ToArray();

            var rows = lines.Skip(1).Select(Csv.ParseLine).ToArray();
            foreach (var group in rows.GroupBy(r => string.Join(", ", parameterColumns.Select(i => $"{header[i]}={r[i]}"))))
            {
                var before = Median(group, method, median, "Before");
                var after = Median(group, method, median, "After");
                if (before is { } b && after is { } a)
                {
                    results.Add(new PairResult(rule, group.Key, b * scale, a * scale));
                }
            }
        }

        return results;
    }

    private static double? Median(IEnumerable<List<string>> rows, int method, int median, string half)
    {
        var row = rows.FirstOrDefault(r => r[method] == half);
        return row is not null && double.TryParse(row[median], NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : null;
    }

    /// <summary>NoGil.Benchmarks.Pairs.Nogil201.Nogil201Benchmarks-report.csv → NOGIL201.</summary>
    private static string? RuleOf(string fileName)
        => RulePattern().Match(fileName) is { Success: true } match ? "NOGIL" + match.Groups[1].Value : null;

    [GeneratedRegex(@"Nogil(\d{3})Benchmarks-report\.csv$")]
    private static partial Regex RulePattern();
}
