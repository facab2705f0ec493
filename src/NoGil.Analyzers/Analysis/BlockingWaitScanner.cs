using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis;

/// <summary>
/// Runs <see cref="TaskCompletionFlow"/> over each operation block that contains a blocking wait, and hands
/// every site to a rule. Blocks without a candidate cost one tree walk and no control-flow graph.
/// </summary>
public static class BlockingWaitScanner
{
    public static void Register(CompilationStartAnalysisContext context, KnownTypes types, Action<OperationBlockAnalysisContext, BlockingWaitSite> onSite)
    {
        if (types.Task is null)
        {
            return;
        }

        context.RegisterOperationBlockAction(blockContext =>
        {
            var roots = new HashSet<IOperation>();
            foreach (var block in blockContext.OperationBlocks)
            {
                var root = block;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                if (!roots.Add(root) || !IsGraphRoot(root) || !TaskCompletionFlow.ContainsCandidate(root, types))
                {
                    continue;
                }

                ControlFlowGraph? graph;
                try
                {
                    graph = blockContext.GetControlFlowGraph(block);
                }
                catch (ArgumentException)
                {
                    // Not a root the flow graph supports (e.g. broken code): nothing to analyze.
                    continue;
                }

                var function = blockContext.OwningSymbol as IMethodSymbol;
                foreach (var site in TaskCompletionFlow.Analyze(graph, root, function, types, blockContext.CancellationToken))
                {
                    onSite(blockContext, site.IsOffloadedWork ? site.WithOffloadedWork(IsReportedAsOffloadedWork(root, site, types, blockContext.CancellationToken)) : site);
                }
            }
        });
    }

    /// <summary>
    /// The flow graph only sees <c>Task.Run(…)</c> under the wait; NOGIL204 decides on the original operation
    /// whether the offload is synchronous work it reports. Waits it does not report stay with NOGIL201/203.
    /// </summary>
    public static bool IsReportedAsOffloadedWork(IOperation root, BlockingWaitSite site, KnownTypes types, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.Syntax != site.Syntax || BlockingWait.TryCreate(operation, types) is not { Task: { } task })
            {
                continue;
            }

            return OffloadCall.TryCreate(task, types) is { } offload
                   && BlockedOffload.TryCreate(offload, types) is not null
                   && !offload.WorkBlocksOnTask(types, cancellationToken)
                   && !offload.IsInExpressionTree(types);
        }

        return false;
    }

    private static bool IsGraphRoot(IOperation block)
        => block.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
               or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>True when the syntax sits in a place where <c>await</c> is not allowed.</summary>
    public static bool IsAwaitForbiddenAt(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case Microsoft.CodeAnalysis.CSharp.Syntax.LockStatementSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.UnsafeStatementSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.CatchFilterClauseSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.QueryClauseSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.SelectOrGroupClauseSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.QueryContinuationSyntax:
                    return true;
                case Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax:
                case Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax:
                    return false;
            }
        }

        return false;
    }
}
