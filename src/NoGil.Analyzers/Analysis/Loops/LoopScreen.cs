using NoGil.Analyzers.Analysis.Kernels;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// A cheap look at a loop before its model is built, for the rules that report only loops whose iterations are
/// independent (NOGIL301–303): does the loop certainly have no model, or an obstacle none of them accepts? Most loops of
/// real code do — a <c>return</c> or <c>break</c>, a <c>throw</c>, a field or property written, a call of a BCL method
/// with effects — and for those the whole model (purity summaries of source callees, call costs, the element accesses,
/// trip bounds) is not needed.
/// <para>
/// It walks the body exactly as <see cref="LoopWalk"/> does (the same operations, the indices of an element chain
/// instead of its children) and stops at the first operation for which the walk adds an obstacle whatever the rest of
/// the body is: an exit, exception handling, a construct the model does not follow, a write of a field, a property, a
/// <c>ref</c>/<c>out</c> parameter, a ref local or the induction variable, a volatile read, a throw helper, a local
/// function that sees the method's variables, or a call that <see cref="Purity.IsPureMethodWithoutSummary"/> finds impure
/// without reading any body — after the one obstacle the header alone shows, a <c>for</c> bound that is not invariant by its
/// form (<see cref="LoopScope.IsInvariant(IOperation, ILocalSymbol, KnownTypes, HashSet{ISymbol})"/> with nothing
/// written). Then, before any cost, the obstacle that needs more than the operation at hand: a call, constructor or getter
/// that the purity summaries of source bodies find impure (<see cref="Purity.IsPureMethod"/>, which the model asks of the
/// same operations). Every such obstacle is added by the walk before the element-access checks, so the model's first
/// obstacle is of a kind that is neither <see cref="LoopObstacleKind.MayAlias"/> nor <see cref="LoopObstacleKind.SpanOverlap"/>
/// (the only kinds a kernel rule tolerates). Throwing callees, outer variable writes, bounds written in the body and element accesses are left to the
/// model: they need the index algebra and the body's writes.
/// </para>
/// <para>
/// Last, over the operations the walk collected, an upper bound of the model's cost (<see cref="LoopModel.Cost"/>): every
/// call into source code counted as pure (an impure one has ended the screen). When even that bound is not
/// <see cref="LoopCost.IsWorthParallelizing"/>, NOGIL301 has nothing to report; and when the body is not one statement,
/// the vector rules have nothing either.
/// </para>
/// <para>NOGIL300 does not use it: it explains every obstacle of the full model.</para>
/// </summary>
internal sealed class LoopScreen
{
    private LoopScreen(bool blocked, bool mayBeWorthParallelizing, bool mayBeVectorKernel, bool mayBeElementwise = false, bool mayBeReduction = false)
    {
        Blocked = blocked;
        MayBeWorthParallelizing = mayBeWorthParallelizing;
        MayBeVectorKernel = mayBeVectorKernel;
        MayBeElementwise = mayBeElementwise;
        MayBeReduction = mayBeReduction;
    }

    /// <summary>
    /// True when the loop has no model (<see cref="LoopDependence.Analyze"/> is null) or its model's first obstacle is of a
    /// kind no kernel rule accepts; false when only the model can tell.
    /// </summary>
    public bool Blocked { get; }

    /// <summary>False when the model's cost is certainly not <see cref="LoopCost.IsWorthParallelizing"/> (or <see cref="Blocked"/>).</summary>
    public bool MayBeWorthParallelizing { get; }

    /// <summary>
    /// False when the body is certainly not the one statement NOGIL302 (an expression statement) or NOGIL303 (an expression
    /// statement or an <c>if</c> without <c>else</c>) match.
    /// </summary>
    public bool MayBeVectorKernel { get; }

    /// <summary>
    /// False when NOGIL302 certainly does not match (<see cref="ElementwiseKernel.TryMatch"/>): not one statement, or not a
    /// <c>for</c> loop whose header and statement have the syntax the kernel reads (<see cref="ElementwiseKernel.MayMatch(ForStatementSyntax)"/>),
    /// or a statement that does not store an element at the induction variable (<see cref="ElementwiseKernel.MayMatch(IOperation, ILocalSymbol)"/>).
    /// </summary>
    public bool MayBeElementwise { get; }

    /// <summary>
    /// False when NOGIL303 certainly does not match (<see cref="ReductionKernel.TryMatch"/>): the one statement is neither a
    /// store into a local or parameter nor an <c>if</c> without <c>else</c> around one.
    /// </summary>
    public bool MayBeReduction { get; }

