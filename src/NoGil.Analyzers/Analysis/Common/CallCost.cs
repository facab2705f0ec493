using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// What one call to a source method costs, counted as if its body were written at the call site: its operations (the
/// same weights as <see cref="LoopCost.Operations"/>), whether it reaches a transcendental <c>Math</c> call, and whether
/// it calls itself back. Source callees are followed up to <see cref="Purity.MaxCallDepth"/> calls deep; deeper calls
/// count as the call alone, so the estimate errs low (a body is reported less often, never more).
/// <para>
/// A call by itself is no evidence of work: a one-line helper such as <c>static float Relu(float v) =&gt; Math.Max(0, v)</c>
/// costs a handful of instructions, and a parallel loop around it was measured slower than the sequential one on
/// public code (docs/precision.md).
/// </para>
/// </summary>
public readonly struct CallCost
{
    /// <summary>Counts beyond this are clamped: past it, every estimate is "heavy" anyway.</summary>
    private const int MaxOperations = 100_000;

    private static readonly ImmutableHashSet<string> TranscendentalNames = ImmutableHashSet.Create(
        "Exp", "Log", "Log10", "Log2", "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Atan2", "Sinh", "Cosh", "Tanh",
        "Asinh", "Acosh", "Atanh", "Pow", "Cbrt", "SinCos", "Hypot");

    /// <summary>
    /// A loop whose iterations do fewer operations than this — index arithmetic and element moves not counted — and
    /// no transcendental call and no inner loop that computes streams memory: calibrated (docs/calibration.md), the
    /// parallel form of an 8-operation body loses at 10,000 elements and only ties at 1,000,000, bound by memory.
    /// </summary>
    public const int MemoryBoundOperations = 8;

    public CallCost(int operations, bool hasTranscendental, bool isRecursive, IOperation? throwSite = null, int discounted = 0, bool onlyLightLoops = false, bool hasHeavyLoop = false)
    {
        Operations = operations;
        HasTranscendental = hasTranscendental;
        IsRecursive = isRecursive;
        ThrowSite = throwSite;
        Discounted = discounted;
        OnlyLightLoops = onlyLightLoops;
        HasHeavyLoop = hasHeavyLoop;
    }

    /// <summary>The callee (or a source method it calls) runs a loop that is not small and not light, or a compute-heavy BCL member (<see cref="CpuWork.IsKnownHeavy"/>).</summary>
    public bool HasHeavyLoop { get; }

    /// <summary>
    /// Operations the estimate leaves out, for explanations: index arithmetic (<see cref="IndexArithmetic"/>), the call
    /// weight of element moves (<see cref="IsElementMove"/>) and of one-line forwarders (<see cref="ForwardedCall"/>).
    /// </summary>
    public int Discounted { get; }

    /// <summary>
    /// The callee loops (itself or through its source callees), and every loop it reaches is light: fewer than
    /// <see cref="MemoryBoundOperations"/> operations per iteration, no transcendental call, no inner loop that computes —
    /// a copy, a conversion or a running sum of loads (a TIFF predictor's row). Such a call costs what its loop does per
    /// element; it does not make a body heavy by itself.
    /// </summary>
    public bool OnlyLightLoops { get; }

    /// <summary>Operations in the callee's body and in its source callees (inner loops counted once).</summary>
    public int Operations { get; }

    /// <summary>The callee, or a source method it calls, calls <c>Math.Exp/Log/Sin/Pow…</c> (or a <c>MathF</c> twin).</summary>
    public bool HasTranscendental { get; }

    /// <summary>The callee calls itself back (directly or through its source callees): recursion repeats work like a loop.</summary>
    public bool IsRecursive { get; }

    /// <summary>
    /// The first explicit throw the call can reach — a <c>throw</c> statement or expression in the callee or its source
    /// callees (argument validators, throw helpers), or a call of a BCL throw helper (<c>ArgumentNullException.ThrowIfNull</c>)
    /// — or null. Implicit exceptions (an index out of range, a division by zero) are not counted.
    /// </summary>
    public IOperation? ThrowSite { get; }

    /// <summary>
    /// A static <c>Throw…</c> method of an exception type (<c>ArgumentNullException.ThrowIfNull</c>,
    /// <c>ObjectDisposedException.ThrowIf</c>, <c>ArgumentOutOfRangeException.ThrowIfNegative</c>): it exists to throw.
    /// </summary>
    public static bool IsThrowHelper(IMethodSymbol method)
    {
        if (!method.IsStatic || !method.Name.StartsWith("Throw", System.StringComparison.Ordinal))
        {
            return false;
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (type.Name == "Exception" && NamespaceName.Of(type) == "System")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The weight of one operation in a cost estimate: arithmetic, comparisons and element accesses 1, calls 4.</summary>
    public static int WeightOf(IOperation operation) => operation switch
    {
        IBinaryOperation or IUnaryOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation
            or IArrayElementReferenceOperation => 1,
        IInvocationOperation => 4,
        _ => 0,
    };

    /// <summary>
    /// The weight of one operation of a function whose index arithmetic is <paramref name="index"/>: as
    /// <see cref="WeightOf(IOperation)"/>, but index arithmetic counts 0 and a call that only moves elements
    /// (<see cref="IsElementMove"/>) counts 1, like the element access it is.
    /// </summary>
    internal static int WeightOf(IOperation operation, IndexArithmetic index)
    {
        var weight = WeightOf(operation);
        if (weight == 0)
        {
            return 0;
        }

        if (operation is IInvocationOperation invocation && IsElementMove(invocation.TargetMethod))
        {
            return 1;
        }

        return index.IsIndexOperation(operation) ? 0 : weight;
    }

    /// <summary>
    /// A BCL call that moves or reinterprets elements without computing on them: <c>Span&lt;T&gt;.Slice</c>,
    /// <c>AsSpan</c>, the <c>BinaryPrimitives</c> reads, writes and byte swaps, <c>MemoryMarshal.Read/Write/Cast</c>,
    /// <c>Array.GetLength</c>, and the loads and stores of SIMD vectors (<c>Vector&lt;T&gt;.CopyTo</c>,
    /// <c>Vector128.LoadUnsafe</c>, <c>Vector256.Store</c> …: what a vectorized loop reads and writes).
    /// </summary>
    public static bool IsElementMove(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || !(type.ContainingNamespace?.ToDisplayString() is { } ns && ns.StartsWith("System", System.StringComparison.Ordinal)))
        {
            return false;
        }

        return type.Name switch
        {
            "BinaryPrimitives" => true,
            "MemoryMarshal" => method.Name is "Read" or "Write" or "Cast" or "AsBytes" or "GetReference",
            "Span" or "ReadOnlySpan" or "Memory" or "ReadOnlyMemory" => method.Name is "Slice",
            "MemoryExtensions" => method.Name is "AsSpan" or "AsMemory",
            "Array" => method.Name is "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound",
            "Vector" or "Vector64" or "Vector128" or "Vector256" or "Vector512" => IsVectorLoadOrStore(method.Name),
            _ => false,
        };
    }

    /// <summary>
    /// <c>new Vector&lt;T&gt;(array, index)</c> or <c>new Vector&lt;T&gt;(span)</c>: a load of several elements, as
    /// <see cref="IsElementMove"/>'s vector loads are (the form the NOGIL302/303 fixes write).
    /// </summary>
    public static bool IsVectorLoad(IObjectCreationOperation creation)
        => creation.Type is INamedTypeSymbol { Name: "Vector", Arity: 1 } type
           && NamespaceName.Of(type) == "System.Numerics"
           && creation.Arguments.Length > 0
           && creation.Arguments[0].Value.Type is IArrayTypeSymbol or INamedTypeSymbol { Name: "Span" or "ReadOnlySpan" };

    private static bool IsVectorLoadOrStore(string name)
        => name is "CopyTo" or "TryCopyTo" or "Load" or "LoadUnsafe" or "LoadAligned" or "LoadAlignedNonTemporal"
            or "Store" or "StoreUnsafe" or "StoreAligned" or "StoreAlignedNonTemporal";

    /// <summary>
    /// The call a one-line forwarder makes: a body that is a single <c>return</c> (or expression) of one invocation, under
    /// conversions and <c>unchecked</c> (<c>static byte ToByte(float v) =&gt; ToByte((double)v)</c>); else null. A forwarder
    /// costs what its callee costs, with no call weight of its own: the JIT inlines it.
    /// </summary>
    public static IInvocationOperation? ForwardedCall(IOperation body)
    {
        var operation = body;
        while (true)
        {
            switch (operation)
            {
                case IMethodBodyBaseOperation method:
                    operation = (IOperation?)method.BlockBody ?? method.ExpressionBody!;
                    if (operation is null)
                    {
                        return null;
                    }

                    continue;
                case IBlockOperation { Operations.Length: 1 } block:
                    operation = block.Operations[0];
                    continue;
                case IReturnOperation { ReturnedValue: { } value }:
                    operation = value;
                    continue;
                case IExpressionStatementOperation statement:
                    operation = statement.Operation;
                    continue;
                case IConversionOperation { OperatorMethod: null } conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IInvocationOperation invocation:
                    return invocation;
                default:
                    return null;
            }
        }
    }

    /// <summary><c>Math</c>/<c>MathF</c> exponentials, logarithms, powers and trigonometry (not <c>Sqrt</c>, one instruction).</summary>
    public static bool IsTranscendental(IMethodSymbol method)
        => TranscendentalNames.Contains(method.Name)
           && method.ContainingType?.Name is "Math" or "MathF"
           && NamespaceName.Of(method) == "System";

    /// <summary>The cost of one call to <paramref name="method"/>; zero operations when its body is not in source.</summary>
    public static CallCost Of(IMethodSymbol method, PurityCache cache, CancellationToken cancellationToken)
        => Of(method, cache, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    private static CallCost Of(IMethodSymbol method, PurityCache cache, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
        if (depth == 0 && cache.TryGetCallCost(definition, out var known))
        {
            return known;
        }

        var references = definition.DeclaringSyntaxReferences;
        if (references.Length != 1 || definition.IsAbstract || depth >= Purity.MaxCallDepth)
        {
            return default;
        }

        if (!inProgress.Add(definition))
        {
            return new CallCost(0, hasTranscendental: false, isRecursive: true);
        }

        CallCost cost;
        try
        {
            var syntax = references[0].GetSyntax(cancellationToken);
            cost = cache.GetModel(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken) is { } body
                ? OfBody(body, cache, depth, inProgress, cancellationToken)
                : default;
        }
        finally
        {
            inProgress.Remove(definition);
        }

        if (depth == 0)
        {
            // Only top-level answers are free of depth-bound assumptions.
            cache.SetCallCost(definition, cost);
        }

        return cost;
    }

    /// <summary>The operations of <paramref name="body"/> and of the source methods it calls, up to <see cref="MaxOperations"/>.</summary>
    private static CallCost OfBody(IOperation body, PurityCache cache, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var index = IndexArithmetic.Of(body);
        var operations = 0;
        var discounted = 0;
        var transcendental = false;
        var recursive = false;
        var sawLoop = false;
        var sawHeavyLoop = false;
        IOperation? throwSite = null;
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0 && operations < MaxOperations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            if (operation != body && operation is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                // Declared here, run only where they are called.
                continue;
            }

            var weight = WeightOf(operation, index);
            operations += weight;
            discounted += WeightOf(operation) - weight;
            if (throwSite is null && operation is IThrowOperation)
            {
                throwSite = operation;
            }

            if (operation is ILoopOperation loop && !Loops.TripBound.IsSmall(loop))
            {
                sawLoop = true;
                sawHeavyLoop |= !IsLightLoop(loop, index, cache, depth, inProgress, cancellationToken);
            }

            var callee = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };

            if (callee is not null)
            {
                if (IsTranscendental(callee))
                {
                    transcendental = true;
                }
                else if (IsThrowHelper(callee))
                {
                    throwSite ??= operation;
                }
                else
                {
                    if (CpuWork.IsKnownHeavy(callee))
                    {
                        sawHeavyLoop = true;
                    }

                    var inner = Of(callee, cache, depth + 1, inProgress, cancellationToken);
                    operations += inner.Operations;
                    discounted += inner.Discounted;
                    transcendental |= inner.HasTranscendental;
                    recursive |= inner.IsRecursive;
                    throwSite ??= inner.ThrowSite;
                    sawLoop |= inner.OnlyLightLoops || inner.HasHeavyLoop;
                    sawHeavyLoop |= inner.HasHeavyLoop;
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        if (ForwardedCall(body) is { } forwarded)
        {
            // The forwarder's own call is inlined: it costs what its callee costs.
            var own = WeightOf(forwarded, index);
            operations -= own;
            discounted += own;
        }

        return new CallCost(System.Math.Min(operations, MaxOperations), transcendental, recursive, throwSite, discounted, sawLoop && !sawHeavyLoop, sawHeavyLoop);
    }

    /// <summary>
    /// A loop of a callee that streams memory: it reads or writes elements (arrays, spans, <see cref="IsElementMove"/>),
    /// with fewer than <see cref="MemoryBoundOperations"/> operations per iteration (index arithmetic not counted, an
    /// element move one, source callees included), no transcendental call, no known compute-heavy BCL call and no inner
    /// loop that is not small.
    /// </summary>
    private static bool IsLightLoop(ILoopOperation loop, IndexArithmetic index, PurityCache cache, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var operations = 0;
        var touchesMemory = false;
        var stack = new Stack<IOperation>();
        stack.Push(loop.Body);
        if (loop is IWhileLoopOperation { Condition: { } condition })
        {
            stack.Push(condition);
        }

        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case ILoopOperation inner when !Loops.TripBound.IsSmall(inner):
                    return false;
            }

            operations += WeightOf(operation, index);
            touchesMemory |= operation is IArrayElementReferenceOperation
                || (operation is IPropertyReferenceOperation { Property.IsIndexer: true } indexer && indexer.Instance?.Type?.IsRefLikeType == true)
                || (operation is IInvocationOperation move && IsElementMove(move.TargetMethod))
                || (operation is IObjectCreationOperation load && IsVectorLoad(load));
            var callee = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IObjectCreationOperation creation => creation.Constructor,
                _ => null,
            };

            if (callee is not null)
            {
                if (IsTranscendental(callee) || CpuWork.IsKnownHeavy(callee))
                {
                    return false;
                }

                var inner = Of(callee, cache, depth + 1, inProgress, cancellationToken);
                if (inner.HasTranscendental || inner.IsRecursive || inner.HasHeavyLoop || inner.OnlyLightLoops)
                {
                    return false;
                }

                operations += inner.Operations;
            }

            if (operations >= MemoryBoundOperations)
            {
                return false;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        // A loop that reads no memory (a Collatz step, a series until convergence) is bound by its arithmetic, however short.
        return touchesMemory;
    }
}
