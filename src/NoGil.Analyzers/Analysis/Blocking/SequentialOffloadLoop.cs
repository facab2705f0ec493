namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// NOGIL204 case B: a loop whose only statement awaits <c>Task.Run</c> for the current item, so the items run one
/// at a time. The shape (<see cref="TryCreate"/>) is recognized separately from the independence proof
/// (<see cref="IsIndependent"/>) so that <see cref="WhenAllRewrite"/> can recover the shape cheaply.
/// </summary>
public sealed partial class SequentialOffloadLoop
{
    private SequentialOffloadLoop(ILoopOperation loop, StatementSyntax loopSyntax, IAwaitOperation await, OffloadCall offload, ILocalSymbol variable)
    {
        Loop = loop;
        LoopSyntax = loopSyntax;
        Await = await;
        Offload = offload;
        Variable = variable;
    }

    public ILoopOperation Loop { get; }

    public StatementSyntax LoopSyntax { get; }

    public IAwaitOperation Await { get; }

    public OffloadCall Offload { get; }

    /// <summary><c>Task.Run(…).ConfigureAwait(x)</c> when the await is configured.</summary>
    public IInvocationOperation? ConfigureAwait { get; private set; }

    /// <summary>The iteration variable (<c>x</c> of <c>foreach</c>, <c>i</c> of <c>for</c>).</summary>
    public ILocalSymbol Variable { get; }

    /// <summary><c>results.Add(await …)</c>, or null for the void form.</summary>
    public IInvocationOperation? Add { get; private set; }

    /// <summary>The variable (local, parameter or field) holding the results collection.</summary>
    public ISymbol? Results { get; private set; }

    /// <summary>True when the awaited value is converted on its way into <c>Add</c>.</summary>
    public bool AddConvertsValue { get; private set; }

    /// <summary>The foreach collection, without its implicit conversion.</summary>
    public IOperation? Collection { get; private set; }

    /// <summary>The bounds of a canonical <c>for (int i = lo; i &lt; hi; i++)</c>.</summary>
    public IOperation? Lower { get; private set; }

    public IOperation? Upper { get; private set; }

    /// <summary>True when <c>Upper - Lower</c> is provably not negative.</summary>
    public bool CountIsNonNegative { get; private set; }

    public bool IsForLoop => Loop is IForLoopOperation;

    public static SequentialOffloadLoop? TryCreate(ILoopOperation loop, KnownTypes types)
    {
        if (loop.Syntax is not StatementSyntax loopSyntax || loop.Parent is ILabeledOperation)
        {
            return null;
        }

        var body = loop.Body;
        var bodySyntax = loopSyntax switch
        {
            ForEachStatementSyntax forEach => forEach.Statement,
            ForStatementSyntax @for => @for.Statement,
            _ => null,
        };

        if (bodySyntax is BlockSyntax { Statements.Count: 1 })
        {
            if (body is not IBlockOperation { Operations.Length: 1, Locals.Length: 0 } block)
            {
                return null;
            }

            body = block.Operations[0];
        }
        else if (bodySyntax is not ExpressionStatementSyntax)
        {
            return null;
        }

        if (body is not IExpressionStatementOperation { Operation: { } expression })
        {
            return null;
        }

        IAwaitOperation? awaitOperation;
        IInvocationOperation? add = null;
        var converts = false;
        switch (expression)
        {
            case IAwaitOperation awaited:
                awaitOperation = awaited;
                break;

            case IInvocationOperation { TargetMethod: { Name: "Add", IsStatic: false }, Arguments.Length: 1, Instance: { } receiver } invocation
                when ResultsSymbol(receiver) is not null:
                add = invocation;
                var argument = invocation.Arguments[0].Value;
                while (argument is IConversionOperation { IsImplicit: true } conversion)
                {
                    converts |= !conversion.Conversion.IsIdentity;
                    argument = conversion.Operand;
                }

                awaitOperation = argument as IAwaitOperation;
                break;

            default:
                return null;
        }

        if (awaitOperation is null)
        {
            return null;
        }

        var awaitedValue = awaitOperation.Operation;
        IInvocationOperation? configureAwait = null;
        if (awaitedValue is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Arguments.Length: 1, Instance: { } configured } configureCall
            && types.IsConfiguredAwaitable(configureCall.Type))
        {
            configureAwait = configureCall;
            awaitedValue = configured;
        }

        if (OffloadCall.TryCreate(awaitedValue, types) is not { Lambda: { } } offload || (add is not null && offload.ResultType is null))
        {
            return null;
        }

        SequentialOffloadLoop? result;
        switch (loop)
        {
            case IForEachLoopOperation forEach:
                result = TryCreateForEach(forEach, loopSyntax, awaitOperation, offload, types);
                break;
            case IForLoopOperation @for:
                result = TryCreateFor(@for, loopSyntax, awaitOperation, offload);
                break;
            default:
                return null;
        }

        if (result is null)
        {
            return null;
        }

