using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace NoGil.Benchmarks;

/// <summary>
/// Runs the Before/After pairs. Full run: <c>dotnet run -c Release --project samples/NoGil.Benchmarks -- --filter '*'</c>.
/// Quick run for CI (every benchmark once, in process, timings meaningless): add <c>--quick</c>, or set
/// <c>NOGIL_BENCH_QUICK=1</c>. Results go to BenchmarkDotNet.Artifacts/results under the current directory, as
/// markdown and as CSV (<c>*-report.csv</c>, read by tools/NoGil.BenchmarkChart).
/// </summary>
public static class Program
{
    public const string QuickArgument = "--quick";
    public const string QuickVariable = "NOGIL_BENCH_QUICK";

    public static int Main(string[] args)
    {
        var quick = args.Contains(QuickArgument, StringComparer.Ordinal) || Environment.GetEnvironmentVariable(QuickVariable) == "1";
        var summaries = quick
            ? RunQuick(CreateConfig())
            : BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, CreateConfig()).ToArray();
        var failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        if (failed)
        {
            Console.Error.WriteLine("Some benchmarks failed to run; see the log above.");
        }

        return failed ? 1 : 0;
    }

    /// <summary>
    /// Every benchmark of the assembly, each parameter combination once, with its declared jobs replaced by one
    /// in-process invocation: proves that each benchmark runs and that its halves agree ([GlobalSetup]); measures nothing.
    /// </summary>
    private static Summary[] RunQuick(IConfig config)
    {
        var job = Job.Dry.WithToolchain(InProcessEmitToolchain.Instance).WithId("Quick");
        var runs = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetMethods().Any(m => m.IsDefined(typeof(BenchmarkAttribute), inherit: false)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => BenchmarkConverter.TypeToBenchmarks(t, config))
            .Select(run => new BenchmarkRunInfo(
                run.BenchmarksCases
                    .GroupBy(c => (c.Descriptor, c.Parameters.DisplayInfo))
                    .Select(g => BenchmarkCase.Create(g.Key.Descriptor, job, g.First().Parameters, g.First().Config))
                    .ToArray(),
                run.Type,
                run.Config))
            .ToArray();
        return BenchmarkRunner.Run(runs);
    }

    private static IConfig CreateConfig()
    {

        // CSV for tools/NoGil.BenchmarkChart: times in microseconds (the SIMD pairs take a few), units in the header rather than in the cells.
        var csvStyle = new SummaryStyle(
            CultureInfo.InvariantCulture,
            printUnitsInHeader: true,
            sizeUnit: null,
            timeUnit: TimeUnit.Microsecond,
            printUnitsInContent: false);

        return ManualConfig.CreateEmpty()
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddLogger(BenchmarkDotNet.Loggers.ConsoleLogger.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .AddExporter(new CsvExporter(CsvSeparator.Comma, csvStyle))
            .WithOptions(ConfigOptions.Default);
    }
}
