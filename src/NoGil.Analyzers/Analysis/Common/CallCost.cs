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

    public CallCost(int operations, bool hasTranscendental, bool isRecursive, IOperation? throwSite = null)
    {
        Operations = operations;
        HasTranscendental = hasTranscendental;
        IsRecursive = isRecursive;
        ThrowSite = throwSite;
    }

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
        var operations = 0;
        var transcendental = false;
        var recursive = false;
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

            operations += WeightOf(operation);
            if (throwSite is null && operation is IThrowOperation)
            {
                throwSite = operation;
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
                    var inner = Of(callee, cache, depth + 1, inProgress, cancellationToken);
                    operations += inner.Operations;
                    transcendental |= inner.HasTranscendental;
                    recursive |= inner.IsRecursive;
                    throwSite ??= inner.ThrowSite;
                }
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return new CallCost(System.Math.Min(operations, MaxOperations), transcendental, recursive, throwSite);
    }
}
