using NoGil.Analyzers.Analysis.Locks;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// A lambda whose executions overlap: the body of <c>Parallel.For/ForEach/ForEachAsync</c>, a PLINQ delegate
/// (<c>ForAll</c>, <c>Select</c>, …), or a worker started in a loop (<c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>new Thread</c>, <c>ThreadPool.QueueUserWorkItem</c>).
/// </summary>
public sealed class ConcurrentBody
{
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
    /// The call or object creation that hands <paramref name="lambda"/> to a concurrent starter — any <c>Parallel</c>
    /// method, a PLINQ operator, <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>ThreadPool.QueueUserWorkItem</c>,
    /// <c>new Thread</c> — with the argument that carries it; null when the lambda goes anywhere else.
    /// </summary>
    public static IOperation? StarterOf(IAnonymousFunctionOperation lambda, KnownTypes types, out IArgumentOperation? argument)
    {
        argument = null;
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation { Parent: { } starter } carrier)
        {
            return null;
        }

        argument = carrier;
        switch (starter)
        {
            case IObjectCreationOperation creation when KnownTypes.Is(creation.Type, types.Thread):
                return creation;
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var type = method.ContainingType?.OriginalDefinition;
                var starts = KnownTypes.Is(type, types.Parallel) || KnownTypes.Is(type, types.ParallelEnumerable)
                             || (KnownTypes.Is(type, types.Task) && method.Name == "Run")
                             || ((KnownTypes.Is(type, types.TaskFactory) || KnownTypes.Is(type, types.TaskFactoryOfT)) && method.Name == "StartNew")
                             || (KnownTypes.Is(type, types.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem");
                return starts ? invocation : null;
            default:
                return null;
        }
    }

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
