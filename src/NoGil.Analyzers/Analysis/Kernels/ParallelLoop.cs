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

    /// <summary>Why no automatic fix is offered (e.g. "a lambda cannot capture the spans the body uses"), or null when it is.</summary>
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
    /// The parallelizable loop <paramref name="loop"/>, or null when it is not one: not independent, too light, trivially
    /// small, already in a concurrent body, inside another loop that is itself parallelizable, a single element-wise or
    /// reduction statement (the vector rules' kernels), or a reduction that cannot be merged in parallel.
    /// </summary>
    public static ParallelLoop? TryMatch(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
    {
        if (types.Parallel is null || IsInConstructor(loop) || Candidate(loop, types, purity, allowFloatReassociation, cancellationToken) is not { } model)
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

            if (current is ILoopOperation outer && Candidate(outer, types, purity, allowFloatReassociation, cancellationToken) is not null)
            {
                return null;
            }
        }

        if (IsAliasedCaseOfAVersionedLoop(model))
        {
            return null;
        }

        var reduction = model.Reductions.Length == 1 ? model.Reductions[0] : null;
        var form = model.Cost.IsHeavy ? ParallelLoopForm.PerIndex : ParallelLoopForm.Ranges;
        var merge = reduction is null ? null : ParallelMerge.For(reduction, types);
        var canWrite = (reduction is null || merge is not null) && ParallelRewrite.CanWrite(model, form, types, cancellationToken);
        return new ParallelLoop(model, form, reduction, NoFixReasonFor(model, reduction), merge, canWrite);
    }

    private static LoopModel? Candidate(ILoopOperation loop, KnownTypes types, PurityCache purity, bool allowFloatReassociation, CancellationToken cancellationToken)
    {
        var model = LoopDependence.Analyze(loop, types, purity, cancellationToken);
        if (model is null
            || !model.IsIndependentUnlessAliased
            || model.IsTriviallySmall
            || model.IsInsideConcurrentBody
            || !model.Cost.IsWorthParallelizing
            || IsVectorKernel(model, types, cancellationToken))
        {
            return null;
        }

        foreach (var reduction in model.Reductions)
        {
            if (!CanMergeInParallel(reduction, allowFloatReassociation))
            {
                return null;
            }
        }

        return model;
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

        var checkedPairs = new List<(ISymbol, ISymbol)>();
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
                    checkedPairs.Add((first, second));
                    break;
            }
        }

        return model.AliasChecks.All(check => checkedPairs.Any(pair => check.Equals(new AliasCheck(pair.Item1, pair.Item2))));
    }

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
    /// A body of one element-wise assignment or reduction update, with no inner loop and no call into source code, that
    /// NOGIL302/NOGIL303 vectorize: they own it (one core's vector lanes beat several cores' scalar loops for such bodies).
    /// One they do not vectorize — <c>dst[i] = Math.Exp(src[i])</c> without TensorPrimitives, <c>s += Math.Log(x[i])</c> — is
    /// NOGIL301's when it is worth a worker.
    /// </summary>
    private static bool IsVectorKernel(LoopModel model, KnownTypes types, CancellationToken cancellationToken)
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

        if (!(body is IExpressionStatementOperation || (model.Reductions.Length == 1 && model.Reductions[0].Update == body)))
        {
            return false;
        }

        return model.Reductions.Length == 1
            ? ReductionKernel.TryMatch(model) is not null
            : ElementwiseKernel.TryMatch(model, types, cancellationToken) is { IsVectorizable: true };
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
