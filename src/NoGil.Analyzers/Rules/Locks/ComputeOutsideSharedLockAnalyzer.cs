using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL102: the body of a parallel loop (or of workers started in a loop) does its CPU work under one shared lock.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ComputeOutsideSharedLockAnalyzer() : NoGilAnalyzer(Descriptors.ComputeOutsideSharedLock)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationBlockAction(block =>
        {
            foreach (var root in block.OperationBlocks)
            {
                foreach (var section in CriticalSections.FindAll(root, types, block.CancellationToken))
                {
                    if (!section.IsSharedByConcurrentBody || IsReportedReduction(section, types, purity, block.CancellationToken))
                    {
                        continue;
                    }

                    var plan = HoistPlan.For(section, purity, block.CancellationToken);
                    string advice;
                    IOperation work;
                    if (plan.LockFreeWork is { } lockFree)
                    {
                        work = lockFree;
                        advice = "compute outside the lock and keep only the shared update inside";
                    }
                    else if (plan.SharedObjectWork is { } shared)
                    {
                        work = shared;
                        advice = "the work runs on a shared object that needs the lock: give each worker its own instance, or use a thread-safe one";
                    }
                    else
                    {
                        continue;
                    }

                    TargetFrameworkFixes.Report(block.ReportDiagnostic, block.Options, ProfileSite.Of(block), 
                        Descriptors.ComputeOutsideSharedLock,
                        section.Location,
                        DiagnosticProperties.Create(plan.CanFix ? FixKind.HoistOutOfLock : null),
                        section.Concurrent!.Display,
                        section.LockDisplay,
                        CpuWork.Describe(work),
                        advice);
                }
            }
        });
    }

    /// <summary>A reduction NOGIL103 reports: its fix (thread-local aggregation) supersedes this one.</summary>
    private static bool IsReportedReduction(CriticalSection section, KnownTypes types, PurityCache purity, System.Threading.CancellationToken cancellationToken)
        => section.Concurrent?.Starter is IInvocationOperation loop
           && ParallelReduction.For(loop, types, purity, cancellationToken) is { Lock: { } reductionLock } reduction
           && reductionLock.Syntax == section.Acquire
           && reduction.SynchronizationDominates(purity, cancellationToken);
}
