using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Infrastructure;

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

/// <summary>NOGIL204 case A: <c>Task.Run(work).Result</c>, <c>.Wait()</c> or <c>.GetAwaiter().GetResult()</c>.</summary>
public sealed class BlockedOffload
{
    private BlockedOffload(BlockingWait wait, OffloadCall offload)
    {
        Wait = wait;
        Offload = offload;
    }

    public BlockingWait Wait { get; }

    public OffloadCall Offload { get; }

    /// <summary>Finds the blocking wait applied directly to <paramref name="offload"/>.</summary>
    public static BlockedOffload? TryCreate(OffloadCall offload, KnownTypes types)
    {
        var current = offload.Invocation.Parent;
        for (var i = 0; i < 4 && current is IInvocationOperation or IPropertyReferenceOperation; i++, current = current.Parent)
        {
            if (BlockingWait.TryCreate(current, types) is { Kind: BlockingWaitKind.Result or BlockingWaitKind.Wait or BlockingWaitKind.GetResult } wait
                && wait.Task == offload.Invocation)
            {
                return new BlockedOffload(wait, offload);
            }
        }

        return null;
    }

    /// <summary>Finds the offload under a blocking wait operation (used by the fixer).</summary>
    public static BlockedOffload? TryCreateFromWait(IOperation waitOperation, KnownTypes types)
        => BlockingWait.TryCreate(waitOperation, types) is { Task: { } task } && OffloadCall.TryCreate(task, types) is { } offload
            ? TryCreate(offload, types)
            : null;

    /// <summary>Text shown in messages: <c>Task.Run(...).Result</c>.</summary>
    public string DisplayText => Offload.DisplayName + "(...)." + Wait.DisplayText;
}

/// <summary>
/// NOGIL204 case B: a loop whose only statement awaits <c>Task.Run</c> for the current item, so the items run one
/// at a time. The shape (<see cref="TryCreate"/>) is recognized separately from the independence proof
/// (<see cref="IsIndependent"/>) so that the fixer can recover the shape cheaply.
/// </summary>
public sealed class SequentialOffloadLoop
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

        var collection = forEach.Collection;
        while (collection is IConversionOperation { IsImplicit: true } conversion)
        {
            collection = conversion.Operand;
        }

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

    /// <summary>
    /// True when the iterations are independent: the work is pure and reads neither the results collection nor
    /// anything that may alias it, and neither the collection nor the bounds depend on the results.
    /// </summary>
    public bool IsIndependent(PurityCache cache, CancellationToken cancellationToken)
    {
        var lambda = Offload.Lambda;
        if (lambda is null)
        {
            return false;
        }

        var forbidden = Results is null ? new List<ISymbol>() : new List<ISymbol> { Results };
        foreach (var part in new[] { Collection, Lower, Upper })
        {
            if (part is not null && References(part, forbidden))
            {
                return false;
            }
        }

        if (Results is not null && !IsUnaliasedFreshLocal(Results, cancellationToken))
        {
            // The results collection may be reachable through another variable: nothing the loop reads may be of a type that could alias it.
            var resultsType = ResultsType(Results);
            if (resultsType is null)
            {
                return false;
            }

            foreach (var part in new IOperation?[] { Collection, Lower, Upper, lambda })
            {
                if (part is not null && MayReadAlias(part, resultsType, Results))
                {
                    return false;
                }
            }
        }

        return Purity.IsIndependent(lambda, cache, forbidden, cancellationToken);
    }

    private static ITypeSymbol? ResultsType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private static bool References(IOperation root, List<ISymbol> symbols)
    {
        if (symbols.Count == 0)
        {
            return false;
        }

        foreach (var operation in root.DescendantsAndSelf())
        {
            var symbol = operation switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                IFieldReferenceOperation field => field.Field,
                _ => null,
            };

            if (symbol is not null && symbols.Exists(s => SymbolEqualityComparer.Default.Equals(s, symbol)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayReadAlias(IOperation root, ITypeSymbol resultsType, ISymbol results)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            var (symbol, type) = operation switch
            {
                ILocalReferenceOperation local => ((ISymbol?)local.Local, local.Local.Type),
                IParameterReferenceOperation parameter => (parameter.Parameter, parameter.Parameter.Type),
                IFieldReferenceOperation field => (field.Field, field.Field.Type),
                IPropertyReferenceOperation property => (property.Property, property.Property.Type),
                _ => (null, null),
            };

            if (symbol is not null && type is not null && !SymbolEqualityComparer.Default.Equals(symbol, results) && MayAlias(type, resultsType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayAlias(ITypeSymbol a, ITypeSymbol b)
    {
        if (a.IsValueType && a.TypeKind != TypeKind.TypeParameter)
        {
            return false;
        }

        if (a.SpecialType == SpecialType.System_String || a.TypeKind == TypeKind.Delegate)
        {
            return false;
        }

        return a.TypeKind is TypeKind.TypeParameter or TypeKind.Interface or TypeKind.Error || a.SpecialType == SpecialType.System_Object
               || SameType(a, b) || Derives(a, b) || Derives(b, a) || Implements(a, b) || Implements(b, a);

        static bool Derives(ITypeSymbol type, ITypeSymbol candidate)
        {
            for (var current = type.BaseType; current is not null; current = current.BaseType)
            {
                if (SameType(current, candidate))
                {
                    return true;
                }
            }

            return false;
        }

        static bool Implements(ITypeSymbol type, ITypeSymbol candidate)
        {
            foreach (var @interface in type.AllInterfaces)
            {
                if (SameType(@interface, candidate))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Same type, or two constructions of a variant generic interface (which may convert into each other).</summary>
    private static bool SameType(ITypeSymbol x, ITypeSymbol y)
    {
        if (SymbolEqualityComparer.Default.Equals(x, y))
        {
            return true;
        }

        if (x is not INamedTypeSymbol namedX || y is not INamedTypeSymbol namedY
            || !SymbolEqualityComparer.Default.Equals(namedX.OriginalDefinition, namedY.OriginalDefinition))
        {
            return false;
        }

        foreach (var parameter in namedX.OriginalDefinition.TypeParameters)
        {
            if (parameter.Variance != VarianceKind.None)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A local initialized with <c>new …</c> that is only ever used as a receiver (<c>results.Add</c>, <c>results.Count</c>)
    /// or returned: nothing else can refer to the same collection.
    /// </summary>
    private bool IsUnaliasedFreshLocal(ISymbol results, CancellationToken cancellationToken)
    {
        if (results is not ILocalSymbol local || local.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (declaration is not VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            || initializer.IsKind(SyntaxKind.ObjectCreationExpression) is false && initializer is not ImplicitObjectCreationExpressionSyntax)
        {
            return false;
        }

        var scope = declaration.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode?)declaration.FirstAncestorOrSelf<CompilationUnitSyntax>();
        if (scope is null)
        {
            return false;
        }

        foreach (var token in scope.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != local.Name || token.Parent is not IdentifierNameSyntax name)
            {
                continue;
            }

            var parent = name.Parent;
            var isReceiver = parent is MemberAccessExpressionSyntax access && access.Expression == name;
            var isReturned = parent is ReturnStatementSyntax or ArrowExpressionClauseSyntax;
            if (!isReceiver && !isReturned)
            {
                return false;
            }
        }

        return true;
    }
}
