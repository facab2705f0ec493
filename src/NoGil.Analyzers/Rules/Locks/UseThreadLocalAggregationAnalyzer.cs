using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL103: a parallel loop folds every iteration's value into one shared accumulator under a lock or Interlocked.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseThreadLocalAggregationAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.UseThreadLocalAggregation,
        title: "Aggregate per worker instead of synchronizing every iteration",
        messageFormat: "Every {0} iteration {1} '{2}', so the workers contend for it once per item; keep a partial result per worker (localInit/localFinally) and merge once per worker{3}",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "Updating one shared accumulator under a lock, or with Interlocked, in every iteration of a parallel loop makes all workers fight over one lock or cache line. The Parallel.For/ForEach overloads with localInit and localFinally keep a partial result per worker and merge it once.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override bool IsApplicable(KnownTypes types) => types.Parallel is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationAction(
            c =>
            {
                var loop = (IInvocationOperation)c.Operation;
                if (loop.TargetMethod.Name is not ("For" or "ForEach")
                    || ParallelReduction.For(loop, types, purity, c.CancellationToken) is not { } reduction
                    || !reduction.SynchronizationDominates(purity, c.CancellationToken))
                {
                    return;
                }

                var note = reduction.IsExact ? string.Empty : " (not fixed automatically: a floating-point sum would change the order of additions)";
                c.ReportDiagnostic(Diagnostic.Create(
                    Descriptor,
                    reduction.Location,
                    DiagnosticProperties.Create(reduction.CanFix ? FixKind.ThreadLocalAggregation : null),
                    "Parallel." + loop.TargetMethod.Name,
                    reduction.SynchronizationDisplay,
                    reduction.AccumulatorReference.Syntax.ToString(),
                    note));
            },
            OperationKind.Invocation);
    }
}
