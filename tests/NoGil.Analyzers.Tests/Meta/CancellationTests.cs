using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using Xunit;

namespace NoGil.Analyzers.Tests.Meta;

/// <summary>
/// Analyzers and fixers honour the cancellation token: with a token that is already cancelled, the shared
/// analysis layer, every analyzer and every fixer stop with <see cref="OperationCanceledException"/> instead of
/// running to completion. (The IDE cancels on every keystroke; work that ignores the token burns a core.)
/// </summary>
public sealed class CancellationTests
{
    // One violation of every rule with a code fix (the same source as the end-to-end check in .ci/run).
    private const string Source = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Runtime.CompilerServices;
        using System.Security.Cryptography;
        using System.Threading;
        using System.Threading.Tasks;

        public static class Violations
        {
            // NOGIL201: blocking wait in async code.
            public static async Task<int> BlockOnResultAsync(Task<int> task)
            {
                await Task.Yield();
                return task.Result;
            }

            // NOGIL202: thread-blocking call in async code.
            public static async Task SleepInAsyncCode()
            {
                Thread.Sleep(100);
                await Task.Yield();
            }

            // NOGIL205: an asynchronously disposable stream disposed synchronously in async code.
            public static async Task SaveAsync(System.IO.Stream stream, byte[] data)
            {
                using (stream)
                {
                    await stream.WriteAsync(data, 0, data.Length);
                }
            }

            // NOGIL203: sync-over-async in a synchronous method.
            internal static int BlockInSyncCode() => ComputeAsync().GetAwaiter().GetResult();

            // NOGIL204: offload, then block on the offloaded work.
            public static int OffloadThenBlock() => Task.Run(() => Compute()).Result;

            private static int Compute() => 42;

            private static readonly object Gate = new object();
            private static readonly Dictionary<int, byte[]> Digests = new Dictionary<int, byte[]>();

            // NOGIL101: CPU work that needs no lock, inside a critical section.
            public static void Remember(int key, byte[] payload)
            {
                lock (Gate)
                {
                    var digest = SHA256.HashData(payload);
                    Digests[key] = digest;
                }
            }

            // NOGIL102: every parallel iteration does its work under one shared lock.
            public static List<long> SimulateAll(int n)
            {
                var results = new List<long>();
                Parallel.For(0, n, i =>
                {
                    lock (Gate)
                    {
                        results.Add(Simulate(i));
                    }
                });
                return results;
            }

            // NOGIL103: a per-iteration synchronized reduction.
            public static long Total(int[] items)
            {
                long total = 0;
                Parallel.ForEach(items, x => Interlocked.Add(ref total, x * 3L));
                return total;
            }

            // NOGIL302: an element-wise loop that Vector<T> runs several lanes at a time.
            public static void Add(float[] a, float[] b, float[] sum)
            {
                for (int i = 0; i < sum.Length; i++)
                {
                    sum[i] = a[i] + b[i];
                }
            }

            // NOGIL303: a reduction that Vector<T> runs several lanes at a time.
            public static int Sum(int[] values)
            {
                int sum = 0;
                for (int i = 0; i < values.Length; i++)
                {
                    sum += values[i];
                }

                return sum;
            }

            private static long Simulate(int seed)
            {
                long s = seed;
                for (var k = 0; k < 1000; k++) s = (s * 31) + k;
                return s;
            }

            private static async Task<int> ComputeAsync()
            {
                await Task.Yield();
                return Compute();
            }
        }

        public sealed class MedianLog
        {
            private readonly List<double> _medians = new List<double>();

            // NOGIL104: a synchronized method that sorts.
            [MethodImpl(MethodImplOptions.Synchronized)]
            public void Add(double[] batch)
            {
                var sorted = batch.OrderBy(x => x).ToArray();
                _medians.Add(sorted[sorted.Length / 2]);
            }
        }

        public static class Kernels
        {
            // NOGIL301: independent iterations, each running a loop of its own, one after another.
            public static int[] CollatzLengths(long[] seeds)
            {
                var lengths = new int[seeds.Length];
                for (int i = 0; i < seeds.Length; i++)
                {
                    lengths[i] = Collatz(seeds[i]);
                }

                return lengths;
            }

