using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NoGil.AnalyzerCost;

/// <summary>
/// <c>--floor</c>: analyzers that do nothing but the least any loop analysis must do, measured in the same run as the
/// builds and the peer — the floor under the kernel rules' cost. They report nothing.
/// <list type="bullet">
/// <item><see cref="PerLoopCallbackFloor"/>: an operation callback per loop that returns at once (the driver's dispatch).</item>
/// <item><see cref="PerLoopWalkFloor"/>: a walk of every loop's body, once per loop (a triple nest's innermost body three
/// times), touching each operation once: what a per-loop screen costs at the least.</item>
/// <item><see cref="PerBodyWalkFloor"/>: a walk of every operation block, once: what one pass per function costs at the least.</item>
/// </list>
/// </summary>
internal static class FloorAnalyzers
{
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } =
        ImmutableArray.Create<DiagnosticAnalyzer>(new PerLoopCallbackFloor(), new PerLoopWalkFloor(), new PerBodyWalkFloor());

    /// <summary>What the walks read, so that the JIT keeps them.</summary>
    private static long _sink;

    public static long Sink => Interlocked.Read(ref _sink);

    private static DiagnosticDescriptor Descriptor(string id)
        => new(id, "Floor", "Floor", "Measurement", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    private static long Walk(IEnumerable<IOperation> roots)
    {
        long sum = 0;
        var stack = new Stack<IOperation>();
        foreach (var root in roots)
        {
            stack.Push(root);
        }

        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            sum += (int)operation.Kind;
            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return sum;
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class PerLoopCallbackFloor : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = Descriptor("FLOOR1");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => { }, OperationKind.Loop);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class PerLoopWalkFloor : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = Descriptor("FLOOR2");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(c => Interlocked.Add(ref _sink, Walk(new[] { ((ILoopOperation)c.Operation).Body })), OperationKind.Loop);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class PerBodyWalkFloor : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = Descriptor("FLOOR3");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationBlockAction(c => Interlocked.Add(ref _sink, Walk(c.OperationBlocks)));
        }
    }
}
