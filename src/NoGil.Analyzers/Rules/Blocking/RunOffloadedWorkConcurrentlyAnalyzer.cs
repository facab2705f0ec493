using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL204: CPU work offloaded one item at a time (a loop that awaits <c>Task.Run</c> per independent item),
/// or offloaded and then blocked on (<c>Task.Run(work).Result</c>). The fixes are announced where the rewrite
/// keeps the code's meaning: <see cref="DirectCallRewrite"/> and <see cref="WhenAllRewrite"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RunOffloadedWorkConcurrentlyAnalyzer() : NoGilAnalyzer(Descriptors.RunOffloadedWorkConcurrently)
{
    private static readonly ImmutableDictionary<string, string?> CallDirectly = DiagnosticProperties.Create(FixKind.CallDirectly);
    private static readonly ImmutableDictionary<string, string?> RunConcurrently = DiagnosticProperties.Create(FixKind.RunConcurrently);

    protected override bool IsApplicable(KnownTypes types) => types.Task is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var purity = PurityCache.For(context.Compilation);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeLoop(c, types, purity), OperationKind.Loop);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!OffloadCall.IsCandidateName(invocation.TargetMethod.Name)
            || OffloadCall.TryCreate(invocation, types) is not { } offload
            || BlockedOffload.TryCreate(offload, types) is not { } blocked
            || offload.WorkBlocksOnTask(types, context.CancellationToken)
            || offload.IsInExpressionTree(types))
        {
            return;
        }

        var message = blocked.DisplayText + " runs the work on another thread and blocks this one until it is done; call it directly";
        var properties = DirectCallRewrite.TryCreate(blocked) is null ? DiagnosticProperties.None : CallDirectly;
        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, ProfileSite.Of(context), Descriptors.RunOffloadedWorkConcurrently, blocked.Wait.Operation.Syntax.GetLocation(), properties, message);
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, KnownTypes types, PurityCache purity)
    {
        var loop = (ILoopOperation)context.Operation;
        if (loop.LoopKind is not (LoopKind.ForEach or LoopKind.For)
            || SequentialOffloadLoop.TryCreate(loop, types) is not { } sequential
            || sequential.Offload.WorkBlocksOnTask(types, context.CancellationToken)
            || !sequential.IsIndependent(purity, context.CancellationToken))
        {
            return;
        }

        var message = "Each iteration awaits " + sequential.Offload.DisplayName
                      + " before starting the next, so the items run one at a time; start them all and await Task.WhenAll";
        var properties = loop.SemanticModel is { } model && WhenAllRewrite.TryCreate(loop, model, types) is not null ? RunConcurrently : DiagnosticProperties.None;
        TargetFrameworkFixes.Report(context.ReportDiagnostic, context.Options, ProfileSite.Of(context), Descriptors.RunOffloadedWorkConcurrently, sequential.Await.Syntax.GetLocation(), properties, message);
    }
}