        result.ConfigureAwait = configureAwait;
        result.Add = add;
        result.Results = add?.Instance is { } instance ? ResultsSymbol(instance) : null;
        result.AddConvertsValue = converts;
        return result;
    }

    private static SequentialOffloadLoop? TryCreateForEach(IForEachLoopOperation forEach, StatementSyntax syntax, IAwaitOperation awaitOperation, OffloadCall offload, KnownTypes types)
    {
        if (forEach.IsAsynchronous || syntax is not ForEachStatementSyntax forEachSyntax
            || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { IsRef: false } variable }
            || forEach.SemanticModel is not { } model)
        {
            return null;
        }

        var info = model.GetForEachStatementInfo(forEachSyntax);
        if (!info.ElementConversion.IsIdentity || info.ElementType is null || !SymbolEqualityComparer.Default.Equals(info.ElementType, variable.Type))
        {
            return null;
        }

        var collection = forEach.Collection.UnwrapConversions();

        if (!IsMaterializedSequenceOf(collection.Type, info.ElementType, types))
        {
            return null;
        }

        return new SequentialOffloadLoop(forEach, syntax, awaitOperation, offload, variable) { Collection = collection };
    }

    /// <summary>Arrays and BCL-style collections of exactly <paramref name="element"/>: enumerating them twice or lazily changes nothing.</summary>
    private static bool IsMaterializedSequenceOf(ITypeSymbol? type, ITypeSymbol element, KnownTypes types)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return SymbolEqualityComparer.Default.Equals(array.ElementType, element);
        }

        if (type is not INamedTypeSymbol named || types.IEnumerableOfT is null)
        {
            return false;
        }

        var enumerable = false;
        var collection = false;
        foreach (var candidate in Self(named))
        {
            var definition = candidate.OriginalDefinition;
            if (KnownTypes.Is(definition, types.IEnumerableOfT) && SymbolEqualityComparer.Default.Equals(candidate.TypeArguments[0], element))
            {
                enumerable = true;
            }

            if (definition.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
                && definition.MetadataName is "ICollection`1" or "IReadOnlyCollection`1")
            {
                collection = true;
            }
        }

        return enumerable && collection;

        static IEnumerable<INamedTypeSymbol> Self(INamedTypeSymbol named)
        {
            yield return named;
            foreach (var @interface in named.AllInterfaces)
            {
                yield return @interface;
            }
        }
    }

    private static SequentialOffloadLoop? TryCreateFor(IForLoopOperation @for, StatementSyntax syntax, IAwaitOperation awaitOperation, OffloadCall offload)
    {
        if (syntax is not ForStatementSyntax forSyntax
            || forSyntax.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0].Initializer is null
            || forSyntax.Initializers.Count != 0
            || forSyntax.Incrementors.Count != 1
            || @for.Before.Length != 1
            || @for.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            || group.Declarations[0].Declarators.Length != 1)
        {
            return null;
        }

        var declarator = group.Declarations[0].Declarators[0];
        var variable = declarator.Symbol;
        if (variable.IsRef || variable.Type.SpecialType != SpecialType.System_Int32 || declarator.GetVariableInitializer()?.Value is not { } lower)
        {
            return null;
        }

        if (@for.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, OperatorMethod: null, LeftOperand: ILocalReferenceOperation conditionLocal } condition
            || !SymbolEqualityComparer.Default.Equals(conditionLocal.Local, variable))
        {
            return null;
        }

        var upper = condition.RightOperand;
        while (upper is IConversionOperation { IsImplicit: true, Conversion.IsIdentity: true } identity)
        {
            upper = identity.Operand;
        }

        if (upper.Type?.SpecialType != SpecialType.System_Int32 || lower.Type?.SpecialType != SpecialType.System_Int32)
        {
            return null;
        }

        if (@for.AtLoopBottom.Length != 1 || !IsIncrementOf(@for.AtLoopBottom[0], variable))
        {
            return null;
        }

        if (!IsStableBound(lower, allowCount: false) || !IsStableBound(upper, allowCount: true))
        {
            return null;
        }

        var nonNegative = (lower.ConstantValue is { HasValue: true, Value: int lo } && upper.ConstantValue is { HasValue: true, Value: int hi } && hi >= lo)
                          || (lower.ConstantValue is { HasValue: true, Value: 0 } && upper is IPropertyReferenceOperation);

        return new SequentialOffloadLoop(@for, syntax, awaitOperation, offload, variable) { Lower = lower, Upper = upper, CountIsNonNegative = nonNegative };
    }

    private static bool IsIncrementOf(IOperation operation, ILocalSymbol variable)
    {
        if (operation is IExpressionStatementOperation statement)
        {
            operation = statement.Operation;
        }

        return operation switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, OperatorMethod: null, Target: ILocalReferenceOperation target }
                => SymbolEqualityComparer.Default.Equals(target.Local, variable),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Target: ILocalReferenceOperation target, Value.ConstantValue: { HasValue: true, Value: 1 } }
                => SymbolEqualityComparer.Default.Equals(target.Local, variable),
            _ => false,
        };
    }

    /// <summary>A bound that evaluates to the same value every time: a constant, a local or parameter, or <c>.Length</c>/<c>.Count</c> of one.</summary>
    private static bool IsStableBound(IOperation bound, bool allowCount)
    {
        if (bound.ConstantValue.HasValue)
        {
            return true;
        }

        switch (bound)
        {
            case ILocalReferenceOperation { Local.IsRef: false }:
            case IParameterReferenceOperation { Parameter.RefKind: RefKind.None or RefKind.In }:
                return true;
            case IPropertyReferenceOperation { Property: { Name: "Length" or "Count", IsStatic: false } property, Instance: ILocalReferenceOperation or IParameterReferenceOperation, Arguments.Length: 0 } when allowCount:
                // BCL collections only: a source Count getter could do anything.
                return property.Locations.Length > 0 && !property.Locations[0].IsInSource;
            default:
                return false;
        }
    }

    /// <summary>The variable a results receiver reads: a local, a parameter, or a field of this/static.</summary>
    private static ISymbol? ResultsSymbol(IOperation receiver)
        => receiver switch
        {
            ILocalReferenceOperation { Local.IsRef: false } local => local.Local,
            IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
            _ => null,
        };
}
