using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>How a parallel loop hands its iterations to the workers.</summary>
public enum ParallelLoopForm
{
    /// <summary>One delegate call per iteration (<c>Parallel.For(lo, hi, i =&gt; …)</c>): the body is heavy.</summary>
    PerIndex,

    /// <summary>Index ranges (<c>Parallel.ForEach(Partitioner.Create(lo, hi), range =&gt; …)</c>): a delegate call per index would dominate.</summary>
    Ranges,
}

/// <summary>
/// A loop whose iterations are independent and heavy enough to run on several cores (NOGIL301): the outermost such
/// loop, not already inside a concurrent body, with at most one reduction whose parallel merge is exact — or, for
/// floating-point sums and products, changes only the order of the operations.
/// </summary>
public sealed class ParallelLoop
{
    private ParallelLoop(LoopModel model, ParallelLoopForm form, LoopReduction? reduction, string? noFixReason, ParallelMerge? merge, bool canWrite)
    {
        Model = model;
        Form = form;
        Reduction = reduction;
        NoFixReason = noFixReason;
        Merge = merge;
        Fix = noFixReason is null && canWrite ? (model.IsIndependent ? FixKind.ParallelFor : FixKind.GuardedParallelFor) : null;
    }

    public LoopModel Model { get; }

    public ParallelLoopForm Form { get; }

    /// <summary>
    /// Empty when the iterations are independent; else the pairs of arrays that may be the same object, the loop's only
    /// obstacle: the iterations are independent when no pair is (<see cref="LoopModel.AliasChecks"/>), and the fix runs the
    /// parallel form only after checking that, keeping the original loop for the aliased case.
    /// </summary>
    public ImmutableArray<AliasCheck> AliasChecks => Model.AliasChecks;

    /// <summary>The one reduction of the loop, or null.</summary>
    public LoopReduction? Reduction { get; }

    /// <summary>True when the parallel merge changes the order of floating-point additions or multiplications.</summary>
    public bool Reassociates => Reduction is { IsFloatingPoint: true, Operator: ReductionOperator.Add or ReductionOperator.Multiply };

    /// <summary>Why no automatic fix is offered (e.g. "a lambda cannot capture the ref parameter 'x'"), or null when it is.</summary>
    public string? NoFixReason { get; }

    public bool CanFix => NoFixReason is null;

    /// <summary>How the fix starts and merges the per-worker partial results of <see cref="Reduction"/>; null without one, or when it cannot be written.</summary>
    public ParallelMerge? Merge { get; }

    /// <summary>
    /// The fix the diagnostic announces: <see cref="FixKind.ParallelFor"/> when <see cref="CanFix"/> and the fix can
    /// write this loop (<see cref="ParallelRewrite"/>: its header, bounds and merge) — <see cref="FixKind.GuardedParallelFor"/>
    /// when it must check <see cref="AliasChecks"/> first; else null.
    /// </summary>
    public FixKind? Fix { get; }

