using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL201: an async function parks its thread on <c>.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c> or <c>Task.WaitAny</c> instead of awaiting. Tasks proven complete are not reported.
/// The fix is announced where the wait has a faithful <c>await</c> form (<see cref="AwaitForm"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAwaitInsteadOfBlockingWaitAnalyzer : NoGilAnalyzer
{
    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.UseAwaitInsteadOfBlockingWait,
        title: "Use await instead of a blocking wait in async code",
        messageFormat: "'{0}' blocks a thread until the task completes; await it instead",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "An async function that blocks on a task holds a thread-pool thread hostage for the whole wait and can deadlock under a synchronization context. Await the task instead.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => BlockingWaitScanner.Register(context, types, static (blockContext, site) =>
        {
            if (site.IsBlockingInAsyncCode)
            {
                var properties = DiagnosticProperties.Create(site.AwaitForm?.FixKind);
                blockContext.ReportDiagnostic(Diagnostic.Create(Descriptor, site.Syntax.GetLocation(), properties, site.Wait.DisplayText));
            }
        });
}
