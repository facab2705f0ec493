namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>The extraction: a pure, private value computed by the first statement that stays inside the section.</summary>
public sealed partial class HoistPlan
{
    /// <summary>
    /// In the first statement that stays inside: the argument of a call (<c>shared.Add(Heavy(i))</c>) or the value of an
    /// assignment (<c>_cache[key] = Hash(data)</c>) that is CPU work, private and pure, and evaluated after nothing with effects.
    /// </summary>
    private static IOperation? FindExtractable(IOperation statement, SectionAccess access, HashSet<ISymbol> captured, CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
    {
        if (statement is not IExpressionStatementOperation { Operation: { } expression })
        {
            return null;
        }

        IOperation? candidate = null;
        switch (expression)
        {
            case IInvocationOperation { Instance: { } receiver } call when IsSimpleReference(receiver):
                foreach (var argument in call.Arguments)
                {
                    if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter?.RefKind != RefKind.None)
                    {
                        return null;
                    }

                    var value = argument.Value.UnwrapBuiltInConversions();
                    if (candidate is null && value is IInvocationOperation or IObjectCreationOperation)
                    {
                        candidate = value;
                    }
                    else if (!IsSimpleReference(value))
                    {
                        return null;
                    }
                }

                break;

            case ISimpleAssignmentOperation { IsRef: false } assignment when IsSimpleTarget(assignment.Target):
                candidate = assignment.Value.UnwrapBuiltInConversions();
                break;

            case ICompoundAssignmentOperation { OperatorMethod: null } compound when IsSimpleTarget(compound.Target):
                candidate = compound.Value.UnwrapBuiltInConversions();
                break;
        }

        if (candidate is not (IInvocationOperation or IObjectCreationOperation) || candidate.Type is null
            || candidate.Type.SpecialType == SpecialType.System_Void || candidate.Type.IsRefLikeType || candidate.Type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (candidate is IConversionOperation { OperatorMethod: not null } || access.Classify(candidate).TouchesShared
            || !IsMovable(candidate, captured) || !Purity.IsIndependent(candidate, section.Function.Syntax, cache, cancellationToken)
            || SharedStatics.AreRead(candidate, cache, cancellationToken)
            || CpuWork.Find(candidate, cache, skip: null, cancellationToken) is null)
        {
            return null;
        }

        return candidate;
    }

    /// <summary>A reference whose evaluation has no effect: literal, local, parameter, field chain, <c>this</c>.</summary>
    private static bool IsSimpleReference(IOperation operation)
    {
        operation = operation.UnwrapBuiltInConversions();
        return operation switch
        {
            ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || IsSimpleReference(field.Instance),
            _ => operation.ConstantValue.HasValue,
        };
    }

    private static bool IsSimpleTarget(IOperation target) => target switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation => IsSimpleReference(target),
        IArrayElementReferenceOperation element => IsSimpleReference(element.ArrayReference) && AllSimple(element.Indices),
        IPropertyReferenceOperation { Instance: { } instance } property => IsSimpleReference(instance) && AllSimpleArguments(property.Arguments),
        _ => false,
    };

    private static bool AllSimple(ImmutableArray<IOperation> operations)
    {
        foreach (var operation in operations)
        {
            if (!IsSimpleReference(operation))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllSimpleArguments(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (!IsSimpleReference(argument.Value))
            {
                return false;
            }
        }

        return true;
    }
}
