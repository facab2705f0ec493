using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL202: an async function calls a thread-blocking method — <c>Thread.Sleep</c>, <c>SemaphoreSlim.Wait</c>,
/// synchronous I/O, or any method with an awaitable <c>…Async</c> twin of the same shape — instead of awaiting the twin.
/// The fix is announced where the call can become an <c>await</c> of the twin (<see cref="AsyncTwinRewrite"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAsyncTwinAnalyzer() : NoGilAnalyzer(Descriptors.UseAsyncTwin)
{
    /// <summary>Methods and types the rule ignores.</summary>
    public static readonly RuleOption<MethodExclusionList> ExcludedMethods = RuleOption.MethodList("NOGIL202.excluded_methods");

    protected override bool IsApplicable(KnownTypes types) => types.Task is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => context.RegisterOperationAction(
            operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                var cancellationToken = operationContext.CancellationToken;
                if (TestProjects.AreSkipped(types, operationContext.Options, invocation.Syntax.SyntaxTree))
                {
                    return;
                }

                if (AsyncTwinCall.TryCreate(invocation, types, operationContext.ContainingSymbol, cancellationToken) is not { } call
                    || ExcludedMethods.Get(operationContext.Options, invocation.Syntax.SyntaxTree).Contains(call.Method, invocation.Instance?.Type))
                {
                    return;
                }

                var rewrite = AsyncTwinRewrite.From(call, types, invocation.Syntax);
                var fixable = call.NoFixReason is null
                              && invocation.Syntax is InvocationExpressionSyntax node && invocation.SemanticModel is { } model
                              && rewrite.CanReplace(node, call.Twin, model, cancellationToken);
                TargetFrameworkFixes.Report(operationContext.ReportDiagnostic, operationContext.Options, ProfileSite.Of(operationContext), 
                    Descriptors.UseAsyncTwin,
                    invocation.Syntax.GetLocation(),
                    rewrite.ToProperties(fixable),
                    call.BlockingDisplayText,
                    call.TwinDisplayText,
                    call.NoFixReason is { } reason ? " (not fixed automatically: " + reason + ")" : string.Empty);
            },
            OperationKind.Invocation);
}
