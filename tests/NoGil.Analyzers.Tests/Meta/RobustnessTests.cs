using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Rules.Blocking;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// "No analyzer or fixer ever throws, on any input: broken, partial, generated or huge code."
/// Every shipped analyzer and fixer is run over the rule tests' own sources, hand-written hostile inputs,
/// and copies of both with random tokens deleted.
/// </summary>
public sealed class RobustnessTests
{
    private const int SeedsPerSource = 30;
    private const int SeedsPerLargeSource = 2;
    private const int LargeSourceLength = 20_000;
    private const int MaxMutatedInputs = 3_000;
    private const int NestingDepth = 40;
    private const int MaxFixedDiagnosticsPerInput = 10;
    private const int MaxFixedDiagnosticsPerLargeInput = 2;
    private static readonly TimeSpan InputTimeout = TimeSpan.FromSeconds(30);

    private static readonly Assembly[] ShippedAssemblies =
    {
        typeof(RuleIdentifiers).Assembly,
        typeof(UseAwaitInsteadOfBlockingWaitFixer).Assembly,
    };

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() => Infrastructure.TestReferences.Runtime);

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: true);

    // One project, compiled once; each input replaces its only document, so every compilation reuses the
    // base compilation's bound references instead of binding a few hundred assemblies again.
    private static readonly Lazy<BaseProject> Base = new(BaseProject.Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IEnumerable<object[]> AnalyzerNames => DiscoverAnalyzers().Select(a => new object[] { a.GetType().FullName! });

    [Fact]
    public void ShippedAssemblies_ExportAnalyzersAndFixers()
    {
        var analyzers = DiscoverAnalyzers();
        var fixers = DiscoverFixers();

        Assert.NotEmpty(analyzers);
        Assert.NotEmpty(fixers);
        Assert.All(analyzers, analyzer => Assert.NotEmpty(analyzer.SupportedDiagnostics));
        Assert.All(fixers, fixer => Assert.NotEmpty(fixer.FixableDiagnosticIds));
    }

    [Fact]
    public void Corpus_ContainsTheRuleTestSources()
    {
        var sources = RepositoryFiles.GetRuleTestSources();

        Assert.NotEmpty(sources);
        Assert.All(sources, source => Assert.DoesNotContain("[|", source.Text, StringComparison.Ordinal));
        Assert.All(sources, source => Assert.DoesNotContain("{|", source.Text, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AnalyzerNames))]
    public async Task Analyzer_OnEmptySource_ReportsNothingAndDoesNotThrow(string analyzerName)
    {
        var analyzer = DiscoverAnalyzers().Single(a => a.GetType().FullName == analyzerName);
        var document = CreateDocument(string.Empty);
        var compilation = await document.Project.GetCompilationAsync(CancellationToken.None);

        var (diagnostics, exceptions) = await AnalyzeAsync(compilation!, ImmutableArray.Create(analyzer), CancellationToken.None);

        Assert.Empty(exceptions);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public async Task Harness_CatchesAnAnalyzerException()
    {
        var document = CreateDocument("class C { void M() { } }");
        var compilation = await document.Project.GetCompilationAsync(CancellationToken.None);

        var (_, exceptions) = await AnalyzeAsync(compilation!, ImmutableArray.Create<DiagnosticAnalyzer>(new ThrowingAnalyzer()), CancellationToken.None);

        Assert.NotEmpty(exceptions);
    }

    [Fact]
    public async Task AnalyzersAndFixers_NeverThrow_OnCorpusAndMutations()
    {
        var analyzers = DiscoverAnalyzers();
        var fixers = DiscoverFixers();
        var inputs = BuildInputs();
        var failures = new ConcurrentBag<Failure>();
        var stopwatch = Stopwatch.StartNew();
        var diagnosticsSeen = 0;
        var fixesApplied = 0;

        await Parallel.ForEachAsync(
            inputs,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(2, Environment.ProcessorCount) },
            async (input, _) =>
            {
                using var timeout = new CancellationTokenSource(InputTimeout);
                try
                {
                    var (diagnostics, fixes) = await CheckInputAsync(input, analyzers, fixers, failures, timeout.Token);
                    Interlocked.Add(ref diagnosticsSeen, diagnostics);
                    Interlocked.Add(ref fixesApplied, fixes);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    failures.Add(new Failure(input, "(all)", $"did not finish within {InputTimeout.TotalSeconds} s"));
                }
                catch (Exception exception)
                {
                    failures.Add(new Failure(input, "(harness)", exception.ToString()));
                }
            });

        Assert.True(
            failures.IsEmpty,
            Report(failures, inputs.Count, stopwatch.Elapsed));

        // Guards against a harness that silently analyzes nothing.
        Assert.True(diagnosticsSeen > 0, "The corpus produced no diagnostic at all.");
        Assert.True(fixers.Length == 0 || fixesApplied > 0, "No code fix was ever applied.");
    }

    private static async Task<(int Diagnostics, int Fixes)> CheckInputAsync(
        Input input,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        ImmutableArray<CodeFixProvider> fixers,
        ConcurrentBag<Failure> failures,
        CancellationToken cancellationToken)
    {
        var document = CreateDocument(input.Text);
        var compilation = await document.Project.GetCompilationAsync(cancellationToken);
        var (diagnostics, exceptions) = await AnalyzeAsync(compilation!, analyzers, cancellationToken);
        foreach (var (analyzer, exception) in exceptions)
        {
            failures.Add(new Failure(input, analyzer, exception));
        }

        var fixes = 0;
        var fixable = diagnostics
            .Where(d => d.Location.IsInSource && d.Id != "AD0001")
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Take(input.Text.Length > LargeSourceLength ? MaxFixedDiagnosticsPerLargeInput : MaxFixedDiagnosticsPerInput);
        foreach (var diagnostic in fixable)
        {
            foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var fixerName = fixer.GetType().Name + " on " + diagnostic.Id;
                try
                {
                    fixes += await ApplyFixesAsync(document, diagnostic, fixer, cancellationToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    failures.Add(new Failure(input, fixerName, exception.ToString()));
                }
            }
        }

        return (diagnostics.Length, fixes);
    }

    private static async Task<int> ApplyFixesAsync(Document document, Diagnostic diagnostic, CodeFixProvider fixer, CancellationToken cancellationToken)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await fixer.RegisterCodeFixesAsync(context);

        foreach (var action in actions)
        {
            foreach (var operation in await action.GetOperationsAsync(cancellationToken))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    foreach (var changed in apply.ChangedSolution.GetChanges(document.Project.Solution).GetProjectChanges().SelectMany(p => p.GetChangedDocuments()))
                    {
                        // Materialize the new text and tree: a fix that builds a broken tree fails here.
                        var newDocument = apply.ChangedSolution.GetDocument(changed)!;
                        var root = await newDocument.GetSyntaxRootAsync(cancellationToken);
                        _ = root!.ToFullString();
                    }
                }
            }
        }

        return actions.Count;
    }

    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, List<(string Analyzer, string Exception)> Exceptions)> AnalyzeAsync(
        Compilation compilation,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        CancellationToken cancellationToken)
    {
        var exceptions = new List<(string Analyzer, string Exception)>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, _) =>
            {
                lock (exceptions)
                {
                    exceptions.Add((analyzer.GetType().Name, exception.ToString()));
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);

        lock (exceptions)
        {
            foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
            {
                exceptions.Add(("AD0001", diagnostic.ToString()));
            }
        }

        return (diagnostics, exceptions);
    }

    private static Document CreateDocument(string text)
        => Base.Value.Solution
            .WithDocumentText(Base.Value.DocumentId, SourceText.From(text, Encoding.UTF8))
            .GetDocument(Base.Value.DocumentId)!;

    private static ImmutableArray<DiagnosticAnalyzer> DiscoverAnalyzers()
        => Discover<DiagnosticAnalyzer>(type => type.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)));

    private static ImmutableArray<CodeFixProvider> DiscoverFixers()
        => Discover<CodeFixProvider>(type => type.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)));

    private static ImmutableArray<T> Discover<T>(Func<Type, bool> isExported)
        where T : class
        => ShippedAssemblies
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => typeof(T).IsAssignableFrom(type) && !type.IsAbstract && isExported(type))
            .OrderBy(type => type.FullName, StringComparer.Ordinal)
            .Select(type => (T)Activator.CreateInstance(type)!)
            .ToImmutableArray();

    private static IReadOnlyList<Input> BuildInputs()
    {
        var originals = RepositoryFiles.GetRuleTestSources()
            .Select(source => new Input(source.ToString(), source.Text))
            .Concat(HostileInputs())
            .ToArray();

        var inputs = new List<Input>(originals);
        var mutated = 0;
        for (var index = 0; index < originals.Length; index++)
        {
            var original = originals[index];
            var seeds = original.Text.Length > LargeSourceLength ? SeedsPerLargeSource : SeedsPerSource;
            for (var seed = 0; seed < seeds && mutated < MaxMutatedInputs; seed++, mutated++)
            {
                inputs.Add(DeleteRandomTokens(original, seed: (index * 1_000) + seed));
            }
        }

        return inputs;
    }

    /// <summary>Deletes 1–5 random tokens (not their trivia) from the source.</summary>
    private static Input DeleteRandomTokens(Input original, int seed)
    {
        var random = new Random(seed);
        var tokens = CSharpSyntaxTree.ParseText(original.Text, ParseOptions)
            .GetRoot()
            .DescendantTokens()
            .Where(token => !token.IsKind(SyntaxKind.EndOfFileToken) && token.Span.Length > 0)
            .ToArray();
        if (tokens.Length == 0)
        {
            return new Input($"{original.Origin} (seed {seed}, nothing to delete)", original.Text);
        }

        var count = Math.Min(tokens.Length, random.Next(1, 6));
        var deleted = Enumerable.Range(0, count)
            .Select(_ => tokens[random.Next(tokens.Length)])
            .Distinct()
            .OrderByDescending(token => token.SpanStart)
            .ToArray();

        var text = new StringBuilder(original.Text);
        foreach (var token in deleted)
        {
            text.Remove(token.SpanStart, token.Span.Length);
        }

        var description = string.Join(", ", deleted.Reverse().Select(t => $"'{t.Text}'@{t.SpanStart}"));
        return new Input($"{original.Origin} (seed {seed}, deleted {description})", text.ToString());
    }

    private static IEnumerable<Input> HostileInputs()
    {
        yield return new Input("hostile: empty file", string.Empty);
        yield return new Input("hostile: only 'async'", "async");
        yield return new Input("hostile: only usings", "using System.Threading.Tasks;\nusing static System.Threading.Tasks.Task;\n");
        yield return new Input("hostile: unbalanced braces", """
            using System.Threading.Tasks;
            class C
            {
                async Task M(Task<int> t)
                {
                    { { if (t.Result > 0) { await t;
                    _ = t.Result; } } } } }
                }
                void N(Task t) { t.Wait(); {
            class D { async void E(Task t) => t.GetAwaiter().GetResult(
            """);

        var statements = new StringBuilder();
        for (var i = 0; i < 3_000; i++)
        {
            statements.AppendLine((i % 4) switch
            {
                0 => $"        var r{i} = t{i % 7}.Result;",
                1 => $"        if (t{i % 7}.IsCompleted) {{ x += t{i % 7}.Result; }} else {{ t{i % 7}.Wait(); }}",
                2 => $"        await t{i % 7};",
                _ => $"        x += {i};",
            });
        }

        var parameters = string.Join(", ", Enumerable.Range(0, 7).Select(i => $"Task<int> t{i}"));
        yield return new Input("hostile: 3000-statement async method", $$"""
            using System.Threading.Tasks;
            class Big
            {
                async Task<int> M({{parameters}})
                {
                    var x = 0;
            {{statements}}
                    return x;
                }

                int S({{parameters}})
                {
                    var x = 0;
            {{string.Join("\n", statements.ToString().Split('\n').Take(300)).Replace("await ", "_ = ", StringComparison.Ordinal)}}
                    return x;
                }
            }
            """);

        var terms = string.Join("+", Enumerable.Repeat("1", 5_000));
        yield return new Input("hostile: 5000-term expression", $$"""
            using System.Threading.Tasks;
            class Deep
            {
                const int K = {{terms}};
                async Task<int> M(Task<int> t) => {{terms}} + t.Result;
                int N(Task<int> t) => {{terms}} + t.Result;
            }
            """);

        var concatenation = string.Join(" + ", Enumerable.Range(0, 5_000).Select(i => i % 50 == 0 ? "t.Result" : $"\"s{i}\""));
        yield return new Input("hostile: huge string concatenation", $$"""
            using System.Threading.Tasks;
            class Concat
            {
                async Task<string> M(Task<string> t)
                {
                    await Task.Yield();
                    return {{concatenation}};
                }
            }
            """);

        yield return new Input("hostile: generated code", """
            // <auto-generated>
            //     This code was generated by a tool.
            // </auto-generated>
            using System.Threading;
            using System.Threading.Tasks;
            partial class Generated
            {
                async Task<int> M(Task<int> t) { Thread.Sleep(100); return t.Result; }
                int N(Task<int> t) => t.GetAwaiter().GetResult() + Task.Run(() => 1).Result;
            }
            """);

        yield return new Input("hostile: top-level statements", """
            using System.Threading;
            using System.Threading.Tasks;
            var t = Task.Run(() => 42);
            Thread.Sleep(100);
            System.Console.WriteLine(t.Result);
            await Task.WhenAll(t);
            Task.WaitAll(t, Task.Delay(1));
            _ = Task.WaitAny(new Task[] { t });
            """);

        yield return new Input("hostile: user-defined Task types", """
            namespace System.Threading.Tasks
            {
                class Task<T> { public T Result => default!; public void Wait() { } }
            }
            class C
            {
                async System.Threading.Tasks.Task M(System.Threading.Tasks.Task<int> t) { _ = t.Result; t.Wait(); }
            }
            """);

        // Nested local functions and explicitly typed lambdas (lambdas passed to overloaded methods would
        // make the compiler's own overload resolution exponential in the depth).
        var nested = new StringBuilder();
        for (var i = 0; i < NestingDepth; i++)
        {
            nested.Append($"async Task<int> L{i}() {{ Func<Task<int>> f{i} = async () => t.Result + await ");
        }

        nested.Append("t");
        for (var i = NestingDepth - 1; i >= 0; i--)
        {
            nested.Append($"; return await f{i}(); }} return await L{i}()");
        }

        yield return new Input($"hostile: {NestingDepth} nested local functions and lambdas", $$"""
            using System;
            using System.Threading.Tasks;
            class Nested
            {
                async Task<int> M(Task<int> t)
                {
                    {{nested}};
                }
            }
            """);

        yield return new Input("hostile: blocking waits in odd places", """
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            class Odd
            {
                static Task<int> T => Task.FromResult(1);
                int _field = T.Result;
                int Property { get => T.Result; set => T.Wait(); }
                Odd() : this(T.Result) { }
                Odd(int x) { _ = x; }
                ~Odd() { T.Wait(); }
                int this[int i] => T.GetAwaiter().GetResult();
                static implicit operator int(Odd o) => T.Result;
                event EventHandler? E { add { T.Wait(); } remove { } }
                async Task M(Task<int> t, ValueTask<int> v, Task<Task<int>> nested)
                {
                    lock (this) { _ = t.Result; }
                    unsafe { _ = t.Result; }
                    try { } catch when (t.Result > 0) { }
                    var q = from x in new[] { 1 } select t.Result + x;
                    _ = v.Result;
                    _ = nested.Result.Result;
                    _ = t.ConfigureAwait(false).GetAwaiter().GetResult();
                    _ = (t).Result!;
                    _ = t?.Result;
                    Func<int> f = () => t.Result;
                    int Local() => t.Result;
                    await t.ContinueWith(a => a.Result);
                    switch (t.Result) { case 1 when t.Result > 0: break; }
                    _ = t is { Result: 1 };
                    Task.WaitAll();
                    Task.WaitAll(null!);
                    _ = Task.WaitAny(t, t);
                    SemaphoreSlim s = new(1); s.Wait();
                    Thread.Sleep(0);
                    Thread.Sleep(TimeSpan.FromMilliseconds(1));
                    await Task.Yield();
                }
            }
            """);

        yield return new Input("hostile: preprocessor and malformed tokens", """
            #if DEBUG
            using System.Threading.Tasks;
            #else
            using System.Threading.Tasks
            #endif
            #pragma warning disable NOGIL201
            class P
            {
                async Task<int> M(Task<int> t) => t.Result;
            #pragma warning restore NOGIL201
                async Task<int> N(Task<int> t) => t.Result + "unterminated;
                async Task<int> O(Task<int> t) => t.\u0052esult + 'x;
            }
            """);
    }

    private static string Report(IEnumerable<Failure> failures, int inputCount, TimeSpan elapsed)
    {
        var list = failures.OrderBy(f => f.Input.Text.Length).ThenBy(f => f.Input.Origin, StringComparer.Ordinal).ToArray();
        var report = new StringBuilder()
            .AppendLine($"{list.Length} failure(s) over {inputCount} inputs in {elapsed.TotalSeconds:F0} s.")
            .AppendLine("Failing components: " + string.Join(", ", list.Select(f => f.Component).Distinct()));

        // The smallest failing inputs first: they are the best repros.
        foreach (var failure in list.GroupBy(f => (f.Component, FirstLine(f.Detail))).Select(g => g.First()).Take(5))
        {
            report.AppendLine()
                .AppendLine($"--- {failure.Component} on {failure.Input.Origin}")
                .AppendLine(failure.Input.Text.Length <= 3_000 ? failure.Input.Text : failure.Input.Text[..3_000] + "\n[… truncated]")
                .AppendLine("--- exception:")
                .AppendLine(failure.Detail);
        }

        return report.ToString();
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }

    private sealed record Input(string Origin, string Text);

    /// <summary>Proves that the harness sees analyzer exceptions at all. Lives in this test only, never shipped.</summary>
