using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Rules.Blocking;

/// <summary>
/// NOGIL202: an async function calls a thread-blocking method — <c>Thread.Sleep</c>, <c>SemaphoreSlim.Wait</c>,
/// synchronous I/O, or any method with an awaitable <c>…Async</c> twin of the same shape — instead of awaiting the twin.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UseAsyncTwinAnalyzer : NoGilAnalyzer
{
    /// <summary>The .editorconfig key listing methods and types the rule ignores.</summary>
    public const string ExcludedMethodsOption = "NOGIL202.excluded_methods";

    public static readonly DiagnosticDescriptor Descriptor = Rule(
        RuleIdentifiers.UseAsyncTwin,
        title: "Use the awaitable twin of a thread-blocking call in async code",
        messageFormat: "'{0}' blocks the thread in async code; await '{1}' instead",
        RuleCategories.Blocking,
        DiagnosticSeverity.Warning,
        description: "A synchronous sleep, wait or I/O call inside an async function blocks a thread-pool thread for its whole duration. Await the asynchronous twin instead.");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Descriptor);

    protected override bool IsApplicable(KnownTypes types) => types.Task is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, KnownTypes types)
    {
        var exclusionLists = new ConcurrentDictionary<string, MethodExclusionList>(StringComparer.Ordinal);
        context.RegisterOperationAction(
            operationContext =>
            {
                var invocation = (IInvocationOperation)operationContext.Operation;
                if (AsyncTwinCall.TryCreate(invocation, types, operationContext.ContainingSymbol, operationContext.CancellationToken) is not { } call)
                {
                    return;
                }

                var options = operationContext.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
                if ((options.TryGetValue(ExcludedMethodsOption, out var excluded) || options.TryGetValue(ExcludedMethodsOption.ToLowerInvariant(), out excluded))
                    && exclusionLists.GetOrAdd(excluded, MethodExclusionList.Parse).Contains(call.Method, invocation.Instance?.Type))
                {
                    return;
                }

                operationContext.ReportDiagnostic(Diagnostic.Create(
                    Descriptor,
                    invocation.Syntax.GetLocation(),
                    call.BlockingDisplayText,
                    call.TwinDisplayText));
            },
            OperationKind.Invocation);
    }
}
