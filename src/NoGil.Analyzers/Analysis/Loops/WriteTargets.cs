namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>What an operation writes: assignments, increments, deconstructions and <c>ref</c>/<c>out</c> arguments.</summary>
internal static class WriteTargets
{
    /// <summary>True when <paramref name="operation"/> writes; <paramref name="target"/> is what it writes to.</summary>
    public static bool IsWriteTarget(IOperation operation, out IOperation? target)
    {
        switch (operation)
        {
            case IAssignmentOperation assignment: // simple, compound, coalesce and deconstruction assignments
                target = assignment.Target;
                return true;
            case IIncrementOrDecrementOperation increment:
                target = increment.Target;
                return true;
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                target = argument.Value;
                return true;
            default:
                target = null;
                return false;
        }
    }

    /// <summary>The local, parameter or field that <paramref name="target"/> names (under implicit conversions), else null.</summary>
    public static ISymbol? SymbolOf(IOperation target) => target.UnwrapConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };
}
