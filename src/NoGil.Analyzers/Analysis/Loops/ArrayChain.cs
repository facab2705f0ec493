namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// A chain of array element references read as one access: <c>c[i][j]</c> and <c>c[i, j]</c> are both the base
/// <c>c</c> at the indices <c>[i, j]</c>.
/// </summary>
internal readonly struct ArrayChain
{
    public ArrayChain(ISymbol? @base, ImmutableArray<IOperation> indices)
    {
        Base = @base;
        Indices = indices;
    }

    /// <summary>The local, parameter or field holding the outermost array; null when it is another expression.</summary>
    public ISymbol? Base { get; }

    /// <summary>The indices, outermost first.</summary>
    public ImmutableArray<IOperation> Indices { get; }

    /// <summary>The base and the indices, outermost first, of the chain that ends at <paramref name="element"/>.</summary>
    public static ArrayChain Of(IArrayElementReferenceOperation element)
    {
        // Most chains are one access (a[i], m[i, j]): its indices as they are, without a copy.
        var outer = element.ArrayReference.UnwrapConversions();
        if (outer is not IArrayElementReferenceOperation)
        {
            return new ArrayChain(WriteTargets.SymbolOf(outer), element.Indices);
        }

        var count = 0;
        IOperation current = element;
        while (current is IArrayElementReferenceOperation reference)
        {
            count += reference.Indices.Length;
            current = reference.ArrayReference.UnwrapConversions();
        }

        // Filled from the innermost access backwards, so that the outermost access's indices come first.
        var indices = new IOperation[count];
        var end = count;
        for (IOperation link = element; link is IArrayElementReferenceOperation reference; link = reference.ArrayReference.UnwrapConversions())
        {
            end -= reference.Indices.Length;
            reference.Indices.CopyTo(indices, end);
        }

        return new ArrayChain(WriteTargets.SymbolOf(current), ImmutableArray.Create(indices));
    }

    /// <summary>The expression that holds the outermost array of the chain (a local, parameter or field reference, or another expression).</summary>
    public static IOperation RootOf(IArrayElementReferenceOperation element)
    {
        IOperation current = element;
        while (current is IArrayElementReferenceOperation reference)
        {
            current = reference.ArrayReference.UnwrapConversions();
        }

        return current;
    }

    /// <summary>
    /// The operations of the chain that are evaluated apart from the element accesses themselves: every index, the array
    /// expression when it is not a variable, and the instance of a field that holds the array (not <c>this</c>).
    /// </summary>
    public static IEnumerable<IOperation> OperandsOf(IArrayElementReferenceOperation element)
    {
        IOperation current = element;
        while (current is IArrayElementReferenceOperation reference)
        {
            foreach (var index in reference.Indices)
            {
                yield return index;
            }

            current = reference.ArrayReference.UnwrapConversions();
        }

        if (current is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation))
        {
            yield return current;
        }
        else if (current is IFieldReferenceOperation { Instance: { } instance } && instance is not IInstanceReferenceOperation)
        {
            yield return instance;
        }
    }
}
