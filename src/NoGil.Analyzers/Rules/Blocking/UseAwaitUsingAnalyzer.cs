using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Analysis.Profile;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL205: an async function disposes an asynchronously disposable resource with a synchronous <c>using</c>, so its
/// flush or close blocks the thread; or it creates a dependency-injection scope with <c>CreateScope</c>, whose
/// synchronous disposal also throws for services that are only <see cref="IAsyncDisposable"/>. The fix is
/// <c>await using</c> (<see cref="SyncDisposal"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAwaitUsingAnalyzer() : NoGilAnalyzer(Descriptors.UseAwaitUsing)
{
    protected override bool IsApplicable(KnownTypes types) => types.IAsyncDisposable is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
        => context.RegisterOperationAction(
            operationContext =>
            {
                var operation = operationContext.Operation;
                if (TestProjects.AreSkipped(types, operationContext.Options, operation.Syntax.SyntaxTree)
                    || SyncDisposal.TryCreate(operation, types, operationContext.ContainingSymbol, operationContext.CancellationToken) is not { } disposal)
                {
                    return;
                }

                var location = operation switch
                {
                    IUsingOperation { Syntax: UsingStatementSyntax statement } =>
                        (SyntaxNode?)statement.Declaration ?? statement.Expression,
                    _ => operation.Syntax is LocalDeclarationStatementSyntax local ? local.Declaration : operation.Syntax,
                };
                var advice = disposal.Kind == SyncDisposalKind.ServiceScope
                    ? "create it with 'CreateAsyncScope' and dispose it with 'await using'"
                    : "dispose it with 'await using'";
                TargetFrameworkFixes.Report(operationContext.ReportDiagnostic, operationContext.Options, ProfileSite.Of(operationContext), 
                    Descriptors.UseAwaitUsing,
                    (location ?? operation.Syntax).GetLocation(),
                    disposal.ToProperties(),
                    disposal.ResourceType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
                    advice);
            },
            OperationKind.Using,
            OperationKind.UsingDeclaration);
}
