using NoGil.Analyzers.Analysis.Blocking;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL201: an async function parks its thread on <c>.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c> or <c>Task.WaitAny</c> instead of awaiting. Tasks proven complete are not reported.
/// The fix is announced where the wait has a faithful <c>await</c> form (<see cref="AwaitForm"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAwaitInsteadOfBlockingWaitAnalyzer() : NoGilAnalyzer(Descriptors.UseAwaitInsteadOfBlockingWait)
{
    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => BlockingWaitScanner.Register(context, types, static (blockContext, site) =>
        {
            if (site.IsBlockingInAsyncCode)
            {
                var properties = DiagnosticProperties.Create(site.AwaitForm?.FixKind);
                blockContext.ReportDiagnostic(Diagnostic.Create(Descriptors.UseAwaitInsteadOfBlockingWait, site.Syntax.GetLocation(), properties, site.Wait.DisplayText));
            }
        });
}
