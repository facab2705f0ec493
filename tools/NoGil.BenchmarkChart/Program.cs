using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace NoGil.BenchmarkChart;

/// <summary>
/// <c>dotnet run --project tools/NoGil.BenchmarkChart -- [--results BenchmarkDotNet.Artifacts/results] [--out docs/benchmarks.png]</c>:
/// prints the markdown table of docs/benchmarks.md and writes the chart of speedups.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var results = "BenchmarkDotNet.Artifacts/results";
        var output = "docs/benchmarks.png";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--results" when i + 1 < args.Length:
                    results = args[++i];
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                default:
                    Console.Error.WriteLine("usage: NoGil.BenchmarkChart [--results dir] [--out chart.png]");
                    return 2;
            }
        }

        if (!Directory.Exists(results))
        {
            Console.Error.WriteLine($"No results in '{results}'. Run the benchmarks first (see docs/benchmarks.md).");
            return 1;
        }

        var pairs = PairResults.Read(results);
        if (pairs.Count == 0)
        {
            Console.Error.WriteLine($"No pair reports (*Nogil<id>Benchmarks-report.csv) in '{results}'.");
            return 1;
        }

        Console.Write(MarkdownTable(pairs));
        var directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        SpeedupChart.Save(output, pairs);
        Console.Error.WriteLine($"Chart: {output}");
        return 0;
    }

    public static string MarkdownTable(System.Collections.Generic.IEnumerable<PairResult> pairs)
    {
        var builder = new StringBuilder();
        builder.Append("| Rule | Parameters | Before (median) | After (median) | Speedup (Before / After) |\n");
        builder.Append("|------|------------|----------------:|---------------:|-------------------------:|\n");
        foreach (var pair in pairs.OrderBy(p => p.Rule, StringComparer.Ordinal))
        {
            builder.Append(CultureInfo.InvariantCulture, $"| {pair.Rule} | {pair.Parameters} | {Milliseconds(pair.BeforeMedianMs)} | {Milliseconds(pair.AfterMedianMs)} | {Ratio(pair.Speedup)} |\n");
        }

        return builder.ToString();
    }

    public static string Milliseconds(double value) => value < 1
        ? Number(value * 1000) + " µs"
        : Number(value) + " ms";

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    public static string Ratio(double value) => value.ToString(value >= 10 ? "0" : "0.00", CultureInfo.InvariantCulture) + "x";
}
