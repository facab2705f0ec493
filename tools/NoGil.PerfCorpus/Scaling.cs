using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.PerfCorpus;

/// <summary>
/// Times our analyzers in process (<see cref="CompilationWithAnalyzers"/> with execution-time logging, one thread)
/// on inputs that grow: one async method of N statements, the same method with tokens deleted (broken code takes
/// other paths through the parser and the flow analysis), and one file of N lines of corpus code. Prints a markdown
/// table with the time per 1,000 statements or lines, which stays flat when the cost grows linearly, and a second
/// table that splits one method's cost between Roslyn's control-flow graph and our flow analysis over it.
/// </summary>
public static class Scaling
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: false);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray());

    public static async Task RunAsync(IReadOnlyList<int> sizes, int fileLines, int repeat, TextWriter output)
    {
        var analyzers = typeof(RuleIdentifiers).Assembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var ids = analyzers.Select(a => a.SupportedDiagnostics[0].Id).ToArray();

        var inputs = new List<(string Name, int Units, string Unit, string Text, int? MaxOperations)>();
        foreach (var size in sizes)
        {
            inputs.Add(($"one async method, {size:N0} statements", size, "statements", AsyncMethod(size, broken: false), null));
        }

        var largest = sizes.Max();
        inputs.Add(($"same, {largest:N0} statements, no size bound (`nogil.max_flow_analysis_operations = 0`)", largest, "statements", AsyncMethod(largest, broken: false), 0));
        foreach (var size in sizes)
        {
            inputs.Add(($"same with 3 tokens deleted (broken code), {size:N0} statements", size, "statements", AsyncMethod(size, broken: true), null));
        }

        var file = CorpusWriter.FileOfLines(fileLines);
        inputs.Add(($"one file of corpus code, {fileLines:N0} lines", file.Count(c => c == '\n'), "lines", file, null));

        // Warm-up: JIT the analyzers and the compiler on a small input, not measured.
        await MeasureAsync(AsyncMethod(200, broken: false), analyzers, null, CancellationToken.None);

        output.WriteLine($"Our analyzers, in process, one thread; median of {repeat} runs, each on a fresh compilation.");
        output.WriteLine();
        output.WriteLine("| Input | Size | " + string.Join(" | ", ids) + " | Ours, total | Ours per 1,000 | Compiler diagnostics (binding) |");
        output.WriteLine("|---|---:|" + string.Concat(ids.Select(_ => "---:|")) + "---:|---:|---:|");
        foreach (var (name, units, unit, text, maxOperations) in inputs)
        {
            var runs = new List<Measurement>();
            for (var r = 0; r < repeat; r++)
            {
                runs.Add(await MeasureAsync(text, analyzers, maxOperations, CancellationToken.None));
            }

            var perAnalyzer = analyzers.Select(a => Median(runs.Select(m => m.PerAnalyzer[a]))).ToArray();
            var total = Median(runs.Select(m => m.PerAnalyzer.Values.Aggregate(TimeSpan.Zero, (x, y) => x + y)));
            var compile = Median(runs.Select(m => m.Compile));
            output.WriteLine($"| {name} | {units:N0} {unit} | "
                + string.Join(" | ", perAnalyzer.Select(Ms))
                + $" | {Ms(total)} | {total.TotalMilliseconds * 1000 / units:F1} ms | {Ms(compile)} |");
        }

        // Where the time of one large async method goes: Roslyn's control-flow graph (requested by the analyzer,
        // built by the compiler's library) and our flow analysis over it, each timed alone, fastest of the runs.
        output.WriteLine();
        output.WriteLine($"Inside the blocking-wait rules, one async method, no size bound; fastest of {repeat} runs.");
        output.WriteLine();
        output.WriteLine("| Statements | Operations | Roslyn control-flow graph | per 1,000 statements | Our flow analysis | per 1,000 statements |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            var best = (Graph: TimeSpan.MaxValue, Flow: TimeSpan.MaxValue, Operations: 0);
            for (var r = 0; r < repeat; r++)
            {
                var (graph, flow, operations) = MeasureFlow(AsyncMethod(size, broken: false));
                best = (graph < best.Graph ? graph : best.Graph, flow < best.Flow ? flow : best.Flow, operations);
            }

            output.WriteLine($"| {size:N0} | {best.Operations:N0} | {Ms(best.Graph)} | {best.Graph.TotalMilliseconds * 1000 / size:F1} ms | {Ms(best.Flow)} | {best.Flow.TotalMilliseconds * 1000 / size:F1} ms |");
        }
    }

    private static (TimeSpan Graph, TimeSpan Flow, int Operations) MeasureFlow(string text)
    {
        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions);
        var compilation = CSharpCompilation.Create("Scaling", new[] { tree }, References.Value, CompilationOptions);
        var model = compilation.GetSemanticModel(tree);
        var declaration = tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>().First();
        var body = (IMethodBodyOperation)model.GetOperation(declaration)!;
        var types = KnownTypes.For(compilation);
        var stopwatch = Stopwatch.StartNew();
        var graph = ControlFlowGraph.Create(body);
        var graphTime = stopwatch.Elapsed;
        stopwatch.Restart();
        _ = TaskCompletionFlow.Analyze(graph, body, model.GetDeclaredSymbol(declaration), types, CancellationToken.None);
        return (graphTime, stopwatch.Elapsed, body.DescendantsAndSelf().Count());
    }

    /// <summary>
    /// An async method of <paramref name="statements"/> statements mixing blocking waits (some proven complete by
    /// guards or earlier awaits), awaits, loops and arithmetic: every statement kind the flow analysis tracks.
    /// </summary>
    public static string AsyncMethod(int statements, bool broken)
    {
        var body = new StringBuilder();
        for (var i = 0; i < statements; i++)
        {
            body.Append("        ").AppendLine((i % 6) switch
            {
                0 => $"var r{i} = t{i % 7}.Result;",
                1 => $"if (t{i % 7}.IsCompleted) {{ x += t{i % 7}.Result; }} else {{ x -= {i}; }}",
                2 => $"await t{i % 7};",
                3 => $"for (var k = 0; k < 4; k++) {{ x ^= k + {i}; }}",
                4 => $"values[{i % 16}] = x + {i};",
                _ => $"x += {i} * values[{i % 16}];",
            });
        }

        var parameters = string.Join(", ", Enumerable.Range(0, 7).Select(i => $"Task<int> t{i}"));
        var text = $$"""
            using System.Threading.Tasks;
            class Big
            {
                async Task<int> M({{parameters}}, int[] values)
                {
                    var x = 0;
            {{body}}
                    return x;
                }
            }
            """;
        if (!broken)
        {
            return text;
        }

        // Delete three tokens near the start: the closing brace of the first guarded block (everything after it
        // nests one level deeper), an opening parenthesis and a semicolon.
        text = RemoveFirst(text, "x += t1.Result; }", "x += t1.Result; ");
        text = RemoveFirst(text, "for (var k = 0; k < 4; k++) { x ^= k + 3; }", "for var k = 0; k < 4; k++) { x ^= k + 3; }");
        text = RemoveFirst(text, "values[4] = x + 4;", "values[4] = x + 4");
        return text;
    }

    private static string RemoveFirst(string text, string find, string replace)
    {
        var index = text.IndexOf(find, StringComparison.Ordinal);
        return index < 0 ? text : text.Substring(0, index) + replace + text.Substring(index + find.Length);
    }

    private static async Task<Measurement> MeasureAsync(string text, ImmutableArray<DiagnosticAnalyzer> analyzers, int? maxOperations, CancellationToken cancellationToken)
    {
        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, cancellationToken: cancellationToken);
        var compilation = CSharpCompilation.Create("Scaling", new[] { tree }, References.Value, CompilationOptions);

        var stopwatch = Stopwatch.StartNew();
        _ = compilation.GetDiagnostics(cancellationToken);
        var compile = stopwatch.Elapsed;

        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new OptionsProvider(maxOperations)),
            onAnalyzerException: (exception, analyzer, _) => throw new InvalidOperationException($"{analyzer} threw", exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        _ = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken);
        var perAnalyzer = new Dictionary<DiagnosticAnalyzer, TimeSpan>();
        foreach (var analyzer in analyzers)
        {
            perAnalyzer[analyzer] = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken)).ExecutionTime;
        }

        return new Measurement(perAnalyzer, compile);
    }

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[sorted.Length / 2];
    }

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:N0} ms";

    /// <summary>Every tree sees the same options: at most <c>nogil.max_flow_analysis_operations</c>.</summary>
    private sealed class OptionsProvider : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options;

        public OptionsProvider(int? maxOperations) => _options = new Options(maxOperations);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly int? _maxOperations;

            public Options(int? maxOperations) => _maxOperations = maxOperations;

            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
            {
                value = key == BlockingWaitScanner.MaxOperationsOption && _maxOperations is { } max ? max.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
                return value is not null;
            }
        }
    }

    private sealed record Measurement(Dictionary<DiagnosticAnalyzer, TimeSpan> PerAnalyzer, TimeSpan Compile);
}