    /// <summary>Screens <paramref name="loop"/>.</summary>
    public static LoopScreen Of(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (LoopHeader.Read(loop) is not { } header || loop.Body is not { Syntax: not null } body)
        {
            return new LoopScreen(blocked: true, mayBeWorthParallelizing: false, mayBeVectorKernel: false);
        }

        // A bound that is not invariant by its form (a property other than a length, a call) first: it reads the header alone.
        // The walk adds it (BoundNotInvariant), and no kernel rule accepts it.
        if (header.Shape == LoopShape.For && !LoopScope.IsInvariant(header.Upper, header.Induction, types, writtenInBody: null))
        {
            return new LoopScreen(blocked: true, mayBeWorthParallelizing: false, mayBeVectorKernel: false);
        }

        // Then the obstacles of the body, which end most screens early, collecting on the way what the cost tally counts
        // (nothing else adds to it); then two bounds of the model's cost: every counted operation at full weight (no index
        // arithmetic, whose table is a walk of the whole function), and only when that bound is worth a worker, the exact tally.
        var counted = RentList();
        var stack = RentStack();
        try
        {
            stack.Push(body);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                if (IsBlocking(operation, loop, body, header.Induction, types))
                {
                    return new LoopScreen(blocked: true, mayBeWorthParallelizing: false, mayBeVectorKernel: false);
                }

                // What the tally counts, and a property read other than a span's indexer: it weighs nothing, but its getter's
                // purity is asked below.
                if (operation is ILoopOperation or IObjectCreationOperation || CallCost.WeightOf(operation) > 0
                    || (operation is IPropertyReferenceOperation property && !IsSpanIndexer(property, types)))
                {
                    counted.Add(operation);
                }

                if (operation is IArrayElementReferenceOperation element)
                {
                    // As the walk: the chain is one access; its indices (and an array expression that is not a variable) are walked.
                    foreach (var operand in ArrayChain.OperandsOf(element))
                    {
                        stack.Push(operand);
                    }

                    continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            // The obstacle that needs more than the operation at hand, still before any cost: a call the purity summaries find
            // impure. The walk adds it (ImpureCall), and no kernel rule accepts it.
            foreach (var operation in counted)
            {
                if (IsImpure(operation, purity, cancellationToken))
                {
                    return new LoopScreen(blocked: true, mayBeWorthParallelizing: false, mayBeVectorKernel: false);
                }
            }

            var bound = CostTally.UpperBound();
            foreach (var operation in counted)
            {
                CountUpperBound(bound, operation, purity, cancellationToken);
            }

            var mayBeWorthParallelizing = bound.ToLoopCost().IsWorthParallelizing;
            if (mayBeWorthParallelizing)
            {
                var cost = new CostTally(loop);
                foreach (var operation in counted)
                {
                    CountUpperBound(cost, operation, purity, cancellationToken);
                }

                mayBeWorthParallelizing = cost.ToLoopCost().IsWorthParallelizing;
            }

            var statement = body.WithoutSingleStatementBlocks();
            var oneStatement = IsOneStatement(loop, statement);
            return new LoopScreen(
                blocked: false,
                mayBeWorthParallelizing,
                oneStatement,
                mayBeElementwise: oneStatement && loop.Syntax is ForStatementSyntax forLoop && ElementwiseKernel.MayMatch(forLoop) && ElementwiseKernel.MayMatch(statement, header.Induction, loop.Syntax, types, cancellationToken),
                mayBeReduction: oneStatement && IsReductionStatement(statement) && ReductionKernel.MayMatchAccesses(statement, header.Induction, header.Shape));
        }
        finally
        {
            Return(counted, stack);
        }
    }

    [ThreadStatic]
    private static List<IOperation>? s_counted;

    [ThreadStatic]
    private static Stack<IOperation>? s_stack;

    /// <summary>The thread's list for the counted operations (a new one when a screen runs inside another on this thread).</summary>
    private static List<IOperation> RentList()
    {
        var list = s_counted ?? new List<IOperation>(64);
        s_counted = null;
        return list;
    }

    private static Stack<IOperation> RentStack()
    {
        var stack = s_stack ?? new Stack<IOperation>(32);
        s_stack = null;
        return stack;
    }

    private static void Return(List<IOperation> counted, Stack<IOperation> stack)
    {
        counted.Clear();
        stack.Clear();
        if (counted.Capacity <= 4096)
        {
            s_counted = counted;
            s_stack = stack;
        }
    }

    /// <summary>
    /// The one statement <see cref="ReductionKernel.TryMatch"/> reads (<paramref name="statement"/>, the body without its
    /// blocks of one statement): an assignment or an addition into a local or parameter (<c>s += a[i]</c>,
    /// <c>s = Math.Max(s, a[i])</c>), or an <c>if</c> without <c>else</c> around one such store or increment (a conditional
    /// count or compare-min/max). The kernel's accumulator is a local or parameter of a vector element type (every kernel
    /// reads elements of its type, or counts in an <c>int</c> or <c>long</c>), so a store into an element, a field or a
    /// property, or into a <c>Complex</c> or <c>decimal</c> accumulator, is none of these.
    /// </summary>
    private static bool IsReductionStatement(IOperation statement)
    {
        if (statement is IConditionalOperation { WhenFalse: null } conditional)
        {
            var whenTrue = conditional.WhenTrue.WithoutSingleStatementBlocks();
            return whenTrue is IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Target: var incremented } }
                ? IsAccumulator(incremented)
                : IsStore(whenTrue);
        }

