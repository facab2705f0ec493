using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Blocking;
using NoGil.Analyzers.Rules.Kernels;
using NoGil.Analyzers.Rules.Locks;
using NoGil.Analyzers.Tests.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using NoGil.CodeFixes.Rules.Blocking;
using NoGil.CodeFixes.Rules.Kernels;
using Xunit;

namespace NoGil.Analyzers.Tests.Rules.Bulk;

/// <summary>
/// What every fix guarantees in bulk (Fix All, <c>dotnet format</c>): one pass applies each diagnostic's own preferred
/// fix whatever its kind, a second pass changes nothing; fixes that reorder floating-point operations are applied in bulk
/// only where the project opted in (<c>nogil.float_reassociation = bulk</c>), and are always offered one at a time.
/// Every pass here is <see cref="DotnetFormatPass"/>, which runs the fixers the way the SDK's formatter does.
/// </summary>
public sealed class BulkFixTests
{
    private const string Collatz = """
            static int Collatz(long n)
            {
                int steps = 0;
                while (n > 1)
                {
                    n = (n & 1) == 0 ? n / 2 : (3 * n) + 1;
                    steps++;
                }

                return steps;
            }
        """;

    private static IEnumerable<MetadataReference> WithTensors => TestReferences.Runtime.Add(TestReferences.TensorsRuntime);

    // ---- One pass converges, whatever fix kinds a rule mixes ----

