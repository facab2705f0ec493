namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The time-out and cancellation-token arguments of a <c>Wait</c>/<c>WaitAll</c>/<c>WaitAny</c> overload:
/// <c>(int)</c>, <c>(TimeSpan)</c>, <c>(CancellationToken)</c>, <c>(int, CancellationToken)</c>,
/// <c>(TimeSpan, CancellationToken)</c>, after the tasks for the static ones.
/// </summary>
internal readonly struct WaitBound
{
    private WaitBound(IOperation? timeout, IOperation? token)
    {
        Timeout = timeout;
        Token = token;
    }

    /// <summary>The finite, non-zero time-out; null when there is none or it is infinite.</summary>
    public IOperation? Timeout { get; }

    public IOperation? Token { get; }

    /// <summary>
    /// Reads the parameters from <paramref name="firstBound"/> on. Null when one of them is neither a time-out nor
    /// a token, or when the time-out is a constant zero: such a call is a non-blocking probe, not a wait.
    /// </summary>
    public static WaitBound? TryRead(IInvocationOperation invocation, int firstBound, KnownTypes types)
    {
        var parameters = invocation.TargetMethod.Parameters;
        IOperation? timeout = null;
        IOperation? token = null;
        for (var i = firstBound; i < parameters.Length; i++)
        {
            var type = parameters[i].Type;
            var value = ArgumentFor(invocation, parameters[i]);
            if (value is null)
            {
                return null;
            }

            if (KnownTypes.Is(type, types.CancellationToken))
            {
                // An omitted optional token (`Task.WaitAll(list)` binds to `WaitAll(IEnumerable<Task>, CancellationToken = default)`
                // since .NET 9), `default` or `CancellationToken.None` cancels nothing: a plain wait.
                token = IsNoneToken(invocation, value, types) ? null : value;
            }
            else if (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 || KnownTypes.Is(type, types.TimeSpan))
            {
                switch (TimeoutKind(value, types))
                {
                    case Duration.Zero:
                        return null;
                    case Duration.Finite:
                        timeout = value;
                        break;
                }
            }
            else
            {
                return null;
            }
        }

        return new WaitBound(timeout, token);
    }

    /// <summary>
    /// True for a call with a constant zero time-out argument (a parameter named like <c>millisecondsTimeout</c>/<c>timeout</c>, given
    /// <c>0</c> or <c>TimeSpan.Zero</c> — directly, through a local assigned only there, or a readonly field initialized so) (<c>Wait(0)</c>, <c>Wait(TimeSpan.Zero)</c>, <c>Wait(0, ct)</c>,
    /// also <c>SemaphoreSlim.Wait(0)</c>): a non-blocking probe, which no blocking-wait rule reports.
    /// </summary>
    public static bool IsProbe(IInvocationOperation invocation, KnownTypes types)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Type: { } type } parameter
                && parameter.Name.IndexOf("timeout", StringComparison.OrdinalIgnoreCase) >= 0
                && (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 || KnownTypes.Is(type, types.TimeSpan))
                && TimeoutKind(argument.Value, types) == Duration.Zero)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNoneToken(IInvocationOperation invocation, IOperation value, KnownTypes types)
    {
        if (invocation.Arguments.Any(argument => argument.Value == value && argument.ArgumentKind == ArgumentKind.DefaultValue))
        {
            return true;
        }

        value = value.UnwrapAllConversions();
        return value is IDefaultValueOperation
               || (value is IPropertyReferenceOperation { Property: { Name: "None", IsStatic: true } none } && KnownTypes.Is(none.ContainingType, types.CancellationToken));
    }

    private static IOperation? ArgumentFor(IInvocationOperation invocation, IParameterSymbol parameter)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter, parameter))
            {
                return argument.Value;
            }
        }

        return null;
    }

    private enum Duration
    {
        Finite,
        Zero,
        Infinite,
    }

    /// <summary>
    /// <c>0</c>/<c>TimeSpan.Zero</c>: zero; <c>-1</c>, <c>Timeout.Infinite</c>, <c>Timeout.InfiniteTimeSpan</c>: infinite;
    /// anything else (a non-zero constant, a variable): finite.
    /// </summary>
    private static Duration TimeoutKind(IOperation value, KnownTypes types, int depth = 0)
    {
        value = value.UnwrapAllConversions();
        if (value.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return constant switch
            {
                0 or 0L => Duration.Zero,
                -1 or -1L => Duration.Infinite,
                _ => Duration.Finite,
            };
        }

        return value switch
        {
            IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true } zero } when KnownTypes.Is(zero.ContainingType, types.TimeSpan) => Duration.Zero,
            IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", IsStatic: true, ContainingType: { Name: "Timeout", ContainingNamespace.Name: "Threading" } } } => Duration.Infinite,
            IObjectCreationOperation { Arguments.Length: 0 } creation when KnownTypes.Is(creation.Type, types.TimeSpan) => Duration.Zero,
            IDefaultValueOperation defaultValue when KnownTypes.Is(defaultValue.Type, types.TimeSpan) => Duration.Zero,
            ILocalReferenceOperation { Local: var local } reference when depth < 4 && SingleAssignment.InitialValue(local, reference) is { } initial
                => TimeoutKind(initial, types, depth + 1),
            IFieldReferenceOperation { Field: var field } when SingleAssignment.ReadonlyFieldInitializer(field) is { } initializer => InitializerKind(initializer),
            _ => Duration.Finite,
        };
    }

    /// <summary>A readonly field's initializer, read from syntax: <c>0</c>, <c>-1</c>, <c>TimeSpan.Zero</c>, <c>Timeout.Infinite</c>.</summary>
    private static Duration InitializerKind(ExpressionSyntax initializer)
        => initializer switch
        {
            LiteralExpressionSyntax { Token.Value: 0 or 0L } => Duration.Zero,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax { Token.Value: 1 or 1L } } => Duration.Infinite,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero", Expression: var type } when type.ToString().EndsWith("TimeSpan", StringComparison.Ordinal) => Duration.Zero,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Infinite" or "InfiniteTimeSpan", Expression: var type } when type.ToString().EndsWith("Timeout", StringComparison.Ordinal) => Duration.Infinite,
            _ => Duration.Finite,
        };
}
