using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;

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
        if (CriticalSections.FunctionOf(operation) is not IAnonymousFunctionOperation lambda)
        {
            return null;
        }

        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation { Parent: { } starter } argument)
        {
            return null;
        }

        switch (starter)
        {
            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var type = method.ContainingType?.OriginalDefinition;
                if (KnownTypes.Is(type, types.Parallel))
                {
                    return method.Name is "For" or "ForEach" or "ForEachAsync" && argument.Parameter?.Name == "body"
                        ? new ConcurrentBody(lambda, invocation, "Parallel." + method.Name)
                        : null;
                }

                if (KnownTypes.Is(type, types.ParallelEnumerable))
                {
                    return new ConcurrentBody(lambda, invocation, "PLINQ " + method.Name);
                }

                var isWorker = (KnownTypes.Is(type, types.Task) && method.Name == "Run")
                               || ((KnownTypes.Is(type, types.TaskFactory) || KnownTypes.Is(type, types.TaskFactoryOfT)) && method.Name == "StartNew")
                               || (KnownTypes.Is(type, types.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem");
                return isWorker && IsInLoop(invocation)
                    ? new ConcurrentBody(lambda, invocation, (type!.Name == "TaskFactory" ? "Task.Factory." : type.Name + ".") + method.Name + " in a loop")
                    : null;

            case IObjectCreationOperation creation when KnownTypes.Is(creation.Type, types.Thread) && IsInLoop(creation):
                return new ConcurrentBody(lambda, creation, "new Thread in a loop");

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
