using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL201: an async function parks its thread on <c>.Result</c>, <c>.Wait()</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll</c> or <c>Task.WaitAny</c> instead of awaiting. Tasks proven complete are not reported.
/// Timed and cancellable waits are reported too; zero time-outs are probes and are not waits.
/// The fix is announced where the wait has a faithful <c>await</c> form (<see cref="AwaitForm"/>); a timed wait has none.
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
                TargetFrameworkFixes.Report(blockContext.ReportDiagnostic, blockContext.Options, ProfileSite.Of(blockContext), Descriptors.UseAwaitInsteadOfBlockingWait, site.Syntax.GetLocation(), properties, site.Wait.DisplayText, WhyNoFix(site));
            }
        });

    /// <summary>The message's note on a wait reported without a fix because no await keeps its meaning.</summary>
    private static string WhyNoFix(BlockingWaitSite site)
        => site.AwaitForm is not null || site.Wait.Timeout is null
            ? string.Empty
            : " (not fixed automatically: the wait returns false when the time-out elapses, where 'WaitAsync' would throw a TimeoutException; "
              + "compare 'await Task.WhenAny(task, Task.Delay(timeout))' with the task instead)";
}
