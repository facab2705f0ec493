using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Runs <see cref="TaskCompletionFlow"/> over each operation block that contains a blocking wait, and hands
/// every site to a rule. Blocks without a candidate cost one substring search of their source text
/// (<see cref="CandidateSyntax"/>), or where a wait's name occurs one walk of the operation tree, and no control-flow
/// graph; each tree is walked and analyzed once however many rules ask for its sites. The fixers get the same
/// sites, computed the same way, through <see cref="GetSites(SemanticModel, SyntaxNode, KnownTypes, CancellationToken)"/>.
/// </summary>
public static class BlockingWaitScanner
{
    /// <summary>The .editorconfig key of <see cref="MaxFlowAnalysisOperations"/>.</summary>
    public const string MaxOperationsOption = "nogil.max_flow_analysis_operations";

    /// <summary>About 10,000 statements of ordinary code; the graph's cost is still linear up to here.</summary>
    public const int DefaultMaxOperations = 100_000;

    /// <summary>
    /// The size of a function body (in operations) beyond which the blocking-wait rules do not analyze it. Roslyn's
    /// control-flow graph, which the analysis needs, costs superlinear time on huge bodies (tens of thousands of
    /// statements, in practice generated code); larger bodies are skipped. 0: no bound. Digits only.
    /// </summary>
    public static readonly RuleOption<int> MaxFlowAnalysisOperations = new(
        MaxOperationsOption,
        DefaultMaxOperations,
        static text => (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value), value));

    private static readonly ConditionalWeakTable<IOperation, CachedSites> SitesByRoot = new();

    private sealed class CachedSites
    {
        public CachedSites(IReadOnlyList<BlockingWaitSite> sites) => Sites = sites;

        public IReadOnlyList<BlockingWaitSite> Sites { get; }
    }

    /// <summary>Hands every site of every analyzed operation tree to <paramref name="onSite"/>.</summary>
    public static void Register(CompilationStartAnalysisContext context, KnownTypes types, Action<OperationBlockAnalysisContext, BlockingWaitSite> onSite)
        => Register(context, types, (blockContext, _, sites) =>
        {
            foreach (var site in sites)
            {
                onSite(blockContext, site);
            }
        });

    /// <summary>Hands the sites of each analyzed operation tree, with the tree's root, to <paramref name="onSites"/> (never empty).</summary>
    public static void Register(CompilationStartAnalysisContext context, KnownTypes types, Action<OperationBlockAnalysisContext, IOperation, IReadOnlyList<BlockingWaitSite>> onSites)
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

                var sites = GetSites(blockContext, block, root, types);
                if (sites.Count > 0)
                {
                    onSites(blockContext, root, sites);
                }
            }
        });
    }

    /// <summary>
    /// The sites of the operation tree that holds <paramref name="node"/>, as the analyzers computed them (for the
    /// fixers, which see the tree through their own semantic model). Empty when the node is in no analyzable tree.
    /// </summary>
    public static IReadOnlyList<BlockingWaitSite> GetSites(SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
    {
        var root = model.GetOperation(node, cancellationToken);
        while (root?.Parent is not null)
        {
            root = root.Parent;
        }

        if (root is null || !IsGraphRoot(root) || types.Task is null)
        {
            return Array.Empty<BlockingWaitSite>();
        }

        if (SitesByRoot.TryGetValue(root, out var cached))
        {
            return cached.Sites;
        }

        // The analyzers only report in trees within their bound, so the fixers need none.
        if (TaskCompletionFlow.Scan(root, types, maxOperations: 0, cancellationToken) != CandidateScan.Candidate
            || CreateGraph(root, cancellationToken) is not { } graph)
        {
            return Array.Empty<BlockingWaitSite>();
        }

        var sites = AnalyzeAndRefine(graph, root, OwnerOf(model, root, node, cancellationToken), types, cancellationToken);
        return SitesByRoot.GetValue(root, _ => new CachedSites(sites)).Sites;
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
        if (!CandidateSyntax.MayHoldWait(root.Syntax, blockContext.CancellationToken))
        {
            return Array.Empty<BlockingWaitSite>();
        }

        CandidateSyntax.TreeScanned?.Invoke(root);
        var maxOperations = MaxFlowAnalysisOperations.Get(blockContext.Options, root.Syntax.SyntaxTree);
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

        return AnalyzeAndRefine(graph, root, blockContext.OwningSymbol as IMethodSymbol, types, blockContext.CancellationToken);
    }

    private static IReadOnlyList<BlockingWaitSite> AnalyzeAndRefine(ControlFlowGraph graph, IOperation root, IMethodSymbol? owner, KnownTypes types, CancellationToken cancellationToken)
    {
        var sites = TaskCompletionFlow.Analyze(graph, root, owner, types, cancellationToken);
        var offloadedReportedByNogil204 = OffloadedWorkReportedByNogil204(root, sites, types, cancellationToken);
        var originalWaits = OriginalWaits(root, sites, types, cancellationToken);
        var refined = new BlockingWaitSite[sites.Count];
        for (var i = 0; i < sites.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var site = sites[i];
            var offloaded = site.IsOffloadedWork && offloadedReportedByNogil204.Contains(site.Syntax);
            var awaitForm = originalWaits.TryGetValue(site.Syntax, out var wait) ? AwaitForm.TryCreate(wait) : null;
            refined[i] = site.Refine(offloaded, awaitForm);
        }

        return refined;
    }

    /// <summary>
    /// The waits of the original operation tree at the sites not proven complete (the flow graph's operations are
    /// rewritten copies, so the await forms are read from the original tree): one walk of the tree, and only when
    /// there is such a site — no semantic-model call per site.
    /// </summary>
    private static Dictionary<SyntaxNode, BlockingWait> OriginalWaits(IOperation root, IReadOnlyList<BlockingWaitSite> sites, KnownTypes types, CancellationToken cancellationToken)
    {
        var waits = new Dictionary<SyntaxNode, BlockingWait>();
        var pending = new HashSet<SyntaxNode>(sites.Where(site => !site.IsTaskKnownComplete).Select(site => site.Syntax));
        if (pending.Count == 0)
        {
            return waits;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (pending.Contains(operation.Syntax) && !waits.ContainsKey(operation.Syntax) && BlockingWait.TryCreate(operation, types) is { } wait)
            {
                waits.Add(operation.Syntax, wait);
            }
        }

        return waits;
    }

    /// <summary>
    /// The flow graph only sees <c>Task.Run(…)</c> under a wait; NOGIL204 decides on the original operation whether
    /// the offload is synchronous work it reports. Waits it does not report stay with NOGIL201/203. One walk of the
    /// original tree serves every offloaded site.
    /// </summary>
    private static HashSet<SyntaxNode> OffloadedWorkReportedByNogil204(IOperation root, IReadOnlyList<BlockingWaitSite> sites, KnownTypes types, CancellationToken cancellationToken)
    {
        var reported = new HashSet<SyntaxNode>();
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
            return reported;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            if (offloaded.Contains(operation.Syntax)
                && BlockingWait.TryCreate(operation, types) is { Task: { } task }
                && OffloadCall.TryCreate(task, types) is { } offload
                && BlockedOffload.TryCreate(offload, types) is not null
                && !offload.WorkBlocksOnTask(types, cancellationToken)
                && !offload.IsInExpressionTree(types))
            {
                reported.Add(operation.Syntax);
            }
        }

        return reported;
    }

    private static bool IsGraphRoot(IOperation block)
        => block.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
               or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>The control-flow graph of a root, as the analyzer driver builds it; null for a root it does not support.</summary>
    private static ControlFlowGraph? CreateGraph(IOperation root, CancellationToken cancellationToken)
    {
#pragma warning disable RS0030 // The shared scanner is the one place a graph is built (src/BannedSymbols.txt): for a fixer's plan.
        try
        {
            return root switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                IConstructorBodyOperation constructor => ControlFlowGraph.Create(constructor, cancellationToken),
                IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
                IFieldInitializerOperation field => ControlFlowGraph.Create(field, cancellationToken),
                IPropertyInitializerOperation property => ControlFlowGraph.Create(property, cancellationToken),
                IParameterInitializerOperation parameter => ControlFlowGraph.Create(parameter, cancellationToken),
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
#pragma warning restore RS0030
    }

    /// <summary>
    /// What the analyzer driver calls the owning symbol of <paramref name="root"/>: the declared method, or the
    /// synthesized entry point of top-level statements.
    /// </summary>
    private static IMethodSymbol? OwnerOf(SemanticModel model, IOperation root, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (model.GetDeclaredSymbol(root.Syntax, cancellationToken) is IMethodSymbol declared)
        {
            return declared;
        }

        var symbol = model.GetEnclosingSymbol(node.SpanStart, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol as IMethodSymbol;
    }
}
