using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// How the kernels read the loop model's element accesses (<see cref="LoopModel.Accesses"/>): which recorded access an
/// operation is, whether it is at exactly the induction variable, and the array or span expression it indexes.
/// </summary>
internal static class KernelAccesses
{
    /// <summary>The model's record of <paramref name="operation"/> (an array element or span indexer reference), or null.</summary>
    public static ElementAccess? Find(LoopModel model, IOperation operation)
    {
        foreach (var access in model.Accesses)
        {
            if (access.Operation == operation)
            {
                return access;
            }
        }

        return null;
    }

    /// <summary>
    /// The model's record of <paramref name="operation"/> when it is <c>x[i]</c>: one index, which is the induction
    /// variable itself (not <c>i + 0</c>), of an array or span held by a local, parameter or field; else null.
    /// </summary>
    public static ElementAccess? FindAtInduction(LoopModel model, IOperation operation)
        => Find(model, operation) is { IsAtInduction: true, Base: not null } access
           && access.Indices[0] is ILocalReferenceOperation local
           && SymbolEqualityComparer.Default.Equals(local.Local, model.Induction)
           && Collection(access) is not null
            ? access
            : null;

    /// <summary>The array or span expression the access indexes (<c>a</c> in <c>a[i]</c>).</summary>
    public static IOperation? Collection(ElementAccess access) => access.Operation switch
    {
        IArrayElementReferenceOperation element => element.ArrayReference,
        IPropertyReferenceOperation indexer => indexer.Instance,
        _ => null,
    };
}
