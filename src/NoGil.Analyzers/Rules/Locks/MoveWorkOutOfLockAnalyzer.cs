using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL101: a critical section runs CPU work that reads and writes nothing the lock protects.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MoveWorkOutOfLockAnalyzer() : NoGilAnalyzer(Descriptors.MoveWorkOutOfLock)
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
                    if (section.IsSharedByConcurrentBody)
                    {
                        // NOGIL102 speaks about sections that every concurrent iteration takes.
                        continue;
                    }

                    var plan = HoistPlan.For(section, purity, block.CancellationToken);
                    if (plan.LockFreeWork is not { } work)
                    {
                        continue;
                    }

                    TargetFrameworkFixes.Report(block.ReportDiagnostic, block.Options, ProfileSite.Of(block), 
                        Descriptors.MoveWorkOutOfLock,
                        section.Location,
                        DiagnosticProperties.Create(plan.CanFix ? FixKind.HoistOutOfLock : null),
                        Capitalize(CpuWork.Describe(work)),
                        section.LockDisplay,
                        string.Empty);
                }
            }
        });
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
