using NoGil.Analyzers.Analysis.Locks;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// A lambda whose executions overlap: the body of <c>Parallel.For/ForEach/ForEachAsync</c>, a PLINQ delegate
/// (<c>ForAll</c>, <c>Select</c>, …), or a worker started in a loop (<c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>new Thread</c>, <c>ThreadPool.QueueUserWorkItem</c>).
/// </summary>
public sealed class ConcurrentBody
{
    /// <summary>How many source helpers deep a delegate is followed (<c>For(a, b, body)</c> → <c>For(a, b, size, body)</c> → <c>Parallel.ForEach</c>).</summary>
    public const int MaxHelperDepth = 3;

    /// <summary>Per compilation: does a source method hand the delegate it receives in this parameter on to a concurrent starter?</summary>
    private static readonly CompilationMemo<IParameterSymbol, bool> Forwarding = new(SymbolEqualityComparer.Default);

    private ConcurrentBody(IAnonymousFunctionOperation body, IOperation starter, string display)
    {
        Body = body;
        Starter = starter;
        Display = display;
    }

    /// <summary>The lambda that runs concurrently.</summary>
    public IAnonymousFunctionOperation Body { get; }

    /// <summary>The call or object creation that runs it.</summary>
    public IOperation Starter { get; }

    /// <summary>A short name for messages, e.g. <c>Parallel.For</c>.</summary>
    public string Display { get; }

    /// <summary>True when the starter is a <c>Parallel.For</c>/<c>ForEach</c> call whose <c>body</c> is the lambda.</summary>
    public bool IsParallelLoopBody => Starter is IInvocationOperation { TargetMethod: { ContainingType.Name: "Parallel", Name: "For" or "ForEach" } };

    /// <summary>The concurrent body that directly contains <paramref name="operation"/> (the nearest enclosing lambda), or null.</summary>
    public static ConcurrentBody? Find(IOperation operation, KnownTypes types)
    {
        if (CriticalSections.FunctionOf(operation) is not IAnonymousFunctionOperation lambda
            || StarterOf(lambda, types, out var argument) is not { } starter)
        {
            return null;
        }

        if (starter is IObjectCreationOperation creation)
        {
            return IsInLoop(creation) ? new ConcurrentBody(lambda, creation, "new Thread in a loop") : null;
        }

        var invocation = (IInvocationOperation)starter;
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (KnownTypes.Is(type, types.Parallel))
        {
            return method.Name is "For" or "ForEach" or "ForEachAsync" && argument!.Parameter?.Name == "body"
                ? new ConcurrentBody(lambda, invocation, "Parallel." + method.Name)
                : null;
        }

        if (KnownTypes.Is(type, types.ParallelEnumerable))
        {
            return new ConcurrentBody(lambda, invocation, "PLINQ " + method.Name);
        }

        return IsInLoop(invocation)
            ? new ConcurrentBody(lambda, invocation, (type!.Name == "TaskFactory" ? "Task.Factory." : type.Name + ".") + method.Name + " in a loop")
            : null;
    }

    /// <summary>
    /// True when <paramref name="operation"/> runs inside any lambda handed to a concurrent starter, at any depth and
    /// whatever the parameter (a <c>Parallel.For</c> <c>localInit</c> too), workers whether or not they are started in
    /// a loop: code that may already share the machine's cores with copies of itself.
    /// </summary>
    public static bool IsInsideAny(IOperation operation, KnownTypes types) => EnclosingStarter(operation, types) is not null;

