using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace NoGil.PerfCorpus;

/// <summary>
/// <code>
/// dotnet run -c Release --project tools/NoGil.PerfCorpus -- generate --out DIR [--lines 120000]
/// dotnet run -c Release --project tools/NoGil.PerfCorpus -- scaling [--sizes 1000,10000,50000] [--file-lines 100000] [--repeat 3]
/// </code>
/// See docs/performance.md; tools/perf/run.sh runs both and the builds.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage();
        }

        var options = ParseOptions(args.Skip(1).ToArray());
        if (options is null)
        {
            return Usage();
        }

        switch (args[0])
        {
            case "generate" when options.ContainsKey("out"):
                var lines = int.Parse(options.GetValueOrDefault("lines", "120000"), CultureInfo.InvariantCulture);
                var stats = CorpusWriter.Write(
                    options["out"],
                    lines,
                    options.GetValueOrDefault("meziantou-version", CorpusWriter.DefaultMeziantouVersion),
                    options.GetValueOrDefault("vs-threading-version", CorpusWriter.DefaultVsThreadingVersion));
                Console.WriteLine($"wrote {stats.Lines:N0} lines in {stats.Files} files ({stats.Classes} classes) to {options["out"]}");
                return 0;

            case "scaling":
                var sizes = options.GetValueOrDefault("sizes", "1000,10000,50000")
                    .Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => int.Parse(s, CultureInfo.InvariantCulture))
                    .ToArray();
                var fileLines = int.Parse(options.GetValueOrDefault("file-lines", "100000"), CultureInfo.InvariantCulture);
                var repeat = int.Parse(options.GetValueOrDefault("repeat", "3"), CultureInfo.InvariantCulture);
                await Scaling.RunAsync(sizes, fileLines, repeat, Console.Out);
                return 0;

            default:
                return Usage();
        }
    }

    private static Dictionary<string, string>? ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                return null;
            }

            options[args[i].Substring(2)] = args[++i];
        }

        return options;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: NoGil.PerfCorpus generate --out DIR [--lines N] [--meziantou-version V] [--vs-threading-version V]");
        Console.Error.WriteLine("       NoGil.PerfCorpus scaling [--sizes 1000,10000,50000] [--file-lines 100000] [--repeat 3]");
        return 2;
    }
}
