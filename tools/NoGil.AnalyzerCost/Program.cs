using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace NoGil.AnalyzerCost;

/// <summary>
/// <code>
/// dotnet run -c Release --project tools/NoGil.AnalyzerCost -- --sources &lt;folder&gt; [--rounds 3] [--langversion 7.3]
///     [--define A;B] [--peer] [--floor] [--concurrent] [--list NOGIL301[,NOGIL302…]] [--enable NOGIL300] --analyzers before=&lt;folder with NoGil.Analyzers.dll&gt; [--analyzers after=&lt;folder&gt;]
/// </code>
/// For each round and each named analyzer build (interleaved, in that order), a fresh compilation of every <c>.cs</c>
/// file under <c>--sources</c> (bin/obj excluded) against the .NET 8 reference pack, one thread
/// (<c>concurrentAnalysis: false</c>), every NoGil rule enabled at warning (NOGIL300 included when the build has it).
/// <c>--concurrent</c> lets the driver run callbacks in parallel, as a build does (times then overlap; use it to check
/// that every round reports the same diagnostics). <c>--peer</c> adds Meziantou.Analyzer 3.0.341 (all its rules at their defaults) to each run, so its time is measured
/// next to ours under the same load. Prints, per build: the compile time, each analyzer's execution time per round,
/// the medians, the diagnostics per rule per round (a rule whose count changes between rounds is nondeterministic)
/// and any analyzer exception; <c>--list ID,ID</c> also prints every diagnostic of those rules (last round). Rules that are off
/// by default stay off unless named by <c>--enable ID,ID</c> (e.g. NOGIL300, to list its explanations). <c>--floor</c> adds a
/// build named <c>floor</c> of <see cref="FloorAnalyzers"/>: the least a loop analysis costs (a callback per loop, a walk
/// of every loop body, a walk of every operation block), measured next to the builds and the peer.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string? sources = null;
        var rounds = 3;
        var languageVersion = LanguageVersion.Latest;
        var defines = new List<string>();
        var builds = new List<(string Name, string Folder)>();
        var peer = false;
        var floor = false;
        var concurrent = false;
        var list = new HashSet<string>(StringComparer.Ordinal);
        var enable = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--sources": sources = args[++i]; break;
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--langversion":
                    if (!LanguageVersionFacts.TryParse(args[++i], out languageVersion))
                    {
                        return Usage("unknown language version " + args[i]);
                    }

                    break;
                case "--define": defines.AddRange(args[++i].Split(';', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--peer": peer = true; break;
                case "--floor": floor = true; break;
                case "--concurrent": concurrent = true; break;
                case "--list": list.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--enable": enable.UnionWith(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--analyzers":
                    var pair = args[++i].Split('=', 2);
                    if (pair.Length != 2)
                    {
                        return Usage("--analyzers takes name=folder");
                    }

                    builds.Add((pair[0], Path.GetFullPath(pair[1])));
                    break;
                default: return Usage("unknown argument " + args[i]);
            }
        }

        ListedIds = list;
        EnabledIds = enable;
        if (sources is null || !Directory.Exists(sources) || builds.Count == 0)
        {
            return Usage("--sources <existing folder> and at least one --analyzers name=folder are required");
        }

        var parseOptions = new CSharpParseOptions(languageVersion, preprocessorSymbols: defines);
        var files = Directory.EnumerateFiles(sources, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var texts = files.Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        var references = ReferencePack();
        Console.WriteLine($"{files.Count} files, {texts.Sum(t => t.Text.Count(c => c == '\n')):N0} lines, {rounds} rounds, language {languageVersion.ToDisplayString()}, {Environment.ProcessorCount} processors");

        var analyzerSets = builds.Select(b => (b.Name, Analyzers: LoadNoGil(b.Name, b.Folder))).ToList();
        if (floor)
        {
            analyzerSets.Insert(0, ("floor", FloorAnalyzers.All));
        }
        var peerAnalyzers = peer ? LoadPeer() : ImmutableArray<DiagnosticAnalyzer>.Empty;
        var results = analyzerSets.ToDictionary(s => s.Name, _ => new List<Run>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var (name, analyzers) in analyzerSets)
            {
                var run = Measure(texts, parseOptions, references, analyzers, peerAnalyzers, concurrent);
                results[name].Add(run);
                Console.WriteLine($"round {round} {name}: compile {run.Compile.TotalSeconds:F2} s, NoGil {run.OwnTotal.TotalSeconds:F2} s"
                                  + (peer ? $", peer {run.PeerTotal.TotalSeconds:F2} s" : string.Empty)
                                  + $", load average {LoadAverage()}");
            }
        }

        foreach (var (name, runs) in results)
        {
            Report(name, runs, peer);
        }

        return results.Values.Any(runs => runs.Any(r => r.Exceptions.Count > 0)) ? 1 : 0;
    }

    private static int Usage(string message)
    {
        Console.Error.WriteLine(message);
        Console.Error.WriteLine("usage: NoGil.AnalyzerCost --sources <folder> --analyzers name=<folder> [--analyzers name=<folder>] [--rounds N] [--langversion V] [--define A;B] [--peer] [--floor] [--concurrent] [--list ID,ID] [--enable ID,ID]");
        return 2;
    }

    private sealed record Run(
        TimeSpan Compile,
        Dictionary<string, TimeSpan> Times,
        Dictionary<string, int> DiagnosticsById,
        TimeSpan OwnTotal,
        TimeSpan PeerTotal,
        List<string> Exceptions,
        List<string> Listed);

    /// <summary><c>--list ID,ID</c>: the diagnostics of those rules are printed, rule, file, line and message, for each build.</summary>
    private static HashSet<string> ListedIds = new(StringComparer.Ordinal);

    /// <summary><c>--enable ID,ID</c>: rules that are off by default, turned on at warning.</summary>
    private static HashSet<string> EnabledIds = new(StringComparer.Ordinal);

    private static Run Measure(
        List<(string Path, string Text)> texts,
        CSharpParseOptions parseOptions,
        IReadOnlyList<MetadataReference> references,
        ImmutableArray<DiagnosticAnalyzer> own,
        ImmutableArray<DiagnosticAnalyzer> peer,
        bool concurrent)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var trees = texts.Select(t => CSharpSyntaxTree.ParseText(t.Text, parseOptions, t.Path)).ToList();
        // Every rule that is on by default, at warning; a rule that is off by default (NOGIL300) stays off unless --enable names it.
        var ownIds = own.SelectMany(a => a.SupportedDiagnostics).Where(d => d.IsEnabledByDefault || EnabledIds.Contains(d.Id)).Select(d => d.Id).Distinct();
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable)
            .WithSpecificDiagnosticOptions(ownIds.Select(id => new KeyValuePair<string, ReportDiagnostic>(id, ReportDiagnostic.Warn)));
        var compilation = CSharpCompilation.Create("Measured", trees, references, options);
        _ = compilation.GetDiagnostics();
        var compile = watch.Elapsed;

        var exceptions = new List<string>();
        var all = own.AddRange(peer);
        var withAnalyzers = compilation.WithAnalyzers(all, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) => { lock (exceptions) { exceptions.Add(analyzer.GetType().Name + ": " + exception.GetType().Name + ": " + exception.Message); } },
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false));
        var diagnostics = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var times = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        foreach (var analyzer in all)
        {
            var telemetry = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None).GetAwaiter().GetResult();
            var key = (peer.Contains(analyzer) ? "peer:" : string.Empty) + analyzer.GetType().Name;
            times[key] = times.GetValueOrDefault(key) + telemetry.ExecutionTime;
        }

        var byId = diagnostics.Where(d => d.Id.StartsWith("NOGIL", StringComparison.Ordinal) || d.Id == "AD0001")
            .GroupBy(d => d.Id).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ownTotal = TimeSpan.FromTicks(times.Where(t => !t.Key.StartsWith("peer:", StringComparison.Ordinal)).Sum(t => t.Value.Ticks));
        var peerTotal = TimeSpan.FromTicks(times.Where(t => t.Key.StartsWith("peer:", StringComparison.Ordinal)).Sum(t => t.Value.Ticks));
        var listed = diagnostics.Where(d => ListedIds.Contains(d.Id))
            .Select(d => d.Location.GetLineSpan() is var span ? d.Id + " " + Path.GetFileName(span.Path) + "(" + (span.StartLinePosition.Line + 1) + "): " + d.GetMessage(CultureInfo.InvariantCulture) : string.Empty)
            .OrderBy(l => l, StringComparer.Ordinal).ToList();
        return new Run(compile, times, byId, ownTotal, peerTotal, exceptions, listed);
    }

    private static void Report(string name, List<Run> runs, bool peer)
    {
        Console.WriteLine();
        Console.WriteLine($"## {name}");
        Console.WriteLine();
        Console.WriteLine("| Analyzer | " + string.Join(" | ", runs.Select((_, i) => $"round {i + 1} (s)")) + " | median (s) |");
        Console.WriteLine("|---|" + string.Concat(runs.Select(_ => "---:|")) + "---:|");
        var keys = runs.SelectMany(r => r.Times.Keys).Distinct()
            .Where(k => !k.StartsWith("peer:", StringComparison.Ordinal))
            .OrderByDescending(k => Median(runs.Select(r => r.Times.GetValueOrDefault(k))))
            .ToList();
        foreach (var key in keys)
        {
            Row(key, runs.Select(r => r.Times.GetValueOrDefault(key)).ToList());
        }

        Row("**NoGil total**", runs.Select(r => r.OwnTotal).ToList());
        var kernel = runs.Select(r => TimeSpan.FromTicks(KernelRules.Sum(k => r.Times.GetValueOrDefault(k).Ticks))).ToList();
        Row("**Kernel rules (NOGIL300–303)**", kernel);
        if (peer)
        {
            Row("**Meziantou.Analyzer total**", runs.Select(r => r.PeerTotal).ToList());
        }

        Row("compile (parse + bind + emit diagnostics)", runs.Select(r => r.Compile).ToList());
        Console.WriteLine();
        if (peer)
        {
            // The figure docs/performance.md quotes: the kernel rules' time over the peer's in the same round, so that the
            // machine's load cancels out; round 1 carries the JIT compilation of both and is left out of the median.
            var ratios = runs.Select((r, i) => r.PeerTotal.Ticks == 0 ? 0.0 : (double)kernel[i].Ticks / r.PeerTotal.Ticks).ToList();
            Console.WriteLine("Kernel rules / Meziantou.Analyzer per round: " + string.Join(" / ", ratios.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))
                              + (ratios.Count > 1 ? "; median of rounds 2–" + ratios.Count + ": " + MiddleValue(ratios.Skip(1).ToList()).ToString("F3", CultureInfo.InvariantCulture) : string.Empty));
        }

        var ids = runs.SelectMany(r => r.DiagnosticsById.Keys).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        Console.WriteLine("Diagnostics per round: " + (ids.Count == 0 ? "none" : string.Join(", ", ids.Select(id => id + " " + string.Join("/", runs.Select(r => r.DiagnosticsById.GetValueOrDefault(id)))))));
        var unstable = ids.Where(id => runs.Select(r => r.DiagnosticsById.GetValueOrDefault(id)).Distinct().Count() > 1).ToList();
        Console.WriteLine(unstable.Count == 0 ? "Every rule reported the same number of diagnostics in every round." : "NONDETERMINISTIC: " + string.Join(", ", unstable));
        foreach (var line in runs[runs.Count - 1].Listed)
        {
            Console.WriteLine("  " + line);
        }

        foreach (var exception in runs.SelectMany(r => r.Exceptions).Distinct())
        {
            Console.WriteLine("ANALYZER EXCEPTION: " + exception);
        }

        static void Row(string label, List<TimeSpan> values)
            => Console.WriteLine($"| {label} | " + string.Join(" | ", values.Select(v => v.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)))
                                 + $" | {Median(values).TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)} |");
    }

    /// <summary>The analyzers of the kernel rules; the loop model is charged to whichever runs first, so only their sum compares.</summary>
    private static readonly string[] KernelRules = { "ParallelizeLoopAnalyzer", "VectorizeLoopAnalyzer", "VectorizeReductionAnalyzer", "ExplainLoopAnalyzer" };

    /// <summary>The median, the mean of the two middle values for an even count.</summary>
    private static double MiddleValue(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count == 0 ? TimeSpan.Zero : sorted[sorted.Count / 2];
    }

    private static string LoadAverage()
        => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string NuGetRoot => Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                                       ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static List<MetadataReference> ReferencePack()
    {
        var folder = Path.Combine(NuGetRoot, "microsoft.netcore.app.ref", "8.0.0", "ref", "net8.0");
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(folder + " (restore this project: its PackageDownload puts the pack there)");
        }

        return Directory.EnumerateFiles(folder, "*.dll").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f)).ToList();
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadNoGil(string name, string folder)
    {
        var path = Path.Combine(folder, "NoGil.Analyzers.dll");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no NoGil.Analyzers.dll in " + folder, path);
        }

        return Instantiate(new IsolatedContext(name, folder).LoadFromAssemblyPath(path));
    }

    private static ImmutableArray<DiagnosticAnalyzer> LoadPeer()
    {
        var folder = Path.Combine(NuGetRoot, "meziantou.analyzer", "3.0.341", "analyzers", "dotnet", "roslyn5.0", "cs");
        var path = Path.Combine(folder, "Meziantou.Analyzer.dll");
        return Instantiate(new IsolatedContext("peer", folder).LoadFromAssemblyPath(path));
    }

    private static ImmutableArray<DiagnosticAnalyzer> Instantiate(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t)
                        && t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>One analyzer build: its own assemblies from its folder, Roslyn and the runtime shared with the host.</summary>
    private sealed class IsolatedContext(string name, string folder) : AssemblyLoadContext(name)
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is { } simple && (simple.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) || simple.StartsWith("System.", StringComparison.Ordinal)))
            {
                return null;
            }

            var candidate = Path.Combine(folder, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