#pragma warning disable RS1036, RS2008 // Extended analyzer rules and release tracking are for shipped analyzers.
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Descriptor = new("TEST0001", "Throws", "Throws", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("Thrown on purpose."), SyntaxKind.MethodDeclaration);
        }
    }
#pragma warning restore RS1036, RS2008

    private sealed record BaseProject(Solution Solution, DocumentId DocumentId, Compilation Compilation)
    {
        public static BaseProject Create()
        {
            var projectId = ProjectId.CreateNewId();
            var documentId = DocumentId.CreateNewId(projectId);
            var solution = new AdhocWorkspace().CurrentSolution
                .AddProject(ProjectInfo.Create(
                    projectId,
                    VersionStamp.Default,
                    name: "Input",
                    assemblyName: "Input",
                    LanguageNames.CSharp,
                    compilationOptions: CompilationOptions,
                    parseOptions: ParseOptions,
                    metadataReferences: References.Value))
                .AddDocument(documentId, "Input.cs", SourceText.From(string.Empty, Encoding.UTF8));

            // Bind the references once; the compilation is held here so that forks of the solution start from it.
            var compilation = solution.GetProject(projectId)!.GetCompilationAsync(CancellationToken.None).GetAwaiter().GetResult()!;
            _ = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
            return new BaseProject(solution, documentId, compilation);
        }
    }

    private sealed record Failure(Input Input, string Component, string Detail);
}
