using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>NOGIL202: a thread-blocking call in async code that has an awaitable twin.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAsyncTwinAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.UseAsyncTwin,
        title: "Use the awaitable twin of a thread-blocking call in async code",
        messageFormat: "'{0}' blocks the thread in async code; await '{1}' instead",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "A synchronous sleep, wait or I/O call inside an async function blocks a thread-pool thread for its whole duration. Await the asynchronous twin instead.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        // TODO(NOGIL202): implemented in the rule's own change.
        context.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
    }
}