    [Fact]
    public async Task OnePass_AppliesEachDiagnosticsOwnFixKind_Nogil201()
    {
        // NOGIL201 announces AwaitTask for '.Result' and AwaitWhenAll for 'Task.WaitAll': two fix kinds of one rule.
        const string source = """
            using System.Threading.Tasks;

            public static class C
            {
                public static async Task<int> OneAsync(Task<int> task)
                {
                    await Task.Yield();
                    return task.Result;
                }

                public static async Task<int> BothAsync(Task<int> a, Task<int> b)
                {
                    await Task.Yield();
                    Task.WaitAll(a, b);
                    return 0;
                }
            }
            """;
        var (analyzers, fixers) = Rule(new UseAwaitInsteadOfBlockingWaitAnalyzer(), new UseAwaitInsteadOfBlockingWaitFixer());
        var solution = DotnetFormatPass.CreateSolution(source, TestReferences.Runtime);
        var before = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
        Assert.Equal(
            new[] { FixKind.AwaitTask, FixKind.AwaitWhenAll },
            before.Select(d => DiagnosticProperties.GetPreferredFix(d)!.Value).ToArray());

        var fixedText = await AssertConvergesInOnePassAsync(solution, analyzers, fixers);
        Assert.Contains("return await task;", fixedText, StringComparison.Ordinal);
        Assert.Contains("await Task.WhenAll(a, b);", fixedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnePass_AppliesEachDiagnosticsOwnFixKind_Nogil302()
    {
        // The first loop maps to TensorPrimitives.Add (preferred, Vector<T> as the alternative); the second maps to no
        // TensorPrimitives call and gets a Vector<T> loop. Before the rule-wide key, one pass applied only one of them.
        const string source = """
            public static class C
            {
                public static void Add(float[] a, float[] b, float[] sum)
                {
                    for (int i = 0; i < sum.Length; i++)
                    {
                        sum[i] = a[i] + b[i];
                    }
                }

                public static void Mixed(float[] a, float[] b, float[] dst)
                {
                    for (int i = 0; i < dst.Length; i++)
                    {
                        dst[i] = (a[i] + b[i]) * (a[i] - b[i]);
                    }
                }
            }
            """;
        var (analyzers, fixers) = Rule(new VectorizeLoopAnalyzer(), new VectorizeLoopFixer());
        var solution = DotnetFormatPass.CreateSolution(source, WithTensors);
        var kinds = (await DotnetFormatPass.AnalyzeAsync(solution, analyzers)).Select(d => DiagnosticProperties.GetPreferredFix(d)).ToArray();
        Assert.Equal(new FixKind?[] { FixKind.TensorPrimitives, FixKind.VectorLoop }, kinds);

        var fixedText = await AssertConvergesInOnePassAsync(solution, analyzers, fixers);
        Assert.Contains("TensorPrimitives.Add(", fixedText, StringComparison.Ordinal);
        Assert.Contains("Vector<float>", fixedText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnePass_FixesTheRuleWhenItsFirstDiagnosticHasNoFix()
    {
        // dotnet format takes the key of the first action of the rule's first diagnostic: a float maximum without
        // System.Numerics.Tensors has no fix, so it passes no key at all. The integer sum after it is fixed anyway.
        const string source = """
            public static class C
            {
                public static float Max(float[] a)
                {
                    float max = float.NegativeInfinity;
                    for (int i = 0; i < a.Length; i++)
                    {
                        max = System.Math.Max(max, a[i]);
                    }

                    return max;
                }

                public static int Total(int[] values)
                {
                    int total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        total += values[i];
                    }

                    return total;
                }
            }
            """;
        var (analyzers, fixers) = Rule(new VectorizeReductionAnalyzer(), new VectorizeReductionFixer());
        var solution = DotnetFormatPass.CreateSolution(source, TestReferences.Runtime);
        var before = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
        Assert.Equal(2, before.Length);
        Assert.True(DiagnosticProperties.GetFixes(before[0]).IsEmpty, "the first diagnostic has no fix");

        var after = await DotnetFormatPass.RunAsync(solution, analyzers, fixers);
        var text = await DotnetFormatPass.TextAsync(after);
        Assert.Contains("Vector.Sum(vsum)", text, StringComparison.Ordinal);
        var left = await DotnetFormatPass.AnalyzeAsync(after, analyzers);
        Assert.All(left, d => Assert.True(DiagnosticProperties.GetFixes(d).IsEmpty, "a fixable diagnostic is left: " + d));
    }

    [Fact]
    public async Task AlternativeKey_FixAllAppliesThatKindWhereAnnounced()
    {
        // The light bulb's "Fix all" of the alternative Vector<T> action applies Vector<T> loops, not TensorPrimitives.
        const string source = """
            public static class C
            {
                public static void Add(float[] a, float[] b, float[] sum)
                {
                    for (int i = 0; i < sum.Length; i++)
                    {
                        sum[i] = a[i] + b[i];
                    }
                }

                public static void Sub(float[] a, float[] b, float[] diff)
                {
                    for (int i = 0; i < diff.Length; i++)
                    {
                        diff[i] = a[i] - b[i];
                    }
                }
            }
            """;
        var fixer = new VectorizeLoopFixer();
        var solution = DotnetFormatPass.CreateSolution(source, WithTensors);
        var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, ImmutableArray.Create<DiagnosticAnalyzer>(new VectorizeLoopAnalyzer()));
        Assert.Equal(2, diagnostics.Length);
        var actions = await ActionsAsync(solution, fixer, diagnostics[0]);
        Assert.Equal(
            new[] { NoGilCodeFixProvider.RuleKey("NOGIL302"), NoGilCodeFixProvider.EquivalenceKey("NOGIL302", FixKind.VectorLoop) },
            actions.Select(a => a.EquivalenceKey).ToArray());

        var text = await FixAllAsync(solution, fixer, diagnostics, NoGilCodeFixProvider.EquivalenceKey("NOGIL302", FixKind.VectorLoop));
        Assert.DoesNotContain("TensorPrimitives", text, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(text, "i += Vector<float>.Count"));
    }

    [Fact]
    public async Task CrossRule_AFixThatCreatesAnotherRulesDiagnostic_IsLeftForASecondPass()
    {
        // Documented in docs/code-review.md: NOGIL203 makes Run async; only then is its Thread.Sleep a NOGIL202, which
        // dotnet format did not see reported when the pass began. A second pass fixes it, and a third changes nothing.
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                static Task<string> LoadAsync() => Task.FromResult("x");

                public int Length()
                {
                    Thread.Sleep(10);
                    var s = LoadAsync().Result;
                    return s.Length;
                }

                async Task<int> Caller()
                {
                    await Task.Yield();
                    return Length();
                }
            }
            """;
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new MakeMethodAsyncAnalyzer(), new UseAsyncTwinAnalyzer());
        var fixers = ImmutableArray.Create<CodeFixProvider>(new MakeMethodAsyncFixer(), new UseAsyncTwinFixer());
        var solution = DotnetFormatPass.CreateSolution(source, TestReferences.Runtime);
        Assert.Equal(new[] { "NOGIL203" }, (await DotnetFormatPass.AnalyzeAsync(solution, analyzers)).Select(d => d.Id).ToArray());

        var once = await DotnetFormatPass.RunAsync(solution, analyzers, fixers);
        var left = await DotnetFormatPass.AnalyzeAsync(once, analyzers);
        Assert.Equal(new[] { "NOGIL202" }, left.Select(d => d.Id).ToArray());

        var twice = await DotnetFormatPass.RunAsync(once, analyzers, fixers);
        var text = await DotnetFormatPass.TextAsync(twice);
        Assert.Contains("await Task.Delay(10", text, StringComparison.Ordinal);
        Assert.Empty(await DotnetFormatPass.AnalyzeAsync(twice, analyzers));
        Assert.Equal(text, await DotnetFormatPass.TextAsync(await DotnetFormatPass.RunAsync(twice, analyzers, fixers)));
    }

    // ---- Reassociation: light bulb always, bulk only where opted in ----

    private const string FloatSum = """
        public static class C
        {
            public static double Total(double[] a)
            {
                double sum = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    sum += a[i];
                }

                return sum;
            }

            public static int Count(int[] a)
            {
                int total = 0;
                for (int i = 0; i < a.Length; i++)
                {
                    total += a[i];
                }

                return total;
            }
        }
        """;

    [Theory]
    [InlineData(null, false)]
    [InlineData("nogil.float_reassociation = interactive", false)]
    [InlineData("nogil.float_reassociation = bulk", true)]
    [InlineData("nogil.float_reassociation = BULK", true)]
    [InlineData("NOGIL303.allow_float_reassociation = true", false)]
    [InlineData("NOGIL303.allow_float_reassociation = false\nnogil.float_reassociation = bulk", true)]
    public async Task Nogil303_FloatSum_FixAllAppliesItOnlyWhereTheProjectOptedIn(string? editorConfig, bool appliedInBulk)
    {
        var (analyzers, fixers) = Rule(new VectorizeReductionAnalyzer(), new VectorizeReductionFixer());
        var solution = DotnetFormatPass.CreateSolution(FloatSum, TestReferences.Runtime, editorConfig);
        var before = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
        Assert.Equal(2, before.Length);
        Assert.Equal(!appliedInBulk, !DiagnosticProperties.AppliesInBulk(before[0]));
        Assert.True(DiagnosticProperties.AppliesInBulk(before[1]), "an integer sum is exact: always applied in bulk");

        // The light bulb offers the fix whatever the option, as long as it is reported.
        var single = Assert.Single(await ActionsAsync(solution, fixers[0], before[0]));
        Assert.Equal(NoGilCodeFixProvider.RuleKey("NOGIL303"), single.EquivalenceKey);
        var fixedOne = await ApplyAsync(solution, single);
        Assert.Equal(1, CountOf(fixedOne, "Vector.Sum(vsum)"));
        Assert.Contains("Vector<double>", fixedOne, StringComparison.Ordinal);

        var after = await DotnetFormatPass.RunAsync(solution, analyzers, fixers);
        var text = await DotnetFormatPass.TextAsync(after);
        Assert.Contains("Vector<int>", text, StringComparison.Ordinal);
        Assert.Equal(appliedInBulk, text.Contains("Vector<double>", StringComparison.Ordinal));
        var left = await DotnetFormatPass.AnalyzeAsync(after, analyzers);
        Assert.Equal(appliedInBulk ? 0 : 1, left.Length);

        // A second pass changes nothing.
        Assert.Equal(text, await DotnetFormatPass.TextAsync(await DotnetFormatPass.RunAsync(after, analyzers, fixers)));
    }

    [Theory]
    [InlineData("nogil.float_reassociation = never")]
    [InlineData("NOGIL303.allow_float_reassociation = false")]
    public async Task Nogil303_Never_NotReported(string editorConfig)
    {
        var solution = DotnetFormatPass.CreateSolution(FloatSum, TestReferences.Runtime, editorConfig);
        var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, ImmutableArray.Create<DiagnosticAnalyzer>(new VectorizeReductionAnalyzer()));
        var only = Assert.Single(diagnostics);
        Assert.Contains("'a'", only.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("rounding", only.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nogil303_SwitchWinsOverTheOldBoolean()
    {
        var solution = DotnetFormatPass.CreateSolution(FloatSum, TestReferences.Runtime, "NOGIL303.allow_float_reassociation = false\nnogil.float_reassociation = interactive");
        var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, ImmutableArray.Create<DiagnosticAnalyzer>(new VectorizeReductionAnalyzer()));
        Assert.Equal(2, diagnostics.Length);
        Assert.False(DiagnosticProperties.AppliesInBulk(diagnostics[0]));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("nogil.float_reassociation = bulk", true)]
    public async Task Nogil301_FloatSum_FixAllAppliesItOnlyWhereTheProjectOptedIn(string? editorConfig, bool appliedInBulk)
    {
        var source = $$"""
            public static class C
            {
                public static double Total(double[] values)
                {
                    double total = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        total += Collatz((long)values[i]) * 0.5;
                    }

                    return total;
                }

                public static long Steps(long[] values)
                {
                    long steps = 0;
                    for (int i = 0; i < values.Length; i++)
                    {
                        steps += Collatz(values[i]);
                    }

                    return steps;
                }

            {{Collatz}}
            }
            """;
        var (analyzers, fixers) = Rule(new ParallelizeLoopAnalyzer(), new ParallelizeLoopFixer());
        var solution = DotnetFormatPass.CreateSolution(source, TestReferences.Runtime, editorConfig);
        var before = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
        Assert.Equal(2, before.Length);
        Assert.Single(await ActionsAsync(solution, fixers[0], before[0]));

        var after = await DotnetFormatPass.RunAsync(solution, analyzers, fixers);
        var text = await DotnetFormatPass.TextAsync(after);
        Assert.Contains("Interlocked.Add(ref steps", text, StringComparison.Ordinal);
        Assert.Equal(appliedInBulk, text.Contains("localTotal", StringComparison.Ordinal));
        Assert.Equal(appliedInBulk ? 0 : 1, (await DotnetFormatPass.AnalyzeAsync(after, analyzers)).Length);
    }

    [Fact]
    public async Task BatchFixAll_SkipsInteractiveOnlyDiagnostics()
    {
        // A batch-mode fixer (NOGIL201) given a diagnostic marked interactive-only leaves it, and fixes the others.
        const string source = """
            using System.Threading.Tasks;

            public static class C
            {
                public static async Task<int> OneAsync(Task<int> task)
                {
                    await Task.Yield();
                    return task.Result;
                }

                public static async Task<int> TwoAsync(Task<int> task)
                {
                    await Task.Yield();
                    return task.Result;
                }
            }
            """;
        var fixer = new UseAwaitInsteadOfBlockingWaitFixer();
        var solution = DotnetFormatPass.CreateSolution(source, TestReferences.Runtime);
        var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, ImmutableArray.Create<DiagnosticAnalyzer>(new UseAwaitInsteadOfBlockingWaitAnalyzer()));
        Assert.Equal(2, diagnostics.Length);
        var marked = Diagnostic.Create(diagnostics[0].Descriptor, diagnostics[0].Location, diagnostics[0].Properties.SetItem(DiagnosticProperties.InteractiveOnlyKey, "true"));
        var text = await FixAllAsync(solution, fixer, ImmutableArray.Create(marked, diagnostics[1]), NoGilCodeFixProvider.RuleKey("NOGIL201"));
        Assert.Equal(1, CountOf(text, "return task.Result;"));
        Assert.Equal(1, CountOf(text, "return await task;"));
    }

    // ---- Every message of a floating-point reduction declares the reassociation ----

    /// <summary>
    /// Every variant of every message that can speak of a floating-point sum or product: NOGIL301 fixed (per index,
    /// foreach, product), not fixed (an in parameter, several reductions); NOGIL303 with TensorPrimitives, with Vector&lt;T&gt;, and
    /// with no fix (a bound that may be negative, a start evaluated twice); NOGIL103 (reported, never fixed).
    /// </summary>
    public static TheoryData<string, string> FloatReductionSources => new()
    {
        { "NOGIL301 fixed, sum", $$"""
            public static class C
            {
                public static double Run(double[] a)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) { s += Collatz((long)a[i]) * 0.5; }
                    return s;
                }
            {{Collatz}}
            }
            """ },
        { "NOGIL301 fixed, foreach", $$"""
            public static class C
            {
                public static float Run(long[] a)
                {
                    float s = 0;
                    foreach (var x in a) { s += Collatz(x) * 0.5f; }
                    return s;
                }
            {{Collatz}}
            }
            """ },
        { "NOGIL301 fixed, product", $$"""
            public static class C
            {
                public static double Run(double[] a)
                {
                    double p = 1;
                    for (int i = 0; i < a.Length; i++) { p *= 1.0 + Collatz((long)a[i]) * 1e-9; }
                    return p;
                }
            {{Collatz}}
            }
            """ },
        { "NOGIL301 not fixed, in parameter", $$"""
            public static class C
            {
                public static double Run(double[] a, in double scale)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) { s += Collatz((long)a[i]) * scale; }
                    return s;
                }
            {{Collatz}}
            }
            """ },
        { "NOGIL301 not fixed, several reductions", $$"""
            public static class C
            {
                public static double Run(double[] a)
                {
                    double s = 0, t = 1;
                    for (int i = 0; i < a.Length; i++) { s += Collatz((long)a[i]) * 0.5; t *= 1.0 + Collatz((long)a[i]) * 1e-9; }
                    return s + t;
                }
            {{Collatz}}
            }
            """ },
        { "NOGIL303 TensorPrimitives", """
            public static class C
            {
                public static float Run(float[] a)
                {
                    float s = 0;
                    for (int i = 0; i < a.Length; i++) { s += a[i]; }
                    return s;
                }
            }
            """ },
        { "NOGIL303 Vector, dot", """
            public static class C
            {
                public static double Run(System.ReadOnlySpan<double> a, System.ReadOnlySpan<double> b)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++) { s += a[i] * b[i]; }
                    return s;
                }
            }
            """ },
        { "NOGIL303 no fix, bound may be negative", """
            public static class C
            {
                public static double Run(double[] a, int n)
                {
                    double s = 0;
                    for (int i = 0; i < n; i++) { s += a[i] * a[i]; }
                    return s;
                }
            }
            """ },
        { "NOGIL303 no fix, start evaluated twice", """
            public static class C
            {
                private static int _next;
                private static int Next() => _next++;

                public static double Run(double[] a)
                {
                    double s = 0;
                    for (int i = Next(); i < a.Length; i++) { s += System.Math.Abs(a[i]); }
                    return s;
                }
            }
            """ },
        { "NOGIL103 lock", """
            using System.Threading.Tasks;

            public static class C
            {
                public static double Run(double[] a)
                {
                    double s = 0;
                    var g = new object();
                    Parallel.For(0, a.Length, i => { lock (g) { s += a[i]; } });
                    return s;
                }
            }
            """ },
    };

    [Theory]
    [MemberData(nameof(FloatReductionSources))]
    public async Task FloatReductionMessage_SaysRoundingMayDiffer(string variant, string source)
    {
        foreach (var withTensors in new[] { false, true })
        {
            var solution = DotnetFormatPass.CreateSolution(source, withTensors ? WithTensors : TestReferences.Runtime);
            var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
                new ParallelizeLoopAnalyzer(), new VectorizeReductionAnalyzer(), new UseThreadLocalAggregationAnalyzer());
            var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, analyzers);
            var expectedId = variant.Substring(0, 8);
            var diagnostic = Assert.Single(diagnostics, d => d.Id == expectedId);
            var message = diagnostic.GetMessage();
            Assert.True(message.Contains("rounding may differ", StringComparison.Ordinal), variant + ": " + message);
            Assert.DoesNotContain("last bits", message, StringComparison.Ordinal);
            // Without System.Numerics.Tensors (with it, a bound that may be negative gets a guarded TensorPrimitives call).
            if (!withTensors && (variant.Contains("no fix", StringComparison.Ordinal) || variant.Contains("not fixed", StringComparison.Ordinal)))
            {
                Assert.True(DiagnosticProperties.GetFixes(diagnostic).IsEmpty, variant + ": expected no fix");
            }
        }
    }

    [Fact]
    public async Task IntegerReductionMessage_SaysNothingAboutRounding()
    {
        var solution = DotnetFormatPass.CreateSolution(FloatSum.Replace("double", "long", StringComparison.Ordinal), TestReferences.Runtime);
        var diagnostics = await DotnetFormatPass.AnalyzeAsync(solution, ImmutableArray.Create<DiagnosticAnalyzer>(new VectorizeReductionAnalyzer()));
        Assert.Equal(2, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.DoesNotContain("rounding", d.GetMessage(), StringComparison.Ordinal));
        Assert.All(diagnostics, d => Assert.True(DiagnosticProperties.AppliesInBulk(d)));
    }

    // ---- helpers ----

    private static (ImmutableArray<DiagnosticAnalyzer> Analyzers, ImmutableArray<CodeFixProvider> Fixers) Rule(DiagnosticAnalyzer analyzer, CodeFixProvider fixer)
        => (ImmutableArray.Create(analyzer), ImmutableArray.Create(fixer));

    /// <summary>One pass; a second changes nothing; no fixable diagnostic is left. Returns the text after the first.</summary>
    private static async Task<string> AssertConvergesInOnePassAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers)
    {
        var once = await DotnetFormatPass.RunAsync(solution, analyzers, fixers);
        var text = await DotnetFormatPass.TextAsync(once);
        var left = await DotnetFormatPass.AnalyzeAsync(once, analyzers);
        Assert.True(left.All(d => DiagnosticProperties.GetFixes(d).IsEmpty), "fixable diagnostics left after one pass: " + string.Join("; ", left) + "\n" + text);
        var twice = await DotnetFormatPass.TextAsync(await DotnetFormatPass.RunAsync(once, analyzers, fixers));
        Assert.Equal(text, twice);
        var compilation = (await once.Projects.Single().GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return text;
    }

    private static async Task<List<CodeAction>> ActionsAsync(Solution solution, CodeFixProvider fixer, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
        return actions;
    }

    private static async Task<string> ApplyAsync(Solution solution, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        return await DotnetFormatPass.TextAsync(operations.OfType<ApplyChangesOperation>().Single().ChangedSolution);
    }

    /// <summary>Fix All in document scope with <paramref name="key"/> over <paramref name="diagnostics"/>.</summary>
    private static async Task<string> FixAllAsync(Solution solution, CodeFixProvider fixer, ImmutableArray<Diagnostic> diagnostics, string key)
    {
        var document = solution.Projects.Single().Documents.Single();
        var context = new FixAllContext(document, fixer, FixAllScope.Document, key, fixer.FixableDiagnosticIds, new Diagnostics(diagnostics), CancellationToken.None);
        var action = await fixer.GetFixAllProvider()!.GetFixAsync(context);
        Assert.NotNull(action);
        return await ApplyAsync(solution, action!);
    }

    private static int CountOf(string text, string value)
    {
        var count = 0;
        for (var index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private sealed class Diagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) => Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