    /// <summary>
    /// The parallelizable loop <paramref name="loop"/>, or null when it is not one: not independent, too light, small
    /// (a constant trip count, or one bounded by construction), already in a concurrent body, inside another loop that is
    /// itself parallelizable, beside a deeper nest that does its method's real work, a single element-wise or reduction
    /// statement (the vector rules' kernels), a reduction that cannot be merged in parallel, a table computed from the
    /// index and scalars (<see cref="TableLoop"/>), or a body that uses spans (no parallel form: a lambda cannot capture them).
    /// </summary>
    public static ParallelLoop? TryMatch(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
        => Decide(loop, types, purity, allowFloatReassociation, explain: false, cancellationToken, out _);

    /// <summary>
    /// NOGIL301's decision on <paramref name="loop"/>: the parallel loop it reports, or null with the reason in
    /// <paramref name="rejection"/> (what NOGIL300 explains). The rejection is null too when the loop is none of the rule's
    /// business: no model (not a canonical loop), light work (<see cref="LoopCost.IsWorthParallelizing"/>), or inside a
    /// loop that is itself parallelizable (that loop is reported, and covers this one).
    /// </summary>
    public static ParallelLoop? Decide(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken, out KernelRejection? rejection)
        => Decide(loop, types, purity, allowFloatReassociation, explain: true, cancellationToken, out rejection);

    private static ParallelLoop? Decide(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, bool explain, CancellationToken cancellationToken, out KernelRejection? rejection)
    {
        rejection = null;
        if (types.Parallel is null
            || (!explain && LoopDependence.CannotBeParallelLoop(loop, types, purity, cancellationToken)) // no model, an obstacle or too little work: rejected below anyway
            || (!explain && (IsInConstructor(loop) || ConcurrentBody.EnclosingStarter(loop, types, purity, helpers: null, cancellationToken) is not null)) // as Reject, without the model
            || LoopDependence.Analyze(loop, types, purity, cancellationToken) is not { } model)
        {
            return null;
        }

        if (!model.Cost.IsWorthParallelizing)
        {
            // Light: none of the rule's business — unless it is light only by what the estimate leaves out (a copy nest,
            // a call into a running sum, index arithmetic), which NOGIL300 explains.
            if (explain && model.Cost.IsLightOnlyByDiscount)
            {
                rejection = Reject(model, types, allowFloatReassociation, cancellationToken) ?? LightRejection(model);
                if (IsInsideCandidate(loop, types, purity, allowFloatReassociation, cancellationToken))
                {
                    rejection = null;
                }
            }

            return null;
        }

        rejection = Reject(model, types, allowFloatReassociation, cancellationToken);
        if (rejection is not null)
        {
            // A rejected loop inside a parallelizable one needs no explanation: the outer loop is reported.
            if (explain && IsInsideCandidate(loop, types, purity, allowFloatReassociation, cancellationToken))
            {
                rejection = null;
            }

            return null;
        }

        // Only the outermost parallelizable loop: a matrix multiply runs its rows in parallel, not its columns.
        if (IsInsideCandidate(loop, types, purity, allowFloatReassociation, cancellationToken) || IsAliasedCaseOfAVersionedLoop(model))
        {
            return null;
        }

        // The three checks below that read this loop alone, before the search for a deeper nest (which reads the method, the
        // callees and the callers): when the rule only needs to know whether to report, any of them ends it. NOGIL300 asks
        // them in the order below, which gives the reason it shows.
        var table = TableLoop.Find(model, types, purity, cancellationToken);
        if (!explain && (table is not null || model.UsesSpans || FactoryRejection(model) is not null))
        {
            return null;
        }

        // Only the loop that carries the method's dominant work: an O(n) side loop next to an O(n²) nest changes little.
        if (LoopNest.FindSideNest(loop, model.ConcurrentStarter, purity, cancellationToken) is { } side)
        {
            rejection = SideLoopRejection(side);
            return null;
        }

        // A table computed from the index and scalars (window coefficients, a grid, a chirp): setup, built once and reused.
        if (table is not null)
        {
            rejection = new KernelRejection(RejectionReason.TableLoop, table, "fills '" + TableName(table) + "' from the index and scalars only: a table built once and reused, not the hot path");
            return null;
        }

        // A lambda cannot capture a span: there is no parallel form to offer, and a span kernel is a per-buffer primitive
        // whose callers decide how to split the work (per image row, per block).
        if (model.UsesSpans)
        {
            var span = FirstSpanUse(model, types);
            rejection = new KernelRejection(
                RejectionReason.SpanCapture,
                span ?? loop,
                (span is null ? "the body uses a span" : "'" + span.Syntax + "' is a span") + ", which a lambda cannot capture: no parallel form of this loop can be written");
            return null;
        }

        // A static factory of its own type filling the arrays of the instance it returns: a constructor's work, which the
        // kernel rules leave alone. Asked last: only of a loop that would otherwise be reported.
        if (FactoryRejection(model) is { } factory)
        {
            rejection = factory;
            return null;
        }

        var reduction = model.Reductions.Length == 1 ? model.Reductions[0] : null;
        var form = model.Cost.IsHeavy ? ParallelLoopForm.PerIndex : ParallelLoopForm.Ranges;
        var merge = reduction is null ? null : ParallelMerge.For(reduction, types);
        var canWrite = (reduction is null || merge is not null) && ParallelRewrite.CanWrite(model, form, types, cancellationToken);
        return new ParallelLoop(model, form, reduction, NoFixReasonFor(model, reduction), merge, canWrite);
    }

    /// <summary>The explanation of a side loop: where the deeper nest is, and through which call it was compared.</summary>
    private static KernelRejection SideLoopRejection(SideNest side)
    {
        var nest = side.Nest;
        var realWork = nest is ILoopOperation
            ? "the deeper loop nest at line " + LineOf(nest) + " does "
            : "the call at line " + LineOf(nest) + " runs a deeper loop nest, which does ";
        return side.Place switch
        {
            SideNestPlace.BesideRunner => new KernelRejection(
                RejectionReason.SideLoop,
                nest,
                "runs in the lambda handed to " + ConcurrentBody.Describe(side.Via!) + " at line " + LineOf(side.Via!) + ", and beside that call " + realWork + "the method's real work"),
            SideNestPlace.BesideEveryCall => new KernelRejection(
                RejectionReason.SideLoopOfCallers,
                nest,
                "the method is private and every call of it sits beside a deeper loop nest of its caller: in " + CallerName(side.Via!) + ", " + realWork + "the caller's real work"),
            _ => new KernelRejection(RejectionReason.SideLoop, nest, realWork + "the method's real work"),
        };
    }

    /// <summary>The name of the method that makes <paramref name="call"/>, e.g. <c>'NaiveForward'</c>.</summary>
    private static string CallerName(IOperation call)
        => call.SemanticModel?.GetEnclosingSymbol(call.Syntax.SpanStart) is { } caller ? "'" + caller.Name + "'" : "its caller";

    /// <summary>True when a loop around <paramref name="loop"/>, in the same function, is itself parallelizable.</summary>
    private static bool IsInsideCandidate(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                break;
            }

            if (current is ILoopOperation outer && Candidate(outer, types, purity, allowFloatReassociation, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private static LoopModel? Candidate(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
        => !LoopDependence.CannotBeParallelLoop(loop, types, purity, cancellationToken) // an obstacle or too little work: not a candidate
           && LoopDependence.Analyze(loop, types, purity, cancellationToken) is { Cost.IsWorthParallelizing: true } model
           && Reject(model, types, allowFloatReassociation, cancellationToken) is null
            ? model
            : null;

    /// <summary>
    /// Why a loop with enough work is not parallelized, or null when nothing stands in the way. The checks run in this
    /// order, and the first that applies is the answer: where the loop runs (a concurrent body, a constructor), how often
    /// (a small constant trip count), the loop model's obstacles, then the shapes the rule leaves to others or cannot merge.
    /// Each answer's reason is a row of <see cref="RejectionReason"/>.
    /// </summary>
    private static KernelRejection? Reject(LoopModel model, KnownTypes types, bool allowFloatReassociation, CancellationToken cancellationToken)
    {
        var loop = model.Loop;
        if (model.ConcurrentStarter is { } starter)
        {
            return new KernelRejection(RejectionReason.AlreadyParallel, starter, "already runs inside " + ConcurrentBody.Describe(starter) + " at line " + LineOf(starter));
        }

        if (IsInConstructor(loop))
        {
            return new KernelRejection(RejectionReason.Constructor, loop, "runs in a constructor, which builds its state once per object or type");
        }

        // By construction first: IsTriviallySmall includes it, and then there is no constant trip count to name.
        if (model.IsSmallByConstruction)
        {
            return new KernelRejection(RejectionReason.SmallTripCount, model.UpperBound ?? loop, "runs at most " + model.MaxTripCount + " times by construction");
        }

        if (model.IsTriviallySmall)
        {
            return new KernelRejection(RejectionReason.SmallTripCount, model.UpperBound ?? loop, "runs only " + model.TripCount + " times (constant bounds)");
        }

        if (TotalWork(model) is { } total && total < LoopDependence.ParallelBreakEvenWork)
        {
            return new KernelRejection(
                RejectionReason.SmallTotalWork,
                model.UpperBound ?? loop,
                "runs at most " + (model.TripCount ?? model.MaxTripCount) + " times with a light body (≈ " + total + " operations in all): less than starting Parallel.For costs");
        }

        if (!model.IsIndependentUnlessAliased)
        {
            return KernelRejection.FromObstacles(model.Obstacles);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (VectorKernelStatement(model, types, cancellationToken) is { } statement)
        {
            // NOGIL302 leaves a factory's loop alone (it would report it otherwise): say why, not "left to NOGIL302".
            return FactoryRejection(model) ?? new KernelRejection(
                RejectionReason.VectorKernel,
                statement,
                model.Reductions.Length == 1
                    ? "a single reduction update into '" + model.Reductions[0].Variable.Name + "' is NOGIL303's kind of loop: one core's vector lanes beat several cores' scalar loops"
                    : "a single element-wise statement is NOGIL302's kind of loop: one core's vector lanes beat several cores' scalar loops");
        }

        foreach (var reduction in model.Reductions)
        {
            if (!CanMergeInParallel(reduction, allowFloatReassociation))
            {
                return ReductionRejection(reduction);
            }
        }

        return null;
    }

    /// <summary>
    /// Iterations × operations per iteration (a transcendental call as <see cref="LoopDependence.TranscendentalOperations"/>),
    /// when the trip count is bounded (a constant, or by construction: <see cref="LoopModel.MaxTripCount"/>) and the body
    /// has no inner loop, no call that loops and no recursion; else null.
    /// </summary>
    private static long? TotalWork(LoopModel model)
    {
        var cost = model.Cost;
        if (cost.IsHeavy || cost.CallsRecursiveMethod || (model.TripCount ?? model.MaxTripCount) is not { } trips || trips > LoopDependence.ParallelBreakEvenWork)
        {
            return null;
        }

        var perIteration = (long)cost.Operations + (cost.HasTranscendental ? LoopDependence.TranscendentalOperations : 0);
        return System.Math.Max(trips, 0) * System.Math.Max(perIteration, 1);
    }

    /// <summary>The explanation of a body that is light only by what the estimate leaves out (<see cref="LoopCost.IsLightOnlyByDiscount"/>).</summary>
    private static KernelRejection LightRejection(LoopModel model)
        => model.Cost.StreamingNestOperations > 0
            ? new KernelRejection(
                RejectionReason.StreamingNest,
                model.Loop,
                "the nest reads each element once with ≈ " + model.Cost.StreamingNestOperations + " operations: a flat loop over its elements, bound by memory — a worker pays from "
                + StreamingNest.Threshold + " operations per element")
            : model.Cost.StreamsMemory
            ? new KernelRejection(
                RejectionReason.MemoryBound,
                model.Loop,
                "moves data rather than computing: an inner loop only copies, converts or stores elements, or a method it calls loops with fewer than " + CallCost.MemoryBoundOperations + " operations per element — bound by memory, not by a core")
            : new KernelRejection(
                RejectionReason.LightWork,
                model.Loop,
                "too little work per iteration (≈ " + model.Cost.Operations + " operations; " + model.Cost.Discounted + " more of index arithmetic, element moves and one-line forwarding calls are not work)");

    private static KernelRejection ReductionRejection(LoopReduction reduction)
    {
        var name = "'" + reduction.Variable.Name + "'";
        var type = reduction.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        if (reduction.Operator is ReductionOperator.CompareMin or ReductionOperator.CompareMax && NumericTypes.IsFloatingPoint(reduction.Type))
        {
            return new KernelRejection(
                RejectionReason.ReductionOrder,
                reduction.Update,
                name + " keeps the first of equal values and never takes NaN, so merged per-worker results would depend on which worker saw +0.0 or -0.0 first");
        }

        if (reduction.Operator is ReductionOperator.Add or ReductionOperator.Multiply && NumericTypes.IsFloatingPoint(reduction.Type))
        {
            return new KernelRejection(
                RejectionReason.ReassociationOff,
                reduction.Update,
                "the " + type + " " + (reduction.Operator == ReductionOperator.Add ? "sum" : "product") + " into " + name
                + " would change the order of its operations, which NOGIL301.allow_float_reassociation = false forbids");
        }

        var fold = reduction.Operator switch
        {
            ReductionOperator.Add => "sum",
            ReductionOperator.Multiply => "product",
            ReductionOperator.MathMin or ReductionOperator.CompareMin => "minimum",
            ReductionOperator.MathMax or ReductionOperator.CompareMax => "maximum",
            _ => "bitwise fold",
        };
        return new KernelRejection(RejectionReason.ReductionType, reduction.Update, "the " + type + " " + fold + " into " + name + " has no exact merge of per-worker results");
    }

    /// <summary>
    /// The loop is the <c>else</c> branch of <c>if (!ReferenceEquals(c, a) &amp;&amp; …)</c> that checks each of its
    /// <see cref="LoopModel.AliasChecks"/>: it runs exactly when two of its arrays are one object (the fallback the
    /// guarded fix writes), and then its iterations are not independent.
    /// </summary>
    private static bool IsAliasedCaseOfAVersionedLoop(LoopModel model)
    {
        if (model.AliasChecks.IsEmpty)
        {
            return false;
        }

        IOperation branch = model.Loop;
        while (branch.Parent is IBlockOperation { Operations.Length: 1 } block)
        {
            branch = block;
        }

        if (branch.Parent is not IConditionalOperation conditional || conditional.WhenFalse != branch)
        {
            return false;
        }

        var checkedPairs = new List<AliasCheck>();
        var pending = new Stack<IOperation>();
        pending.Push(conditional.Condition);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                    pending.Push(and.LeftOperand);
                    pending.Push(and.RightOperand);
                    break;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IInvocationOperation { TargetMethod: { Name: "ReferenceEquals", ContainingType.SpecialType: SpecialType.System_Object }, Arguments.Length: 2 } call }
                    when WriteTargets.SymbolOf(call.Arguments[0].Value) is { } first && WriteTargets.SymbolOf(call.Arguments[1].Value) is { } second:
                    checkedPairs.Add(new AliasCheck(first, second));
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr, RightOperand: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: IInvocationOperation { TargetMethod: { Name: "IndexOf", ContainingType.SpecialType: SpecialType.System_Array }, Arguments.Length: 2 } indexOf } }
                    when WriteTargets.SymbolOf(indexOf.Arguments[0].Value) is { } jagged && WriteTargets.SymbolOf(indexOf.Arguments[1].Value) is { } row:
                    checkedPairs.Add(new AliasCheck(row, jagged, isRowOf: true));
                    break;
            }
        }

        return model.AliasChecks.All(check => checkedPairs.Any(check.Equals));
    }