    /// <summary>
    /// The call or object creation that starts the nearest concurrent body around <paramref name="operation"/> (see
    /// <see cref="IsInsideAny"/>), or null.
    /// </summary>
    public static IOperation? EnclosingStarter(IOperation operation, KnownTypes types)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && StarterOf(lambda, types, out _) is { } starter)
            {
                return starter;
            }
        }

        return null;
    }

    /// <summary>How a message names <paramref name="starter"/>: <c>Parallel.For</c>, <c>Task.Run</c>, <c>new Thread</c>.</summary>
    public static string Describe(IOperation starter)
        => starter switch
        {
            IInvocationOperation { TargetMethod: var method } => (method.ContainingType is { } type ? type.Name + "." : string.Empty) + method.Name,
            _ => "new Thread",
        };

    /// <summary>
    /// The call that runs the nearest enclosing lambda of <paramref name="operation"/> concurrently, at any depth, or
    /// null: a concurrent starter (<see cref="StarterOf"/>); a source method that hands the lambda on to one, followed up
    /// to <see cref="MaxHelperDepth"/> helpers deep (a project's own <c>CommonParallel.For(0, n, size, (a, b) =&gt; …)</c>
    /// that forwards to <c>Parallel.ForEach</c>); or a method the user names in <paramref name="helpers"/>.
    /// </summary>
    public static IOperation? EnclosingStarter(IOperation operation, KnownTypes types, PurityCache purity, MethodExclusionList? helpers, CancellationToken cancellationToken)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            if (StarterOf(lambda, types, out _) is { } starter)
            {
                return starter;
            }

            if (CarrierOf(lambda) is { Parent: IInvocationOperation call, Parameter: { } parameter }
                && ((helpers is { IsEmpty: false } && helpers.Contains(call.TargetMethod, call.Instance?.Type))
                    || Forwards(parameter, types, purity, depth: 0, cancellationToken)))
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>
    /// The call or object creation that hands <paramref name="lambda"/> to a concurrent starter — any <c>Parallel</c>
    /// method, a PLINQ operator, <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c>,
    /// <c>new Thread</c> — with the argument that carries it (also an element of a <c>params</c> array, as in
    /// <c>Parallel.Invoke(() =&gt; …, () =&gt; …)</c>); null when the lambda goes anywhere else.
    /// </summary>
    public static IOperation? StarterOf(IAnonymousFunctionOperation lambda, KnownTypes types, out IArgumentOperation? argument)
    {
        argument = CarrierOf(lambda);
        return argument?.Parent is { } starter && IsStarter(starter, types) ? starter : null;
    }

    /// <summary>The argument that carries <paramref name="value"/> (through conversions, a delegate creation, a <c>params</c> array), or null.</summary>
    private static IArgumentOperation? CarrierOf(IOperation value)
    {
        var parent = value.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            parent = parent.Parent;
        }

        return parent as IArgumentOperation;
    }

    /// <summary>A call or object creation that runs the delegates it receives concurrently with the caller or with each other.</summary>
    private static bool IsStarter(IOperation starter, KnownTypes types)
    {
        switch (starter)
        {
            case IObjectCreationOperation creation:
                return KnownTypes.Is(creation.Type, types.Thread);
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var type = method.ContainingType?.OriginalDefinition;
                return KnownTypes.Is(type, types.Parallel) || KnownTypes.Is(type, types.ParallelEnumerable)
                       || (KnownTypes.Is(type, types.Task) && method.Name == "Run")
                       || ((KnownTypes.Is(type, types.TaskFactory) || KnownTypes.Is(type, types.TaskFactoryOfT)) && method.Name == "StartNew")
                       || (KnownTypes.Is(type, types.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem");
            default:
                return false;
        }
    }

    /// <summary>
    /// Does the source method that declares <paramref name="parameter"/> (a delegate or an array of delegates) hand it on
    /// to a concurrent starter: passed to one, passed to another source helper that does, or invoked inside a lambda
    /// that a starter runs (<c>range =&gt; body(range.Item1, range.Item2)</c>)? Memoized per compilation.
    /// </summary>
    private static bool Forwards(IParameterSymbol parameter, KnownTypes types, PurityCache purity, int depth, CancellationToken cancellationToken)
    {
        if (!IsDelegateOrDelegates(parameter.Type) || parameter.ContainingSymbol is not IMethodSymbol method)
        {
            return false;
        }

        var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
        if (definition.DeclaringSyntaxReferences.Length != 1 || definition.IsAbstract || parameter.Ordinal >= definition.Parameters.Length)
        {
            return false;
        }

        var key = definition.Parameters[parameter.Ordinal];
        var memo = Forwarding.For(purity.Compilation);
        if (memo.TryGetValue(key, out var known))
        {
            return known;
        }

        if (depth >= MaxHelperDepth)
        {
            return false;
        }

        var syntax = definition.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        var forwards = false;
        if (purity.GetModel(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken) is { } body)
        {
            foreach (var reference in body.Descendants().OfType<IParameterReferenceOperation>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!SymbolEqualityComparer.Default.Equals(reference.Parameter.OriginalDefinition, key))
                {
                    continue;
                }

                if (IsInsideAny(reference, types)
                    || (CarrierOf(reference) is { Parent: { } target, Parameter: { } next }
                        && (IsStarter(target, types)
                            || (target is IInvocationOperation && Forwards(next, types, purity, depth + 1, cancellationToken)))))
                {
                    forwards = true;
                    break;
                }
            }
        }

        if (depth == 0)
        {
            // Only top-level answers are free of the depth bound.
            memo[key] = forwards;
        }

        return forwards;
    }

    private static bool IsDelegateOrDelegates(ITypeSymbol type)
        => type.TypeKind == TypeKind.Delegate || (type is IArrayTypeSymbol { ElementType.TypeKind: TypeKind.Delegate });

    private static bool IsInLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }
}
