using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL104: <c>[MethodImpl(MethodImplOptions.Synchronized)]</c> holds a lock on the object or type for the whole of a method that does CPU work.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOnlySharedStateAnalyzer() : NoGilAnalyzer(Descriptors.LockOnlySharedState)
{
    protected override bool IsApplicable(KnownTypes types) => types.MethodImplAttribute is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationBlockAction(block =>
        {
            if (block.OwningSymbol is not IMethodSymbol method)
            {
                return;
            }

            foreach (var root in block.OperationBlocks)
            {
                if (SynchronizedMethod.Find(method, root, types, purity, block.CancellationToken) is not { } synchronized)
                {
                    continue;
                }

                TargetFrameworkFixes.Report(block.ReportDiagnostic, block.Options, ProfileSite.Of(block), 
                    Descriptors.LockOnlySharedState,
                    synchronized.Section.Location,
                    DiagnosticProperties.Create(synchronized.CanUsePrivateLock ? FixKind.PrivateLock : null),
                    method.IsStatic ? "the type" : "'this'",
                    method.Name,
                    CpuWork.Describe(synchronized.Work),
                    string.Empty);
            }
        });
    }
}