            private static int Collatz(long n)
            {
                int steps = 0;
                while (n > 1)
                {
                    n = (n & 1) == 0 ? n / 2 : (3 * n) + 1;
                    steps++;
                }

                return steps;
            }
        }
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() => Infrastructure.TestReferences.Runtime);

    public static TheoryData<string> FixerNames => new(RuleCatalog.Fixers.Select(f => f.GetType().Name));

    [Fact]
    public void Scan_StopsOnACancelledToken()
    {
        var (root, types, _) = MethodBody("BlockOnResultAsync");
        Assert.Equal(CandidateScan.Candidate, TaskCompletionFlow.Scan(root, types, 0, CancellationToken.None));
        Assert.ThrowsAny<OperationCanceledException>(() => TaskCompletionFlow.Scan(root, types, 0, Cancelled()));
    }

    [Fact]
    public void FlowAnalysis_StopsOnACancelledToken()
    {
        var (root, types, method) = MethodBody("BlockOnResultAsync");
        var graph = ControlFlowGraph.Create((IMethodBodyOperation)root);
        Assert.NotEmpty(TaskCompletionFlow.Analyze(graph, root, method, types, CancellationToken.None));
        Assert.ThrowsAny<OperationCanceledException>(() => TaskCompletionFlow.Analyze(graph, root, method, types, Cancelled()));
    }

    [Fact]
    public void AsyncTwinRecognizer_StopsOnACancelledToken()
    {
        var (root, types, method) = MethodBody("SleepInAsyncCode");
        var sleep = root.Descendants().OfType<IInvocationOperation>().Single(i => i.TargetMethod.Name == "Sleep");
        Assert.NotNull(AsyncTwinCall.TryCreate(sleep, types, method, CancellationToken.None));
        Assert.ThrowsAny<OperationCanceledException>(() => AsyncTwinCall.TryCreate(sleep, types, method, Cancelled()));
    }

    [Fact]
    public async Task Analyzers_StopOnACancelledToken()
    {
        var compilation = await CreateDocument().Project.GetCompilationAsync(CancellationToken.None);
        var withAnalyzers = compilation!.WithAnalyzers(RuleCatalog.Analyzers);
        Assert.NotEmpty(await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => compilation!.WithAnalyzers(RuleCatalog.Analyzers).GetAnalyzerDiagnosticsAsync(Cancelled()));
    }

    [Theory]
    [MemberData(nameof(FixerNames))]
    public async Task Fixer_StopsOnACancelledToken(string fixerName)
    {
        var fixer = RuleCatalog.Fixers.Single(f => f.GetType().Name == fixerName);
        var document = CreateDocument();

        // Warm the document's tree and semantic model, so that only the fixer's own code can notice the token.
        _ = await document.GetSyntaxRootAsync(CancellationToken.None);
        var compilation = await document.Project.GetCompilationAsync(CancellationToken.None);
        _ = await document.GetSemanticModelAsync(CancellationToken.None);
        var diagnostics = await compilation!.WithAnalyzers(RuleCatalog.Analyzers).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        var diagnostic = diagnostics.First(d => fixer.FixableDiagnosticIds.Contains(d.Id));

        // With a live token the fixer offers an action ...
        var actions = new List<CodeAction>();
        await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.NotEmpty(actions);

        // ... with a cancelled one it stops, when registering and when computing the change.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (_, _) => { }, Cancelled())));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => actions[0].GetOperationsAsync(Cancelled()));
    }

    private static CancellationToken Cancelled() => new(canceled: true);

    private static (IOperation Root, KnownTypes Types, IMethodSymbol Method) MethodBody(string name)
    {
        var tree = CSharpSyntaxTree.ParseText(Source);
        var compilation = CSharpCompilation.Create("Input", new[] { tree }, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var model = compilation.GetSemanticModel(tree);
        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.ValueText == name);
        return (model.GetOperation(declaration)!, KnownTypes.For(compilation), model.GetDeclaredSymbol(declaration)!);
    }

    private static Document CreateDocument()
    {
        var projectId = ProjectId.CreateNewId();
        var documentId = DocumentId.CreateNewId(projectId);
        return new AdhocWorkspace().CurrentSolution
            .AddProject(ProjectInfo.Create(
                projectId,
                VersionStamp.Default,
                name: "Input",
                assemblyName: "Input",
                LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary),
                metadataReferences: References.Value))
            .AddDocument(documentId, "Violations.cs", SourceText.From(Source))
            .GetDocument(documentId)!;
    }
}
