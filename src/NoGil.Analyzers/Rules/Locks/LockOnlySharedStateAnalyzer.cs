using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL104: <c>[MethodImpl(MethodImplOptions.Synchronized)]</c> holds a lock on the object or type for the whole of a method that does CPU work.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOnlySharedStateAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.LockOnlySharedState,
        title: "Lock only the shared-state part instead of synchronizing the whole method",
        messageFormat: "[MethodImpl(MethodImplOptions.Synchronized)] holds a lock on {0} for the whole of '{1}', including {2}; lock a private object around the shared-state part only",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "MethodImplOptions.Synchronized locks 'this' (or the type, for a static method) for the whole call: every caller waits for the method's CPU work, and any code that locks the same public object can interfere. Lock a private object around the statements that touch shared state.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

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

                block.ReportDiagnostic(Diagnostic.Create(
                    Descriptor,
                    synchronized.Section.Location,
                    DiagnosticProperties.Create(synchronized.CanUsePrivateLock ? FixKind.PrivateLock : null),
                    method.IsStatic ? "the type" : "'this'",
                    method.Name,
                    CpuWork.Describe(synchronized.Work)));
            }
        });
    }
}
