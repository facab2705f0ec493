using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Locks;

/// <summary>NOGIL101: a critical section runs CPU work that reads and writes nothing the lock protects.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MoveWorkOutOfLockAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.MoveWorkOutOfLock,
        title: "Move CPU work out of the critical section",
        messageFormat: "{0} inside the critical section on '{1}' touches nothing the lock protects; every other thread waits for it. Move it out of the lock.",
        RuleCategories.Locks,
        DiagnosticSeverity.Warning,
        description: "A lock should be held only while shared state is read or written. CPU work on locals, parameters and fresh objects inside the section makes every other thread that needs the lock wait for it: compute first, then take the lock for the shared update.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

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

                    block.ReportDiagnostic(Diagnostic.Create(
                        Descriptor,
                        section.Location,
                        DiagnosticProperties.Create(plan.CanFix ? FixKind.HoistOutOfLock : null),
                        Capitalize(CpuWork.Describe(work)),
                        section.LockDisplay));
                }
            }
        });
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
