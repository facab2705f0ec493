namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The parameter through which a dual-mode method (one body for the synchronous and the asynchronous API) selects its
/// mode, by the conventions libraries write it in: a <c>bool</c> named <c>async</c>, <c>isAsync</c>, <c>useAsync</c>,
/// <c>runAsync</c>, <c>asynchronous</c> or <c>isAsynchronous</c> (<c>false</c> selects the synchronous mode), a <c>bool</c>
/// named <c>sync</c>, <c>isSync</c>, <c>synchronous</c> or <c>isSynchronous</c> (<c>true</c> does), or an enum whose type has
/// a <c>Synchronous</c> (or <c>Sync</c>) and an <c>Asynchronous</c> (or <c>Async</c>) member (<c>IOBehavior ioBehavior</c>;
/// the synchronous member selects it). Names compare without case. A parameter is a mode parameter exactly when its
/// synchronous value is known: a <c>bool forceAsync</c>, or an options enum with an <c>Asynchronous</c> flag and no
/// synchronous counterpart (<c>FileOptions</c>, <c>PipeOptions</c>, <c>TaskCreationOptions</c>), is not one.
/// </summary>
/// <remarks>
/// One definition for both readers: a function that takes a mode parameter is dual-mode (NOGIL202 reports its
/// unconditional blocking calls without a fix, NOGIL205 leaves its <c>using</c>s alone — <see cref="AsyncTwinCall.IsInDualModeFunction"/>),
/// and a call that passes the synchronous value completes by construction (<see cref="SynchronousCompletion"/>).
/// </remarks>
internal static class ModeParameter
{
    /// <summary><paramref name="parameter"/> selects the mode of a dual-mode method.</summary>
    public static bool IsModeParameter(IParameterSymbol parameter) => SynchronousValue(parameter) is not null;

    /// <summary><paramref name="value"/> (a constant argument) is the value that selects the synchronous mode through <paramref name="parameter"/>.</summary>
    public static bool SelectsSynchronousMode(IParameterSymbol parameter, object value)
        => SynchronousValue(parameter) is { } synchronous && object.Equals(synchronous, value);

    /// <summary>The constant that selects the synchronous mode (a boxed <c>bool</c>, or the enum member's underlying value); null when the parameter is no mode parameter.</summary>
    private static object? SynchronousValue(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        if (type.SpecialType == SpecialType.System_Boolean)
        {
            return parameter.Name.ToLowerInvariant() switch
            {
                "async" or "isasync" or "useasync" or "runasync" or "asynchronous" or "isasynchronous" => false,
                "sync" or "issync" or "synchronous" or "issynchronous" => true,
                _ => null,
            };
        }

        return type.TypeKind == TypeKind.Enum ? SynchronousMember(type)?.ConstantValue : null;
    }

    private static IFieldSymbol? SynchronousMember(ITypeSymbol enumType)
    {
        IFieldSymbol? synchronous = null;
        var hasAsynchronous = false;
        foreach (var member in enumType.GetMembers())
        {
            if (member is IFieldSymbol { HasConstantValue: true } field)
            {
                var name = field.Name.ToLowerInvariant();
                synchronous ??= name is "synchronous" or "sync" ? field : null;
                hasAsynchronous |= name is "asynchronous" or "async";
            }
        }

        return hasAsynchronous ? synchronous : null;
    }
}
