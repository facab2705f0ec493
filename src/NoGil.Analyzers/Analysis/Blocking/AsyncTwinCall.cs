namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>What the replacement call passes for the twin's trailing <see cref="System.Threading.CancellationToken"/> parameter.</summary>
public enum AsyncTwinTokenArgument
{
    /// <summary>No argument is added: the twin has no token parameter, or it is optional and nothing is in scope.</summary>
    None,

    /// <summary>A token in scope at the call site (<see cref="AsyncTwinCall.Token"/>) is forwarded.</summary>
    Forward,

    /// <summary>The twin requires a token and none can be forwarded: <c>CancellationToken.None</c> keeps the call uncancellable, as it was.</summary>
    CancellationTokenNone,
}

/// <summary>
/// A thread-blocking call inside an async function that has an awaitable twin: <c>Thread.Sleep</c> (twin
/// <c>Task.Delay</c>) or a method <c>M</c> with an accessible <c>MAsync</c> of the same shape. The analyzer finds it
/// and decides the fix from it (<see cref="AsyncTwinRewrite"/>); the fix receives the twin and the token as
/// diagnostic facts, so it never looks for them again.
/// </summary>
public sealed partial class AsyncTwinCall
{
    private AsyncTwinCall(IInvocationOperation invocation, IMethodSymbol twin, bool isSleep, AsyncTwinTokenArgument tokenArgument, ISymbol? token)
    {
        Invocation = invocation;
        Twin = twin;
        IsSleep = isSleep;
        TokenArgument = tokenArgument;
        Token = token;
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>The blocking method.</summary>
    public IMethodSymbol Method => Invocation.TargetMethod;

    /// <summary>The awaitable method that replaces it (<c>Task.Delay</c> for <c>Thread.Sleep</c>).</summary>
    public IMethodSymbol Twin { get; }

    /// <summary>True for <c>Thread.Sleep</c>, whose twin is <c>Task.Delay</c> on another type.</summary>
    public bool IsSleep { get; }

    public AsyncTwinTokenArgument TokenArgument { get; }

    /// <summary>The local or parameter forwarded as the twin's token, when <see cref="TokenArgument"/> is <see cref="AsyncTwinTokenArgument.Forward"/>.</summary>
    public ISymbol? Token { get; }

    /// <summary>Why the call must not be rewritten although the twin exists (the message says it); null when nothing forbids it.</summary>
    public string? NoFixReason { get; private set; }

    /// <summary>The twin's trailing token parameter, when an argument is added for it.</summary>
    public IParameterSymbol? TokenParameter => TokenArgument == AsyncTwinTokenArgument.None ? null : Twin.Parameters[Twin.Parameters.Length - 1];

    /// <summary>
    /// True when an added token argument must be named: the call names an argument or leaves an optional one out,
    /// so a positional argument would not land on the token parameter.
    /// </summary>
    public bool TokenArgumentNeedsName
        => Invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.Explicit || a.Syntax is ArgumentSyntax { NameColon: not null });

    /// <summary>Message text for the blocking call, e.g. <c>File.ReadAllText</c>.</summary>
    public string BlockingDisplayText => Method.ContainingType.Name + "." + Method.Name;

    /// <summary>Message text for the twin, e.g. <c>File.ReadAllTextAsync</c>; <c>Test.Write(CancellationToken)</c> for an overload of the same name.</summary>
    public string TwinDisplayText => Twin.ContainingType.Name + "." + Twin.Name + (IsSameNameOverload ? "(CancellationToken)" : string.Empty);

    /// <summary>The twin is an overload of the blocking method's own name that adds a token (<c>Task Write(CancellationToken)</c>).</summary>
    private bool IsSameNameOverload => !IsSleep && Twin.Name == Method.Name;