    /// <summary>The array a table loop writes (<c>w</c> of <c>w[i]</c>), for messages.</summary>
    private static string TableName(IOperation write)
        => write is IArrayElementReferenceOperation element ? ArrayChain.RootOf(element).Syntax.ToString() : write.Syntax.ToString();

    /// <summary>The first span (in source order) the body reads or writes: an element access, else a reference to a span variable; or null.</summary>
    private static IOperation? FirstSpanUse(LoopModel model, KnownTypes types)
    {
        if (model.Accesses.Where(a => a.IsSpan).OrderBy(a => a.Operation.Syntax.SpanStart).FirstOrDefault() is { Operation: IPropertyReferenceOperation { Instance: { } instance } })
        {
            return instance;
        }

        return model.Body.DescendantsAndSelf().OrderBy(o => o.Syntax.SpanStart).FirstOrDefault(o => o is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation
            && (KnownTypes.Is(o.Type?.OriginalDefinition, types.SpanOfT) || KnownTypes.Is(o.Type?.OriginalDefinition, types.ReadOnlySpanOfT)));
    }

    /// <summary>The 1-based line of <paramref name="operation"/>'s first token, for messages.</summary>
    private static int LineOf(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    /// <summary>
    /// The rejection of a loop that fills the arrays of the instance its static factory returns (<see cref="FactoryLoop"/>),
    /// or null. Shared by NOGIL301–NOGIL303, each asking it last, of a loop it would otherwise report.
    /// </summary>
    internal static KernelRejection? FactoryRejection(LoopModel model)
        => FactoryLoop.Find(model) is { } factory
            ? new KernelRejection(
                RejectionReason.Factory,
                model.Loop,
                "fills arrays that '" + factory.Name + "' created, and '" + factory.Name + "' is a static factory returning a new '" + factory.ContainingType.Name
                + "': the new instance's state, built once as a constructor builds it")
            : null;

    /// <summary>
    /// Loops in constructors (instance or static) build tables and initial state once per object or type; the public
    /// corpus showed them correct but not worth a worker (docs/precision.md), so they are not reported.
    /// </summary>
    internal static bool IsInConstructor(ILoopOperation loop)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IConstructorBodyOperation:
                    return true;
                case IMethodBodyOperation:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The statement of a body of one element-wise assignment or reduction update, with no inner loop and no call into
    /// source code, that NOGIL302/NOGIL303 vectorize, or null: they own such loops (one core's vector lanes beat several
    /// cores' scalar loops). One they do not vectorize — <c>dst[i] = Math.Exp(src[i])</c> without TensorPrimitives,
    /// <c>s += Math.Log(x[i])</c> — is NOGIL301's when it is worth a worker.
    /// </summary>
    private static IOperation? VectorKernelStatement(LoopModel model, KnownTypes types, CancellationToken cancellationToken)
    {
        if (model.Cost.HasInnerLoop || model.Cost.CallsSourceMethod)
        {
            return null;
        }

        var body = model.Body.WithoutSingleStatementBlocks();

        if (!(body is IExpressionStatementOperation || (model.Reductions.Length == 1 && model.Reductions[0].Update == body)))
        {
            return null;
        }

        var vectorized = model.Reductions.Length == 1
            ? ReductionKernel.TryMatch(model) is not null
            : ElementwiseKernel.TryMatch(model, types, cancellationToken) is { IsVectorizable: true };
        return vectorized ? body : null;
    }

    /// <summary>A merge of per-worker partial results gives the sequential result (exactly, or up to float reassociation when allowed).</summary>
    private static bool CanMergeInParallel(LoopReduction reduction, bool allowFloatReassociation)
    {
        var isFloat = NumericTypes.IsFloatingPoint(reduction.Type);
        var isInteger = NumericTypes.IsInteger(reduction.Type);
        return reduction.Operator switch
        {
            // Integers wrap around exactly under any order; floats only round differently.
            ReductionOperator.Add or ReductionOperator.Multiply => isInteger || (isFloat && allowFloatReassociation),

            // Math.Min/Max are commutative and associative, NaN and -0 included.
            ReductionOperator.MathMin or ReductionOperator.MathMax => isInteger || isFloat,

            // 'if (x > m) m = x' keeps the first of equal values and never takes NaN: a merge of partial results
            // depends on which worker saw which value first (+0/-0 ties, NaN). Equal integers are indistinguishable.
            ReductionOperator.CompareMin or ReductionOperator.CompareMax => isInteger,
            ReductionOperator.And or ReductionOperator.Or or ReductionOperator.Xor => isInteger || reduction.Type.SpecialType == SpecialType.System_Boolean,
            _ => false,
        };
    }

    private static string? NoFixReasonFor(LoopModel model, LoopReduction? reduction)
    {
        // A loop that uses spans never gets here: it has no parallel form (RejectionReason.SpanCapture).
        if (model.Reductions.Length > 1)
        {
            return "the body folds values into several variables";
        }

        if (reduction is { Operator: ReductionOperator.Add or ReductionOperator.Multiply, IsFloatingPoint: false } && model.HasCheckedArithmetic)
        {
            return "partial sums in a checked context may overflow where the sequential loop does not";
        }

        return CaptureObstacle(model);
    }

    /// <summary>Why the body (or the array a <c>foreach</c> walks) cannot move into a lambda, or null.</summary>
    private static string? CaptureObstacle(LoopModel model)
    {
        if (model.Loop.Syntax.Ancestors().Any(IsUnsafeContext))
        {
            return "the loop is in unsafe code";
        }

        foreach (var root in model.Shape == LoopShape.ForEachArray && model.UpperBound is { } collection ? new[] { model.Body, collection } : new[] { model.Body })
        {
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IParameterReferenceOperation { Parameter.RefKind: not RefKind.None } parameter:
                        return "a lambda cannot capture the " + parameter.Parameter.RefKind.ToString().ToLowerInvariant() + " parameter '" + parameter.Parameter.Name + "'";
                    case ILocalReferenceOperation { Local.IsRef: true } local:
                        return "a lambda cannot capture the ref local '" + local.Local.Name + "'";
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance, Type.IsValueType: true }:
                        return "a lambda cannot capture 'this' of a struct";
                    case { Type: { } type } when type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer || type.IsRefLikeType:
                        return "a lambda cannot capture pointers or ref structs";
                }
            }
        }

        return model.CanMoveBodyIntoLambda ? null : "a lambda cannot capture everything the body uses";
    }

    private static bool IsUnsafeContext(SyntaxNode node)
        => node switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.UnsafeStatementSyntax => true,
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax member => member.Modifiers.Any(m => m.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.UnsafeKeyword)),
            Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax function => function.Modifiers.Any(m => m.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.UnsafeKeyword)),
            _ => false,
        };
}
