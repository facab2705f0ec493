using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>NOGIL204: CPU work offloaded one item at a time, or offloaded and then blocked on.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RunOffloadedWorkConcurrentlyAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.RunOffloadedWorkConcurrently,
        title: "Run offloaded work concurrently, or do not offload it",
        messageFormat: "{0}",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "Awaiting Task.Run once per loop iteration runs the items strictly one after another on a pool thread; blocking on Task.Run right after starting it only adds a thread hop. Start the items together and await them all, or call the work directly.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        // TODO(NOGIL204): implemented in the rule's own change.
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
