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
        Fix = noFixReason is null && canWrite ? FixKind.ParallelFor : null;
    }

    public LoopModel Model { get; }

    public ParallelLoopForm Form { get; }

    /// <summary>The one reduction of the loop, or null.</summary>
    public LoopReduction? Reduction { get; }

    /// <summary>True when the parallel merge changes the order of floating-point additions or multiplications.</summary>
    public bool Reassociates => Reduction is { IsFloatingPoint: true, Operator: ReductionOperator.Add or ReductionOperator.Multiply };

    /// <summary>Why no automatic fix is offered (e.g. "a lambda cannot capture the spans the body uses"), or null when it is.</summary>
    public string? NoFixReason { get; }

    public bool CanFix => NoFixReason is null;

    /// <summary>How the fix starts and merges the per-worker partial results of <see cref="Reduction"/>; null without one, or when it cannot be written.</summary>
    public ParallelMerge? Merge { get; }

    /// <summary>
    /// The fix the diagnostic announces: <see cref="FixKind.ParallelFor"/> when <see cref="CanFix"/> and the fix can
    /// write this loop (<see cref="ParallelRewrite"/>: its header, bounds and merge); else null.
    /// </summary>
    public FixKind? Fix { get; }

    /// <summary>
    /// The parallelizable loop <paramref name="loop"/>, or null when it is not one: not independent, too light, small
    /// (a constant trip count, or one bounded by construction), already in a concurrent body, inside another loop that is
    /// itself parallelizable, beside a deeper nest that does its method's real work, a single element-wise or reduction
    /// statement (the vector rules' kernels), or a reduction that cannot be merged in parallel.
    /// </summary>
    public static ParallelLoop? TryMatch(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
        => Evaluate(loop, types, purity, allowFloatReassociation, cancellationToken, out _);

    /// <summary>
    /// Why <paramref name="loop"/> is not a parallelizable loop (the first reason found, with the operation at fault), or
    /// null when it is one — or when it is not a loop the model reads at all (<see cref="ParallelLoopRejectionKind.NoModel"/>
    /// is returned then).
    /// </summary>
    public static ParallelLoopRejection? WhyNot(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
    {
        Evaluate(loop, types, purity, allowFloatReassociation, cancellationToken, out var rejection);
        return rejection;
    }

    private static ParallelLoop? Evaluate(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken, out ParallelLoopRejection? rejection)
    {
        if (types.Parallel is null)
        {
            rejection = new ParallelLoopRejection(ParallelLoopRejectionKind.NoModel, loop, "System.Threading.Tasks.Parallel is not available");
            return null;
        }

        if (IsInConstructor(loop))
        {
            rejection = new ParallelLoopRejection(ParallelLoopRejectionKind.InConstructor, loop, "the loop is in a constructor: a table or initial state built once");
            return null;
        }

        if (Candidate(loop, types, purity, allowFloatReassociation, cancellationToken, out rejection) is not { } model)
        {
            return null;
        }

        // Only the outermost parallelizable loop: a matrix multiply runs its rows in parallel, not its columns.
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyBaseOperation)
            {
                break;
            }

            if (current is ILoopOperation outer && Candidate(outer, types, purity, allowFloatReassociation, cancellationToken, out _) is not null)
            {
                rejection = new ParallelLoopRejection(ParallelLoopRejectionKind.InsideParallelizableLoop, outer, "the loop around it at line " + LineOf(outer) + " is the one to run in parallel");
                return null;
            }
        }

        // Only the loop that carries the method's dominant work: an O(n) side loop next to an O(n²) nest changes little.
        if (LoopNest.Of(loop, purity, cancellationToken).DeeperNestBeside(loop) is { } nest)
        {
            rejection = new ParallelLoopRejection(ParallelLoopRejectionKind.SideLoop, nest, "the deeper loop nest at line " + LineOf(nest) + " does the method's real work");
            return null;
        }

        rejection = null;
        var reduction = model.Reductions.Length == 1 ? model.Reductions[0] : null;
        var form = model.Cost.IsHeavy ? ParallelLoopForm.PerIndex : ParallelLoopForm.Ranges;
        var merge = reduction is null ? null : ParallelMerge.For(reduction, types);
        var canWrite = (reduction is null || merge is not null) && ParallelRewrite.CanWrite(model, form, types, cancellationToken);
        return new ParallelLoop(model, form, reduction, NoFixReasonFor(model, reduction), merge, canWrite);
    }

    /// <summary>The 1-based line of <paramref name="operation"/>'s first token, for messages.</summary>
    internal static int LineOf(IOperation operation) => operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;

    private static LoopModel? Candidate(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken, out ParallelLoopRejection? rejection)
    {
        var model = LoopDependence.Analyze(loop, types, purity, cancellationToken);
        rejection = model switch
        {
            null => new ParallelLoopRejection(ParallelLoopRejectionKind.NoModel, loop, "the loop is not a canonical 'for' loop or a 'foreach' over an array"),
            { IsIndependent: false } => new ParallelLoopRejection(ParallelLoopRejectionKind.NotIndependent, model.Obstacles[0].Operation, model.Obstacles[0].Reason),
            { TripCount: { } count } when count <= CpuWork.TrivialLoopBound
                => new ParallelLoopRejection(ParallelLoopRejectionKind.SmallTripCount, loop, "the loop runs " + count + " times"),
            { IsSmallByConstruction: true }
                => new ParallelLoopRejection(ParallelLoopRejectionKind.SmallByConstruction, model.UpperBound ?? loop, "the loop runs at most " + model.MaxTripCount + " times by construction"),
            { ConcurrentStarter: { } starter }
                => new ParallelLoopRejection(ParallelLoopRejectionKind.InsideConcurrentBody, starter, "the loop already runs inside " + StarterName(starter) + " at line " + LineOf(starter)),
            { Cost.IsWorthParallelizing: false }
                => new ParallelLoopRejection(ParallelLoopRejectionKind.TooLittleWork, loop, "too little work per iteration (about " + model.Cost.Operations + " operations)"),
            _ when IsVectorKernel(model)
                => new ParallelLoopRejection(ParallelLoopRejectionKind.VectorKernel, loop, "a single element-wise or reduction statement: a vector kernel (NOGIL302/NOGIL303)"),
            _ => model.Reductions.FirstOrDefault(r => !CanMergeInParallel(r, allowFloatReassociation)) is { } reduction
                ? new ParallelLoopRejection(ParallelLoopRejectionKind.ReductionNotMergeable, reduction.Update, "the reduction into '" + reduction.Variable.Name + "' cannot be merged from per-worker partial results")
                : null,
        };

        return rejection is null ? model : null;
    }

    /// <summary>A short name for a starter call: <c>Parallel.For</c>, <c>CommonParallel.For</c>, <c>new Thread</c>.</summary>
    internal static string StarterName(IOperation starter)
        => starter switch
        {
            IInvocationOperation { TargetMethod: var method } => (method.ContainingType is { } type ? type.Name + "." : string.Empty) + method.Name,
            IObjectCreationOperation { Type: { } type } => "new " + type.Name,
            _ => "a concurrent body",
        };

    /// <summary>
    /// Loops in constructors (instance or static) build tables and initial state once per object or type; the public
    /// corpus showed them correct but not worth a worker (docs/precision.md), so they are not reported.
    /// </summary>
    private static bool IsInConstructor(ILoopOperation loop)
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
    /// A body of one element-wise assignment or reduction update, with no inner loop and no call into source code:
    /// NOGIL302/NOGIL303 own it (one core's vector lanes beat several cores' scalar loops for such bodies).
    /// </summary>
    private static bool IsVectorKernel(LoopModel model)
    {
        if (model.Cost.HasInnerLoop || model.Cost.CallsSourceMethod)
        {
            return false;
        }

        var body = model.Body;
        while (body is IBlockOperation { Operations.Length: 1 } block)
        {
            body = block.Operations[0];
        }

        return body is IExpressionStatementOperation || (model.Reductions.Length == 1 && model.Reductions[0].Update == body);
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
        if (model.UsesSpans)
        {
            return "a lambda cannot capture the spans the body uses";
        }

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

/// <summary>Why NOGIL301 does not report a loop: one stable name per reason (for the why-not diagnostic and the docs).</summary>
public enum ParallelLoopRejectionKind
{
    /// <summary>Not a canonical <c>for</c> loop or <c>foreach</c> over an array; or <c>Parallel</c> is not available.</summary>
    NoModel,

    /// <summary>The iterations are not proven independent: <see cref="LoopModel.Obstacles"/> says why (a <see cref="LoopObstacleKind"/>).</summary>
    NotIndependent,

    /// <summary>Both bounds are constants and the loop runs at most <see cref="CpuWork.TrivialLoopBound"/> times.</summary>
    SmallTripCount,

    /// <summary>The trip count is proven small by construction (<see cref="TripBound"/>): <c>w.Length</c> of <c>new double[3]</c>, a fixed table.</summary>
    SmallByConstruction,

    /// <summary>The loop is in a constructor or static constructor.</summary>
    InConstructor,

    /// <summary>The loop already runs inside a concurrent body: <c>Parallel.*</c>, PLINQ, <c>Task.Run</c>, a thread, or a helper that forwards to one.</summary>
    InsideConcurrentBody,

    /// <summary>The body does too little work to pay for a worker (<see cref="LoopCost.IsWorthParallelizing"/>).</summary>
    TooLittleWork,

    /// <summary>A single element-wise or reduction statement: NOGIL302/NOGIL303 own it.</summary>
    VectorKernel,

    /// <summary>A reduction whose per-worker partial results cannot be merged to the sequential result.</summary>
    ReductionNotMergeable,

    /// <summary>A loop around it is itself parallelizable and is the one reported.</summary>
    InsideParallelizableLoop,

    /// <summary>A deeper loop nest beside it in the same method does the method's real work (<see cref="LoopNest"/>).</summary>
    SideLoop,
}

/// <summary>One reason why NOGIL301 does not report a loop, with the operation at fault and a sentence.</summary>
public sealed class ParallelLoopRejection
{
    public ParallelLoopRejection(ParallelLoopRejectionKind kind, IOperation operation, string reason)
    {
        Kind = kind;
        Operation = operation;
        Reason = reason;
    }

    public ParallelLoopRejectionKind Kind { get; }

    /// <summary>The operation at fault: the obstacle's operation, the starter call, the deeper nest, the loop itself.</summary>
    public IOperation Operation { get; }

    /// <summary>A short sentence, e.g. "the loop already runs inside Parallel.For at line 12".</summary>
    public string Reason { get; }

    public override string ToString() => Kind + ": " + Reason;
}
