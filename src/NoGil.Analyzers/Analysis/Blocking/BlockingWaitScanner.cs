using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Runs <see cref="TaskCompletionFlow"/> over each operation block that contains a blocking wait, and hands
/// every site to a rule. Blocks without a candidate cost one tree walk and no control-flow graph; each tree is
/// walked and analyzed once however many rules ask for its sites.
/// </summary>
public static class BlockingWaitScanner
{
    /// <summary>
    /// The .editorconfig key bounding the size of a function body (in operations) that the blocking-wait rules
    /// analyze. Roslyn's control-flow graph, which the analysis needs, costs superlinear time on huge bodies
    /// (tens of thousands of statements, in practice generated code); larger bodies are skipped. 0: no bound.
    /// </summary>
    public const string MaxOperationsOption = "nogil.max_flow_analysis_operations";

    /// <summary>About 10,000 statements of ordinary code; the graph's cost is still linear up to here.</summary>
    public const int DefaultMaxOperations = 100_000;

    public static int MaxOperations(AnalyzerOptions options, SyntaxTree tree)
        => options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(MaxOperationsOption, out var text)
           && int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : DefaultMaxOperations;

    private static readonly ConditionalWeakTable<IOperation, CachedSites> SitesByRoot = new();

    private sealed class CachedSites
    {
        public CachedSites(IReadOnlyList<BlockingWaitSite> sites) => Sites = sites;

        public IReadOnlyList<BlockingWaitSite> Sites { get; }
    }

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
                blockContext.CancellationToken.ThrowIfCancellationRequested();
                var root = block;
                while (root.Parent is not null)
                {
                    root = root.Parent;
                }

                if (!roots.Add(root) || !IsGraphRoot(root))
                {
                    continue;
                }

                foreach (var site in GetSites(blockContext, block, root, types))
                {
                    onSite(blockContext, site);
                }
            }
        });
    }

    /// <summary>
    /// The sites of one operation tree, computed once. NOGIL201 and NOGIL203 both ask for them, and the analyzer
    /// driver hands every analyzer the same operation tree of a block, so the first to get there walks the tree
    /// and runs the flow analysis and the other reuses the result. Entries live as long as the tree does.
    /// </summary>
    private static IReadOnlyList<BlockingWaitSite> GetSites(OperationBlockAnalysisContext blockContext, IOperation block, IOperation root, KnownTypes types)
    {
        if (SitesByRoot.TryGetValue(root, out var cached))
        {
            return cached.Sites;
        }

        var sites = ComputeSites(blockContext, block, root, types);

        // Another analyzer may have finished first; both results are the same.
        return SitesByRoot.GetValue(root, _ => new CachedSites(sites)).Sites;
    }

    private static IReadOnlyList<BlockingWaitSite> ComputeSites(OperationBlockAnalysisContext blockContext, IOperation block, IOperation root, KnownTypes types)
    {
        var maxOperations = MaxOperations(blockContext.Options, root.Syntax.SyntaxTree);
        if (TaskCompletionFlow.Scan(root, types, maxOperations, blockContext.CancellationToken) != CandidateScan.Candidate)
        {
            return Array.Empty<BlockingWaitSite>();
        }

        ControlFlowGraph graph;
        try
        {
            graph = blockContext.GetControlFlowGraph(block);
        }
        catch (ArgumentException)
        {
            // Not a root the flow graph supports (e.g. broken code): nothing to analyze.
            return Array.Empty<BlockingWaitSite>();
        }

        var sites = TaskCompletionFlow.Analyze(graph, root, blockContext.OwningSymbol as IMethodSymbol, types, blockContext.CancellationToken);
        return RefineOffloadedWork(root, sites, types, blockContext.CancellationToken);
    }

    /// <summary>
    /// The flow graph only sees <c>Task.Run(…)</c> under a wait; NOGIL204 decides on the original operation whether
    /// the offload is synchronous work it reports. Waits it does not report stay with NOGIL201/203. One walk of the
    /// original tree serves every offloaded site.
    /// </summary>
    private static IReadOnlyList<BlockingWaitSite> RefineOffloadedWork(IOperation root, IReadOnlyList<BlockingWaitSite> sites, KnownTypes types, System.Threading.CancellationToken cancellationToken)
    {
        HashSet<SyntaxNode>? offloaded = null;
        foreach (var site in sites)
        {
            if (site.IsOffloadedWork)
            {
                (offloaded ??= new HashSet<SyntaxNode>()).Add(site.Syntax);
            }
        }

        if (offloaded is null)
        {
            return sites;
        }

        var reportedByNogil204 = new HashSet<SyntaxNode>();
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (offloaded.Contains(operation.Syntax)
                && BlockingWait.TryCreate(operation, types) is { Task: { } task }
                && OffloadCall.TryCreate(task, types) is { } offload
                && BlockedOffload.TryCreate(offload, types) is not null
                && !offload.WorkBlocksOnTask(types, cancellationToken)
                && !offload.IsInExpressionTree(types))
            {
                reportedByNogil204.Add(operation.Syntax);
            }
        }

        var refined = new BlockingWaitSite[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            refined[i] = sites[i].IsOffloadedWork ? sites[i].WithOffloadedWork(reportedByNogil204.Contains(sites[i].Syntax)) : sites[i];
        }

        return refined;
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
