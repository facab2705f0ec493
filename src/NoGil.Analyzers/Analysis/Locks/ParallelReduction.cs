using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>How a shared accumulator is combined with one iteration's value.</summary>
public enum ReductionKind
{
    /// <summary><c>acc += v</c> under a lock, or <c>Interlocked.Add(ref acc, v)</c>.</summary>
    Sum,

    /// <summary><c>acc++</c> under a lock, or <c>Interlocked.Increment(ref acc)</c>.</summary>
    Count,

    /// <summary><c>acc = Math.Max(acc, v)</c> under a lock.</summary>
    Max,

    /// <summary><c>acc = Math.Min(acc, v)</c> under a lock.</summary>
    Min,
}

/// <summary>
/// A per-iteration synchronized reduction in the body of <c>Parallel.For</c>/<c>Parallel.ForEach</c>: every
/// iteration takes a lock (or an <c>Interlocked</c> operation) to fold its value into one shared accumulator.
/// </summary>
public sealed class ParallelReduction
{
    private static readonly ConditionalWeakTable<IInvocationOperation, StrongBox<ParallelReduction?>> ByLoop = new();

    private ParallelReduction(IInvocationOperation loop, IAnonymousFunctionOperation body, IOperation update, ILockOperation? lockOperation, ISymbol accumulator, IOperation accumulatorReference, ReductionKind kind, IOperation? value)
    {
        Loop = loop;
        Body = body;
        Update = update;
        Lock = lockOperation;
        Accumulator = accumulator;
        AccumulatorReference = accumulatorReference;
        Kind = kind;
        Value = value;
    }

    /// <summary>The <c>Parallel.For</c>/<c>ForEach</c> call.</summary>
    public IInvocationOperation Loop { get; }

    /// <summary>Its body lambda.</summary>
    public IAnonymousFunctionOperation Body { get; }

    /// <summary>The synchronized statement: the <c>lock</c> statement or the <c>Interlocked</c> call statement.</summary>
    public IOperation Update { get; }

    /// <summary>The lock statement, or null for the <c>Interlocked</c> form.</summary>
    public ILockOperation? Lock { get; }

    /// <summary>The shared accumulator (field or captured local).</summary>
    public ISymbol Accumulator { get; }

    /// <summary>One reference to it (its syntax names it in the merge).</summary>
    public IOperation AccumulatorReference { get; }

    public ReductionKind Kind { get; }

    /// <summary>The iteration's value (null for a count).</summary>
    public IOperation? Value { get; }

    public ITypeSymbol Type => AccumulatorReference.Type!;

    /// <summary>Integer sums and counts wrap exactly under reordering; min/max of any numeric type are order-independent (Math.Max/Min are commutative and associative, NaN included).</summary>
    public bool IsExact => Kind is ReductionKind.Max or ReductionKind.Min || IsInteger(Type);

    /// <summary>
    /// Is the fix offered? The arithmetic is exact under reordering, and the call can be rewritten: its body is a
    /// synchronous lambda written as one of its arguments (a block, or an expression without a lock), and its other
    /// arguments are positional, so the <c>localInit</c>/<c>localFinally</c> overload takes them in the same order.
    /// </summary>
    public bool CanFix
    {
        get
        {
            if (!IsExact || Body.Symbol.IsAsync || Body.Syntax is not LambdaExpressionSyntax lambda)
            {
                return false;
            }

            if (IsChecked || (lambda.ExpressionBody is null ? lambda.Block is null : Lock is not null))
            {
                return false;
            }

            return Loop.Syntax is InvocationExpressionSyntax invocation && IsRewritableArgumentList(invocation.ArgumentList, lambda);
        }
    }

    /// <summary>True when the body's arithmetic is checked (<see cref="IsInCheckedContext"/>): the fix is not offered.</summary>
    public bool IsChecked => IsInCheckedContext(Body.Syntax, Loop.SemanticModel?.Compilation);

