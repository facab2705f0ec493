using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// A loop that computes a table from its index and scalars: it writes only elements of arrays the function created
/// itself (<c>var w = new double[width]</c>), reads no element of any array, span or collection, and does no nested work
/// of its own — no inner loop that computes (unless the whole nest has constant bounds: a lookup table of a fixed
/// size) and no call into a method that loops or recurses. Window functions, grids, chirp and node tables, kernel
/// coefficients: on public code these were built once and reused (setup, not the hot path), and NOGIL301 does not report
/// them. (NOGIL302 and NOGIL303 never match one: their kernels read an element, and NOGIL302 does not take the index as a
/// value.) A loop that reads input data, or that does nested work per entry (a Mandelbrot <c>Render(width, height)</c>
/// with its escape-time iteration), is not a table loop.
/// </summary>
public static class TableLoop
{
    /// <summary>The largest constant-size nest that counts as a lookup table (256 × 256 entries).</summary>
    public const long MaxConstantEntries = 65536;

    /// <summary>
    /// The first element write of <paramref name="model"/>'s loop when the loop computes a table (see the type), or null.
    /// </summary>
    public static IOperation? Find(LoopModel? model, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (model is not { Shape: LoopShape.For } || model.Accesses.IsEmpty
            || model.Cost.CallsLoopingMethod || model.Cost.CallsRecursiveMethod
            || (model.Cost.HasInnerLoop && !IsConstantNest(model, types, purity, cancellationToken)))
        {
            return null;
        }

        // Only whole-element writes into arrays this function created; no element read at all.
        var arrays = MethodArrays.Around(model.Loop);
        foreach (var access in model.Accesses)
        {
            if (access.IsSpan || access.Kind != ElementAccessKind.Write || access.Base is null || !arrays.IsCreatedHere(access.Base)
                || IsDeclaredIn(access.Base, model.Body))
            {
                return null;
            }
        }

        return ReadsData(model.Body, cancellationToken) ? null : model.Accesses[0].Operation;
    }

    /// <summary>
    /// The loop and every loop in its body have constant bounds, and together run at most
    /// <see cref="MaxConstantEntries"/> innermost iterations: a table of a fixed size (Pinta's 256 × 256 brightness table).
    /// </summary>
    private static bool IsConstantNest(LoopModel model, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (model.TripCount is not { } entries)
        {
            return false;
        }

        foreach (var inner in model.Body.Descendants().OfType<ILoopOperation>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (LoopDependence.Analyze(inner, types, purity, cancellationToken) is not { TripCount: { } count } || count > MaxConstantEntries)
            {
                return false;
            }

            entries *= Math.Max(count, 1);
            if (entries > MaxConstantEntries)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDeclaredIn(ISymbol symbol, IOperation body)
        => symbol.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == body.Syntax.SyntaxTree && body.Syntax.Span.Contains(r.Span));

    /// <summary>
    /// Does the body read data that is not a scalar: an array, span, string or collection other than as the array of an
    /// element access (each one a write, checked before) or through its <c>Length</c>/<c>Count</c>; an indexer; or a call
    /// into an instance member of the project (which may read the object's arrays)?
    /// </summary>
    private static bool ReadsData(IOperation body, CancellationToken cancellationToken)
    {
        foreach (var operation in body.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IPropertyReferenceOperation { Property.IsIndexer: true }:
                    return true;
                case IInvocationOperation { TargetMethod.IsStatic: false, Instance.Type.IsValueType: false } call when Purity.IsInSource(call.TargetMethod):
                    return true;
                case IPropertyReferenceOperation { Property: { IsStatic: false } property, Instance.Type.IsValueType: false } when Purity.IsInSource(property) && !IsAutoProperty(property):
                    return true;
            }

            if (IsDataType(operation.Type) && !IsArrayOfAnElementAccess(operation) && !IsLengthOf(operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An array, a span, or anything enumerable (strings and collections).</summary>
    private static bool IsDataType(ITypeSymbol? type)
        => type is IArrayTypeSymbol
           || type?.IsRefLikeType == true
           || (type is { SpecialType: not SpecialType.System_Object } && type.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable));

    private static bool IsArrayOfAnElementAccess(IOperation operation)
        => operation.ParentThroughConversions(out var child) is IArrayElementReferenceOperation element && element.ArrayReference == child;

    private static bool IsLengthOf(IOperation operation)
        => operation.ParentThroughConversions(out var child) switch
        {
            IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" or "Count" } property => property.Instance == child,
            IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength" } call => call.Instance == child,
            _ => false,
        };

    private static bool IsAutoProperty(IPropertySymbol property)
        => property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
}