    /// <summary>
    /// Recognizes a thread-blocking call with an awaitable twin in an async function, or returns null.
    /// <paramref name="owningSymbol"/> is the member whose body contains the invocation.
    /// </summary>
    public static AsyncTwinCall? TryCreate(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method is null
            || types.Task is null
            || method.MethodKind != MethodKind.Ordinary
            || method.ReturnsByRef
            || method.ReturnsByRefReadonly
            || method.ContainingType is not { } containingType
            || method.Name == "Dispose"
            || invocation.Syntax is not InvocationExpressionSyntax)
        {
            return null;
        }

        if (EnclosingFunction(invocation, owningSymbol, cancellationToken) is not { IsAsync: true })
        {
            return null;
        }

        if (IsOwnedByAnotherRule(containingType, types) || WaitBound.IsProbe(invocation, types) || IsSynchronousProvider(containingType))
        {
            return null;
        }

        if (KnownTypes.Is(containingType, types.Thread))
        {
            return method.Name == "Sleep" ? TryCreateSleep(invocation, types, owningSymbol, cancellationToken) : null;
        }

        if (types.IsTaskLike(method.ReturnType) || types.IsConfiguredAwaitable(method.ReturnType))
        {
            // Already asynchronous: not a blocking call.
            return null;
        }

        if (IsNotATwinByDesign(method, types))
        {
            return null;
        }

        FindTwins(invocation, types, owningSymbol, cancellationToken, out var exact, out var withToken);
        // The receiver is read only for a call that has a twin: following a local to its initializer scans its scope.
        if ((exact ?? withToken) is not { } found
            || IsNonBlockingReceiver(Receiver(invocation), types)
            || IsSelfCall(found, invocation, owningSymbol, cancellationToken)
            || IsDeliberateSyncCall(invocation, found, exact, withToken, owningSymbol, cancellationToken))
        {
            return null;
        }