    /// <summary>
    /// True when arithmetic written at <paramref name="node"/> is checked: the nearest enclosing <c>checked</c>/<c>unchecked</c>
    /// block or expression decides, else the project's <c>CheckForOverflowUnderflow</c>. Partial sums would overflow where
    /// the shared sum did not (and an <c>Interlocked.Add</c> wraps where the new additions would throw), so the fix is not offered.
    /// </summary>
    private static bool IsInCheckedContext(SyntaxNode node, Compilation? compilation)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            switch (ancestor)
            {
                case CheckedStatementSyntax statement:
                    return statement.IsKind(SyntaxKind.CheckedStatement);
                case CheckedExpressionSyntax expression:
                    return expression.IsKind(SyntaxKind.CheckedExpression);
            }
        }

        return compilation?.Options.CheckOverflow == true;
    }

    /// <summary>Where NOGIL103 is reported: the <c>lock (x)</c> header, or the <c>Interlocked</c> statement.</summary>
    public Location Location
        => Lock is { Syntax: LockStatementSyntax lockStatement } ? CriticalSection.HeaderLocation(lockStatement) : Update.Syntax.GetLocation();

    /// <summary>How each iteration synchronizes, for messages: "takes the lock on 'x' to update", "uses Interlocked.Add on".</summary>
    public string SynchronizationDisplay
        => Lock is null
            ? "uses Interlocked." + ((IInvocationOperation)((IExpressionStatementOperation)Update).Operation.UnwrapConversions()).TargetMethod.Name + " on"
            : "takes the lock on '" + Lock.LockedValue.Syntax + "' to update";

    /// <summary>
    /// Is the per-iteration synchronization what limits the loop? Yes when the value is computed under the lock (CPU
    /// work serialized), or when the rest of the body is cheap (the workers mostly contend for the accumulator). A body
    /// that does heavy work and then bumps a counter (<c>Process(f); Interlocked.Increment(ref done);</c>) pays one
    /// uncontended operation per heavy item: not worth a report.
    /// </summary>
    public bool SynchronizationDominates(PurityCache cache, CancellationToken cancellationToken)
    {
        if (Lock is not null && Value is not null && CpuWork.Find(Value, cache, skip: null, cancellationToken) is not null)
        {
            return true;
        }

        return CpuWork.Find(Body.Body, cache, skip: o => o == Update, cancellationToken) is null;
    }

    /// <summary>
    /// The reduction in a <c>Parallel.For(from, to[, options], body)</c> or <c>Parallel.ForEach(source[, options], body)</c>
    /// call, or null; recognized once per call, so NOGIL102, NOGIL103 and the fixer read the same one.
    /// </summary>
    public static ParallelReduction? For(IInvocationOperation loop, KnownTypes types, PurityCache cache, CancellationToken cancellationToken)
    {
        if (ByLoop.TryGetValue(loop, out var cached))
        {
            return cached.Value;
        }

        var reduction = Create(loop, types, cache, cancellationToken);
        return ByLoop.GetValue(loop, _ => new StrongBox<ParallelReduction?>(reduction)).Value;
    }

    private static ParallelReduction? Create(IInvocationOperation loop, KnownTypes types, PurityCache cache, CancellationToken cancellationToken)
    {
        var method = loop.TargetMethod;
        if (!KnownTypes.Is(method.ContainingType, types.Parallel) || method.Name is not ("For" or "ForEach"))
        {
            return null;
        }

        IAnonymousFunctionOperation? lambda = null;
        foreach (var argument in loop.Arguments)
        {
            if (argument.Parameter?.Name == "body")
            {
                lambda = argument.Value.UnwrapConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation target } ? target : null;
            }
            else if (argument.Parameter?.Name is not ("fromInclusive" or "toExclusive" or "source" or "parallelOptions"))
            {
                return null;
            }
        }

        if (lambda is null || lambda.Symbol.Parameters.Length != 1 || lambda.Symbol.IsAsync)
        {
            return null;
        }

        ParallelReduction? found = null;
        foreach (var operation in lambda.Body.Descendants())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var candidate = operation switch
            {
                ILockOperation lockOperation => FromLock(loop, lambda, lockOperation, types),
                IExpressionStatementOperation statement => FromInterlocked(loop, lambda, statement, types),
                _ => null,
            };

            if (candidate is null)
            {
                continue;
            }

            if (found is not null || operation.IsInNestedFunction(lambda))
            {
                return null;
            }

            found = candidate;
        }

        if (found is null)
        {
            return null;
        }

        // The accumulator is touched only by the update, and the value is pure and does not read it.
        foreach (var operation in lambda.Body.Descendants())
        {
            if (IsReferenceTo(operation, found.Accumulator) && !IsInside(operation, found.Update))
            {
                return null;
            }
        }

        if (found.Value is { } value)
        {
            foreach (var operation in value.DescendantsAndSelf())
            {
                if (IsReferenceTo(operation, found.Accumulator))
                {
                    return null;
                }
            }

            if (!Purity.IsIndependent(value, lambda.Syntax, cache, cancellationToken)
                || (found.Lock is not null && SharedStatics.AreRead(value, cache, cancellationToken)))
            {
                // Under a lock the value was computed in mutual exclusion: it must not read statics others may write.
                return null;
            }
        }

        return found;
    }

    private static ParallelReduction? FromLock(IInvocationOperation loop, IAnonymousFunctionOperation lambda, ILockOperation lockOperation, KnownTypes types)
    {
        var statement = lockOperation.Body is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : lockOperation.Body;
        if (statement is not IExpressionStatementOperation { Operation: { } update })
        {
            return null;
        }

        switch (update)
        {
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null } compound
                when FindAccumulator(compound.Target, lambda) is { } accumulator && IsNumeric(compound.Target.Type):
                return new ParallelReduction(loop, lambda, lockOperation, lockOperation, accumulator, compound.Target, ReductionKind.Sum, compound.Value);

            case IIncrementOrDecrementOperation { Kind: OperationKind.Increment, OperatorMethod: null } increment
                when FindAccumulator(increment.Target, lambda) is { } accumulator && IsInteger(increment.Target.Type):
                return new ParallelReduction(loop, lambda, lockOperation, lockOperation, accumulator, increment.Target, ReductionKind.Count, null);

            case ISimpleAssignmentOperation { Value: IInvocationOperation { Arguments.Length: 2 } call } assignment
                when KnownTypes.Is(call.TargetMethod.ContainingType, types.Math) && call.TargetMethod.Name is "Max" or "Min"
                     && FindAccumulator(assignment.Target, lambda) is { } accumulator && IsNumeric(assignment.Target.Type)
                     && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ReturnType, assignment.Target.Type):
                var first = call.Arguments[0].Value.UnwrapConversions();
                var second = call.Arguments[1].Value.UnwrapConversions();
                var kind = call.TargetMethod.Name == "Max" ? ReductionKind.Max : ReductionKind.Min;
                if (IsReferenceTo(first, accumulator))
                {
                    return new ParallelReduction(loop, lambda, lockOperation, lockOperation, accumulator, assignment.Target, kind, call.Arguments[1].Value);
                }

                return IsReferenceTo(second, accumulator)
                    ? new ParallelReduction(loop, lambda, lockOperation, lockOperation, accumulator, assignment.Target, kind, call.Arguments[0].Value)
                    : null;

            default:
                return null;
        }
    }

    private static ParallelReduction? FromInterlocked(IInvocationOperation loop, IAnonymousFunctionOperation lambda, IExpressionStatementOperation statement, KnownTypes types)
    {
        if (statement.Operation.UnwrapConversions() is not IInvocationOperation call || !KnownTypes.Is(call.TargetMethod.ContainingType, types.Interlocked)
            || call.Arguments.Length == 0 || call.Arguments[0].Parameter?.RefKind != RefKind.Ref
            || FindAccumulator(call.Arguments[0].Value, lambda) is not { } accumulator || !IsInteger(call.Arguments[0].Value.Type))
        {
            return null;
        }

        return call.TargetMethod.Name switch
        {
            "Add" when call.Arguments.Length == 2 => new ParallelReduction(loop, lambda, statement, null, accumulator, call.Arguments[0].Value, ReductionKind.Sum, call.Arguments[1].Value),
            "Increment" when call.Arguments.Length == 1 => new ParallelReduction(loop, lambda, statement, null, accumulator, call.Arguments[0].Value, ReductionKind.Count, null),
            _ => null,
        };
    }

    /// <summary>A field (static, or of <c>this</c>) or a variable captured from outside the body.</summary>
    private static ISymbol? FindAccumulator(IOperation target, IAnonymousFunctionOperation lambda) => target switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        ILocalReferenceOperation { Local.IsRef: false } local when !Purity.IsDeclaredWithin(local.Local, lambda.Syntax) => local.Local,
        IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter when !Purity.IsDeclaredWithin(parameter.Parameter, lambda.Syntax) => parameter.Parameter,
        _ => null,
    };

    private static bool IsReferenceTo(IOperation operation, ISymbol symbol)
    {
        var referenced = operation switch
        {
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => (ISymbol?)null,
        };

        return referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, symbol);
    }

    private static bool IsInside(IOperation operation, IOperation container)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsInteger(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static bool IsNumeric(ITypeSymbol? type)
        => IsInteger(type) || type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    /// <summary>
    /// The fixer keeps every argument but the body in place and writes the three delegates where the body was: the body
    /// must be one of the arguments as written, and no other argument may be named.
    /// </summary>
    private static bool IsRewritableArgumentList(ArgumentListSyntax arguments, LambdaExpressionSyntax lambda)
    {
        var hasBody = false;
        foreach (var argument in arguments.Arguments)
        {
            if (argument.Expression == lambda)
            {
                hasBody = true;
            }
            else if (argument.NameColon is not null)
            {
                return false;
            }
        }

        return hasBody;
    }
}