        return IsStore(statement);

        static bool IsStore(IOperation statement) => (statement as IExpressionStatementOperation)?.Operation switch
        {
            ISimpleAssignmentOperation assignment => IsAccumulator(assignment.Target),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } addition => IsAccumulator(addition.Target),
            _ => false,
        };

        static bool IsAccumulator(IOperation target)
            => target is ILocalReferenceOperation or IParameterReferenceOperation && NumericTypes.IsVectorElementType(target.Type);
    }

    /// <summary>
    /// What the walk's <see cref="CostTally"/> counts for <paramref name="operation"/>, with every call into source code
    /// counted as pure: the model's cost is at most this (it adds a source call's cost only when the call is pure).
    /// </summary>
    private static void CountUpperBound(CostTally cost, IOperation operation, PurityCache purity, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case ILoopOperation inner:
                cost.CountInnerLoop(inner, purity, cancellationToken);
                return;
            case IInvocationOperation invocation:
                cost.Count(operation);
                CountCall(cost, invocation, invocation.TargetMethod, purity, cancellationToken);
                return;
            case IObjectCreationOperation { Constructor: { } constructor } creation when !constructor.ContainingType.IsValueType && !CostTally.IsKnownAllocation(creation):
                cost.Count(operation);
                CountCall(cost, creation, constructor, purity, cancellationToken);
                return;
            default:
                cost.Count(operation);
                return;
        }
    }

    private static void CountCall(CostTally cost, IOperation call, IMethodSymbol method, PurityCache purity, CancellationToken cancellationToken)
    {
        cost.CountTranscendental(method);
        if (!method.DeclaringSyntaxReferences.IsEmpty)
        {
            cost.CountSourceCall(call, method, isPure: true, purity, cancellationToken);
        }
    }

    /// <summary>
    /// Does the walk (<c>LoopWalk.CheckCall</c>, <c>CheckPropertyRead</c>) find the call, constructor or getter impure with
    /// the summaries of source bodies (<see cref="Purity.IsPureMethod"/>)?
    /// </summary>
    private static bool IsImpure(IOperation operation, PurityCache purity, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                return !Purity.IsPureMethod(invocation.TargetMethod, purity, cancellationToken);
            case IObjectCreationOperation { Constructor: { } constructor } creation when !constructor.ContainingType.IsValueType && !CostTally.IsKnownAllocation(creation):
                return !Purity.IsPureMethod(constructor, purity, cancellationToken);
            case IPropertyReferenceOperation property:
                return !LoopWalk.IsKnownPureRead(property)
                       && (property.Property.GetMethod is not { } getter || !Purity.IsPureMethod(getter, purity, cancellationToken));
            default:
                return false;
        }
    }

    /// <summary>
    /// The body is one statement after unwrapping blocks of one statement (<paramref name="statement"/> is the body so
    /// unwrapped): an expression statement (NOGIL302, NOGIL303) or an <c>if</c> without <c>else</c> (NOGIL303's conditional
    /// count and compare-min/max), by its syntax or its operations.
    /// </summary>
    private static bool IsOneStatement(ILoopOperation loop, IOperation statement)
    {
        var syntax = loop.Syntax switch
        {
            ForStatementSyntax f => f.Statement,
            CommonForEachStatementSyntax f => f.Statement,
            _ => null,
        };

        while (syntax is BlockSyntax { Statements.Count: 1 } block)
        {
            syntax = block.Statements[0];
        }

        return syntax is null or ExpressionStatementSyntax or IfStatementSyntax || statement is IExpressionStatementOperation or IConditionalOperation;
    }

    /// <summary>Does <see cref="LoopWalk"/> add an obstacle of a kind no kernel rule accepts at <paramref name="operation"/>?</summary>
    private static bool IsBlocking(IOperation operation, ILoopOperation loop, IOperation body, ILocalSymbol induction, KnownTypes types)
    {
        // Dispatched on the kind (each of these interfaces has its own kinds): no chain of interface type tests per node.
        switch (operation.Kind)
        {
            case OperationKind.Branch:
                var branch = (IBranchOperation)operation;
                return (branch.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel))
                       || branch.BranchKind == BranchKind.GoTo;
            case OperationKind.Return or OperationKind.YieldReturn or OperationKind.YieldBreak or OperationKind.Await or OperationKind.Throw
                or OperationKind.Try or OperationKind.Using or OperationKind.Lock or OperationKind.UsingDeclaration or OperationKind.EventAssignment:
                return true;
            case OperationKind.Loop:
                return false;
        }

        if (LoopWalk.Unsupported(operation) is not null || LoopWalk.IsPointerSyntax(operation.Syntax))
        {
            return true;
        }

        if (WriteTargets.IsWriteTarget(operation, out var target) && target is not null && IsBlockingWrite(target, body, induction, types))
        {
            return true;
        }

        switch (operation.Kind)
        {
            case OperationKind.Invocation:
                return IsBlockingCall(((IInvocationOperation)operation).TargetMethod);
            case OperationKind.ObjectCreation when ((IObjectCreationOperation)operation).Constructor is { } constructor:
                return !constructor.ContainingType.IsValueType && !CostTally.IsKnownAllocation((IObjectCreationOperation)operation) && IsBlockingCall(constructor);
            case OperationKind.PropertyReference when !IsSpanIndexer((IPropertyReferenceOperation)operation, types):
                return IsBlockingPropertyRead((IPropertyReferenceOperation)operation);
            case OperationKind.FieldReference:
                return ((IFieldReferenceOperation)operation).Field.IsVolatile;
            default:
                return false;
        }
    }

    /// <summary>The walk's <c>RecordWrite</c>: the writes that are an obstacle whatever else the body does.</summary>
    private static bool IsBlockingWrite(IOperation target, IOperation body, ILocalSymbol induction, KnownTypes types)
    {
        switch (target.UnwrapConversions())
        {
            case ILocalReferenceOperation { Local: var local }:
                return SymbolEqualityComparer.Default.Equals(local, induction) || (!LoopScope.IsBodyLocal(local, body, induction) && local.IsRef);
            case IParameterReferenceOperation { Parameter: var parameter }:
                return parameter.RefKind != RefKind.None;
            case IFieldReferenceOperation field:
                return !IsBodyOwnedStruct(field, body, induction);
            case ITupleOperation tuple:
                return tuple.Elements.Any(e => IsBlockingWrite(e, body, induction, types));
            case IArrayElementReferenceOperation or IDeclarationExpressionOperation or IDiscardOperation:
                return false;
            case IPropertyReferenceOperation property:
                return !IsSpanIndexer(property, types);
            default:
                return true;
        }
    }

    /// <summary>The walk's <c>CheckCall</c>, without the summaries of source bodies.</summary>
    private static bool IsBlockingCall(IMethodSymbol method)
        => (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic)
           || CallCost.IsThrowHelper(method)
           || Purity.IsPureMethodWithoutSummary(method) == false;

    /// <summary>The walk's <c>CheckPropertyRead</c>, without the summaries of source getters.</summary>
    private static bool IsBlockingPropertyRead(IPropertyReferenceOperation property)
        => !LoopWalk.IsKnownPureRead(property)
           && (property.Property.GetMethod is not { } getter || Purity.IsPureMethodWithoutSummary(getter) == false);

    private static bool IsSpanIndexer(IPropertyReferenceOperation property, KnownTypes types)
        => property.Property.IsIndexer && LoopScope.IsSpan(property.Instance?.Type, types);

    /// <summary>The walk's test for a field of a struct held in a body-local variable.</summary>
    private static bool IsBodyOwnedStruct(IFieldReferenceOperation field, IOperation body, ILocalSymbol induction)
    {
        IOperation? instance = field.Instance;
        while (instance is IFieldReferenceOperation { Instance: { } inner } nested && nested.Type?.IsValueType == true)
        {
            instance = inner;
        }

        return instance is ILocalReferenceOperation local && local.Type?.IsValueType == true && LoopScope.IsBodyLocal(local.Local, body, induction);
    }
}