        var call = Choose(invocation, exact, withToken, isSleep: false, types, owningSymbol, cancellationToken);
        call.NoFixReason = VirtualReentry(invocation, call.Twin, owningSymbol)
                           ?? ReceiverDispatch(invocation, call.Twin)
                           ?? (IsInDualModeFunction(invocation, cancellationToken) ? DualModeNoFixReason : null)
                           ?? LooseMatchReason(method, call.Twin);
        return call;
    }

    private static IMethodSymbol? TryConstruct(IMethodSymbol method, ImmutableArray<ITypeSymbol> typeArguments)
    {
        try
        {
            return method.Construct(typeArguments.ToArray());
        }
        catch (System.Exception ex) when (ex is System.ArgumentException or System.InvalidOperationException)
        {
            return null;
        }
    }

    private static AsyncTwinCall? TryCreateSleep(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.Parameters.Length != 1 || invocation.Arguments.Length != 1 || IsZeroDelay(invocation.Arguments[0].Value, types))
        {
            return null;
        }

        var delayType = method.Parameters[0].Type;
        IMethodSymbol? exact = null;
        IMethodSymbol? withToken = null;
        foreach (var delay in types.Task!.GetMembers("Delay").OfType<IMethodSymbol>())
        {
            if (!delay.IsStatic || delay.Parameters.Length == 0 || !SymbolEqualityComparer.Default.Equals(delay.Parameters[0].Type, delayType))
            {
                continue;
            }

            if (delay.Parameters.Length == 1)
            {
                exact ??= delay;
            }
            else if (delay.Parameters.Length == 2 && KnownTypes.Is(delay.Parameters[1].Type, types.CancellationToken))
            {
                withToken ??= delay;
            }
        }

        return exact is null && withToken is null || IsInBranchBesideTwin(invocation, types.Task!, "Delay", cancellationToken)
            ? null
            : Choose(invocation, exact, withToken, isSleep: true, types, owningSymbol, cancellationToken);
    }

    /// <summary>With a token in scope, the overload that takes it; otherwise the one without it (or the optional token left out).</summary>
    private static AsyncTwinCall Choose(IInvocationOperation invocation, IMethodSymbol? exact, IMethodSymbol? withToken, bool isSleep, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        if (withToken is not null)
        {
            if (FindTokenInScope(invocation, types, owningSymbol, cancellationToken) is { } token)
            {
                return new AsyncTwinCall(invocation, withToken, isSleep, AsyncTwinTokenArgument.Forward, token);
            }

            if (exact is null)
            {
                // An overload of the same name needs its token written, or the call would bind to the blocking method again.
                var tokenArgument = withToken.Parameters[withToken.Parameters.Length - 1].IsOptional && withToken.Name != invocation.TargetMethod.Name
                    ? AsyncTwinTokenArgument.None
                    : AsyncTwinTokenArgument.CancellationTokenNone;
                return new AsyncTwinCall(invocation, withToken, isSleep, tokenArgument, null);
            }
        }

        return new AsyncTwinCall(invocation, exact!, isSleep, AsyncTwinTokenArgument.None, null);
    }

    /// <summary>The innermost method, local function or lambda whose body executes <paramref name="operation"/>.</summary>
    public static IMethodSymbol? EnclosingFunction(IOperation operation, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case INameOfOperation:
                    return null;
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return owningSymbol as IMethodSymbol;
    }

    /// <summary>Task members belong to NOGIL201/NOGIL204; console writes are not I/O worth awaiting; CancelAsync means something else.</summary>
    private static bool IsOwnedByAnotherRule(INamedTypeSymbol containingType, KnownTypes types)
        => types.IsTaskLike(containingType)
           || KnownTypes.Is(containingType.OriginalDefinition, types.TaskFactory)
           || KnownTypes.Is(containingType.OriginalDefinition, types.TaskFactoryOfT)
           || KnownTypes.Is(containingType, types.Console)
           || KnownTypes.InheritsFromOrEquals(containingType, types.CancellationTokenSource)
           || IsXmlReaderOrWriter(containingType, types);

    /// <summary>
    /// Receivers whose "I/O" never waits (in-memory streams, readers and writers, the <c>Null</c> ones), the console
    /// streams, and XML readers/writers, whose async methods throw unless the instance was created with <c>Async = true</c>.
    /// </summary>
    private static bool IsNonBlockingReceiver(IOperation? instance, KnownTypes types)
    {
        instance = instance.UnwrapConversionsOrNull();
        if (instance is null)
        {
            return false;
        }

        var type = instance.Type;
        if (InMemoryIo.IsOverMemory(instance, types) || IsXmlReaderOrWriter(type, types))
        {
            return true;
        }

        return instance switch
        {
            IPropertyReferenceOperation property => KnownTypes.Is(property.Property.ContainingType, types.Console),
            IInvocationOperation call => KnownTypes.Is(call.TargetMethod.ContainingType, types.Console),
            IFieldReferenceOperation { Field: { IsStatic: true, Name: "Null" } field } =>
                KnownTypes.InheritsFromOrEquals(field.ContainingType, types.Stream)
                || KnownTypes.InheritsFromOrEquals(field.ContainingType, types.TextReader)
                || KnownTypes.InheritsFromOrEquals(field.ContainingType, types.TextWriter),
            _ => false,
        };
    }

    private static bool IsXmlReaderOrWriter(ITypeSymbol? type, KnownTypes types)
        => KnownTypes.InheritsFromOrEquals(type, types.XmlReader) || KnownTypes.InheritsFromOrEquals(type, types.XmlWriter);

    private static bool IsZeroDelay(IOperation value, KnownTypes types)
    {
        value = value.UnwrapAllConversions();
        if (value.ConstantValue is { HasValue: true, Value: int milliseconds })
        {
            return milliseconds == 0;
        }

        return value switch
        {
            IFieldReferenceOperation { Field: { IsStatic: true, Name: "Zero" } field } => KnownTypes.Is(field.ContainingType, types.TimeSpan),
            IDefaultValueOperation defaultValue => KnownTypes.Is(defaultValue.Type, types.TimeSpan),
            IObjectCreationOperation { Arguments.Length: 0, Initializer: null } creation => KnownTypes.Is(creation.Type, types.TimeSpan),
            _ => false,
        };
    }
}
