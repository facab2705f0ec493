namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// <c>Task.Run(work)</c> or <c>Task.Factory.StartNew(work)</c> where <c>work</c> is synchronous CPU work: the
/// overload taking only an <c>Action</c> or a <c>Func&lt;TResult&gt;</c> whose result is not a task, given a
/// non-async lambda or a method group. Overloads with a cancellation token, creation options or a scheduler,
/// and delegates that return tasks (<c>Task.Run(() =&gt; FooAsync())</c>), are not offloaded CPU work.
/// </summary>
public sealed class OffloadCall
{
    private OffloadCall(IInvocationOperation invocation, bool isStartNew, IDelegateCreationOperation work, ITypeSymbol? resultType)
    {
        Invocation = invocation;
        IsStartNew = isStartNew;
        Work = work;
        ResultType = resultType;
    }

    public IInvocationOperation Invocation { get; }

    public bool IsStartNew { get; }

    /// <summary>The delegate passed in.</summary>
    public IDelegateCreationOperation Work { get; }

    /// <summary>The lambda, when the work is a lambda.</summary>
    public IAnonymousFunctionOperation? Lambda => Work.Target as IAnonymousFunctionOperation;

    /// <summary>The method group, when the work is one.</summary>
    public IMethodReferenceOperation? MethodGroup => Work.Target as IMethodReferenceOperation;

    /// <summary><c>TResult</c> of a <c>Func&lt;TResult&gt;</c>; null for an <c>Action</c>.</summary>
    public ITypeSymbol? ResultType { get; }

    public string DisplayName => IsStartNew ? "Task.Factory.StartNew" : "Task.Run";

    /// <summary>Quick name filter for invocations.</summary>
    public static bool IsCandidateName(string name) => name is "Run" or "StartNew";

    public static OffloadCall? TryCreate(IOperation? operation, KnownTypes types)
    {
        if (operation is not IInvocationOperation { TargetMethod: { } method } invocation
            || invocation.Arguments.Length != 1 || method.Parameters.Length != 1 || types.Task is null)
        {
            return null;
        }

        bool isStartNew;
        if (method.Name == "Run" && method.IsStatic && KnownTypes.Is(method.ContainingType, types.Task))
        {
            isStartNew = false;
        }
        else if (method.Name == "StartNew" && !method.IsStatic && KnownTypes.Is(method.ContainingType, types.TaskFactory)
                 && invocation.Instance is IPropertyReferenceOperation { Property: { Name: "Factory", IsStatic: true } factory }
                 && KnownTypes.Is(factory.ContainingType, types.Task))
        {
            // Only Task.Factory: a TaskFactory instance may carry its own scheduler or options.
            isStartNew = true;
        }
        else
        {
            return null;
        }

        if (method.Parameters[0].Type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate } delegateType
            || delegateType.ContainingNamespace?.ToDisplayString() != "System")
        {
            return null;
        }

        ITypeSymbol? resultType;
        if (delegateType.Name == "Action" && delegateType.TypeArguments.Length == 0)
        {
            resultType = null;
        }
        else if (delegateType.Name == "Func" && delegateType.TypeArguments.Length == 1 && !types.IsTaskLike(delegateType.TypeArguments[0])
                 && delegateType.TypeArguments[0].TypeKind is not (TypeKind.Error or TypeKind.TypeParameter))
        {
            resultType = delegateType.TypeArguments[0];
        }
        else
        {
            return null;
        }

        var value = invocation.Arguments[0].Value;
        if (value is not IDelegateCreationOperation work)
        {
            return null;
        }

        switch (work.Target)
        {
            case IAnonymousFunctionOperation lambda when !lambda.Symbol.IsAsync:
            case IMethodReferenceOperation { Method.IsAsync: false, Method.ReturnsByRef: false, Method.ReturnsByRefReadonly: false }:
                return new OffloadCall(invocation, isStartNew, work, resultType);
            default:
                return null;
        }
    }

    /// <summary>
    /// True when the work blocks on a task — in the lambda itself, or (syntactically) in a source method it calls
    /// directly. Offloading such work is the classic workaround for a sync-over-async deadlock under a
    /// synchronization context, not CPU work, and must not be undone. A nested <c>Task.Run(cpu).Result</c> does not count.
    /// </summary>
    public bool WorkBlocksOnTask(KnownTypes types, CancellationToken cancellationToken = default)
    {
        if (MethodGroup is { } group)
        {
            return CalleeMayBlock(group.Method, cancellationToken);
        }

        if (Lambda is not { } lambda)
        {
            return false;
        }

        foreach (var operation in lambda.Body.Descendants())
        {
            var name = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod.Name,
                IPropertyReferenceOperation property => property.Property.Name,
                _ => null,
            };

            if (name is not null && BlockingWait.IsCandidateName(name) && BlockingWait.TryCreate(operation, types) is { } wait
                && (wait.Task is null || TryCreate(wait.Task, types) is null))
            {
                return true;
            }

            if (operation is IInvocationOperation call && CalleeMayBlock(call.TargetMethod, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A source method whose body mentions a blocking member (<c>.Result</c>, <c>.Wait()</c>, <c>GetResult()</c>, <c>WaitAll</c>, <c>WaitAny</c>).</summary>
    private static bool CalleeMayBlock(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is SimpleNameSyntax { Parent: MemberAccessExpressionSyntax or MemberBindingExpressionSyntax } name
                    && BlockingWait.IsCandidateName(name.Identifier.ValueText))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>True when the call sits in a lambda converted to an expression tree.</summary>
    public bool IsInExpressionTree(KnownTypes types)
    {
        for (var current = Invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation && current.Parent is IConversionOperation { Type: { } converted }
                && types.ExpressionOfT is not null && KnownTypes.InheritsFromOrEquals(converted, types.ExpressionOfT))
            {
                return true;
            }
        }

        return false;
    }
}
