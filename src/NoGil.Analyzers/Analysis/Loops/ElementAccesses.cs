namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The array and span element accesses of a loop body, each with the iteration that owns its element
/// (<see cref="LinearIndex"/>), and the check that every iteration writes only elements it owns and reads no element
/// another iteration writes.
/// </summary>
internal sealed class ElementAccesses
{
    private readonly List<ElementAccess> _accesses = new();

    /// <summary>Fields whose arrays the body reaches through another object than <c>this</c> (<c>other._data[i]</c>).</summary>
    private readonly HashSet<ISymbol> _fieldsOfOtherObjects = new(SymbolEqualityComparer.Default);
    private readonly LoopScope _scope;
    private readonly LinearIndex _index;
    private readonly ObstacleList _obstacles;

    public ElementAccesses(LoopScope scope, ObstacleList obstacles)
    {
        _scope = scope;
        _index = new LinearIndex(scope);
        _obstacles = obstacles;
    }

    /// <summary>A span element was accessed.</summary>
    public bool UsesSpans { get; private set; }

    public ImmutableArray<ElementAccess> ToImmutableArray() => _accesses.ToImmutableArray();

    /// <summary>An indexer of <c>Span&lt;T&gt;</c> or <c>ReadOnlySpan&lt;T&gt;</c>.</summary>
    public bool IsSpanIndexer(IPropertyReferenceOperation property)
        => property.Property.IsIndexer && _scope.IsSpan(property.Instance?.Type);

    /// <summary>Records an array element access (a whole chain <c>c[i][j]</c>, also through a row alias <c>var row = c[i]</c>).</summary>
    public void RecordElement(IArrayElementReferenceOperation element)
    {
        var chain = ArrayChain.Of(element);
        var arrayBase = chain.Base;
        if (ArrayChain.RootOf(element) is IFieldReferenceOperation { Instance: { } instance } field && instance is not IInstanceReferenceOperation)
        {
            _fieldsOfOtherObjects.Add(field.Field);
        }

        var indices = chain.Indices;
        var rectangular = element.Indices.Length >= 2 && chain.Indices.Length == element.Indices.Length;
        if (arrayBase is ILocalSymbol local && _scope.TryGetRowAlias(local, out var alias))
        {
            arrayBase = alias.Base;
            indices = alias.Indices.AddRange(indices);
            rectangular = false;
        }

        Add(element, arrayBase, element.Type, isSpan: false, indices, KindOf(element), rectangular);
    }

    /// <summary>Records a span element access.</summary>
    public void RecordSpan(IPropertyReferenceOperation indexer)
    {
        UsesSpans = true;
        var indices = indexer.Arguments.Select(a => a.Value).ToImmutableArray();
        var spanBase = indexer.Instance is { } instance ? WriteTargets.SymbolOf(instance) : null;
        Add(indexer, spanBase, indexer.Type, isSpan: true, indices, KindOf(indexer));
    }

    /// <summary>
    /// Every written array or span is written only at elements of the writing iteration, and read (under its own name or,
    /// where it may alias, another) only there.
    /// </summary>
    public void CheckWrites(ArrayAliasing aliasing)
    {
        // Loops over lists, not queries: asked of every model, and most loops write one array or none.
        List<ElementAccess>? written = null;
        foreach (var access in _accesses)
        {
            if (access.Kind != ElementAccessKind.Read)
            {
                (written ??= new List<ElementAccess>()).Add(access);
            }
        }

        if (written is null)
        {
            return;
        }

        foreach (var write in written)
        {
            if (write.Base is null)
            {
                _obstacles.Add(LoopObstacleKind.UnpartitionedWrite, write.Operation, "'" + write.Operation.Syntax + "' writes through an expression the analysis does not follow");
                return;
            }
        }

        // The written arrays in the order of their first write.
        var bases = new List<ISymbol>(1);
        foreach (var write in written)
        {
            if (!bases.Any(b => Same(b, write.Base)))
            {
                bases.Add(write.Base!);
            }
        }

        foreach (var arrayBase in bases)
        {
            CheckWritesTo(arrayBase, bases.Count == 1 ? written : written.FindAll(w => Same(w.Base, arrayBase)), aliasing);
        }
    }

    private static ElementAccessKind KindOf(IOperation access) => access.ParentThroughConversions(out _) switch
    {
        ISimpleAssignmentOperation assignment when assignment.Target == access => ElementAccessKind.Write,
        ICompoundAssignmentOperation compound when compound.Target == access => ElementAccessKind.ReadWrite,
        ICoalesceAssignmentOperation coalesce when coalesce.Target == access => ElementAccessKind.ReadWrite,
        IIncrementOrDecrementOperation => ElementAccessKind.ReadWrite,
        IArgumentOperation { Parameter.RefKind: RefKind.Out } => ElementAccessKind.Write,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref } => ElementAccessKind.ReadWrite,
        ITupleOperation { Parent: IDeconstructionAssignmentOperation } => ElementAccessKind.Write,
        _ => ElementAccessKind.Read,
    };

    private static bool Same(ISymbol? a, ISymbol? b) => SymbolEqualityComparer.Default.Equals(a, b);

    private void Add(IOperation operation, ISymbol? arrayBase, ITypeSymbol? elementType, bool isSpan, ImmutableArray<IOperation> indices, ElementAccessKind kind, bool rectangular = false)
    {
        if (elementType is null or IErrorTypeSymbol)
        {
            _obstacles.Add(LoopObstacleKind.Unsupported, operation, "'" + operation.Syntax + "' does not bind");
            return;
        }

        var partition = indices.Length == 0 ? null : _index.PartitionOf(indices[0], allowRows: indices.Length == 1);

        // A rectangular array indexed by the induction variable in another dimension (a[p, k] and a[q, k] of a Givens
        // rotation over k): iteration k owns every element whose index in that dimension is k, whatever the others are.
        // Not for jagged arrays, whose rows may be one array stored twice, or another array the loop reads.
        for (var dimension = 1; partition is null && rectangular && dimension < indices.Length; dimension++)
        {
            partition = _index.PartitionOf(indices[dimension], allowRows: false) is { } column ? "d" + dimension + ":" + column : null;
        }

        _accesses.Add(new ElementAccess(operation, arrayBase, elementType, isSpan, indices, kind, partition));
    }

    /// <summary>The writes of one array or span (<paramref name="writes"/>, not empty) and every access that may reach it.</summary>
    private void CheckWritesTo(ISymbol arrayBase, List<ElementAccess> writes, ArrayAliasing aliasing)
    {
        if (arrayBase is ILocalSymbol local && _scope.IsBodyLocal(local))
        {
            if (!_scope.IsFreshBodyArray(local))
            {
                _obstacles.Add(LoopObstacleKind.UnpartitionedWrite, writes[0].Operation, "'" + local.Name + "' may refer to an array shared between iterations");
            }

            return;
        }

        var intoRows = writes.FirstOrDefault(w => w.Indices.Length >= 2 && ArrayAliasing.ContainerType(arrayBase) is IArrayTypeSymbol { ElementType: IArrayTypeSymbol });
        if (intoRows is not null && !aliasing.IsFreshInMethod(arrayBase))
        {
            // c[i][j] = …: distinct i give distinct rows only if no two slots of 'c' hold the same array, which is
            // known only for a jagged array the method built itself, row by row, from new arrays.
            _obstacles.Add(LoopObstacleKind.UnpartitionedWrite, intoRows.Operation, "rows of '" + arrayBase.Name + "' may be one array stored at several indices");
            return;
        }

        var partition = writes[0].Partition;
        var bad = writes.FirstOrDefault(w => w.Partition is null || w.Partition != partition);
        if (bad is not null)
        {
            _obstacles.Add(LoopObstacleKind.UnpartitionedWrite, bad.Operation, "'" + bad.Operation.Syntax + "' is not an element only this iteration writes");
            return;
        }

        foreach (var access in _accesses)
        {
            if (access.Base is not null && (access.Kind == ElementAccessKind.Read || !Same(access.Base, arrayBase)))
            {
                CheckAccessAgainstWrites(access, arrayBase, writes[0], partition, aliasing);
            }
        }
    }

    /// <summary>
    /// The sentence for a read of a written array at another element: "'a[i - 1]' is read after 'a[i]' is written by an
    /// earlier iteration" (a value carried forward), "… is read before 'a[i]' overwrites it in a later iteration", or,
    /// when the read does not follow the loop variable, "… may read an element that another iteration writes as 'a[i]'".
    /// </summary>
    private static string CrossIterationRead(ElementAccess read, ElementAccess write)
    {
        var reads = "'" + read.Operation.Syntax + "'";
        var writes = "'" + write.Operation.Syntax + "'";
        if (Offset(read.Partition) is { } readOffset && Offset(write.Partition) is { } writeOffset && readOffset != writeOffset)
        {
            return readOffset < writeOffset
                ? reads + " is read after " + writes + " is written by an earlier iteration"
                : reads + " is read before " + writes + " overwrites it in a later iteration";
        }

        return reads + " may read an element that another iteration writes as " + writes;
    }

    /// <summary>The <c>c</c> of an <c>"i+c"</c> partition, or null.</summary>
    private static long? Offset(string? partition)
        => partition is not null && partition.StartsWith("i+", StringComparison.Ordinal) && long.TryParse(partition.Substring(2), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var offset) ? offset : null;

    /// <summary>An access (a read of the written array, or any access of another one) next to the writes of <paramref name="arrayBase"/>.</summary>
    private void CheckAccessAgainstWrites(ElementAccess access, ISymbol arrayBase, ElementAccess write, string? partition, ArrayAliasing aliasing)
    {
        if (Same(access.Base, arrayBase))
        {
            if (access.Partition != partition)
            {
                _obstacles.Add(LoopObstacleKind.CrossIterationRead, access.Operation, CrossIterationRead(access, write));
            }

            return;
        }

        switch (aliasing.RowAlias(arrayBase, write, access))
        {
            case RowAliasing.WrittenMayBeReadRow:
                _obstacles.Add(LoopObstacleKind.MayAlias, access.Operation, "'" + arrayBase.Name + "' may be one of the rows of '" + access.Base!.Name + "', which the loop reads", RowCheckFor(arrayBase, access.Base));
                return;
            case RowAliasing.ReadMayBeWrittenRow:
                _obstacles.Add(LoopObstacleKind.MayAlias, access.Operation, "'" + access.Base!.Name + "' may be one of the rows of '" + arrayBase.Name + "', which the loop writes");
                return;
        }

        if (!aliasing.MayAlias(arrayBase, write, access))
        {
            return;
        }

        if (write.IsSpan || access.IsSpan)
        {
            _obstacles.Add(LoopObstacleKind.SpanOverlap, access.Operation, "'" + access.Operation.Syntax + "' may overlap '" + arrayBase.Name + "', which the loop writes");
        }
        else if (access.Partition != partition)
        {
            _obstacles.Add(LoopObstacleKind.MayAlias, access.Operation, "'" + access.Base!.Name + "' and '" + arrayBase.Name + "' may be the same array, accessed at different elements", AliasCheckFor(arrayBase, access.Base));
        }
    }

    /// <summary>
    /// The check that tells <paramref name="written"/> and <paramref name="other"/> apart before the loop, or null: both
    /// must hold one array for the whole loop (a parameter, a local declared before the loop, a field of <c>this</c> or
    /// a static field, none written in the body) whose elements are not arrays — two different rectangular or
    /// one-dimensional arrays share no element, whereas two jagged arrays may share rows.
    /// </summary>
    private AliasCheck? AliasCheckFor(ISymbol written, ISymbol other)
        => HoldsOneArray(written) && HoldsOneArray(other) ? new AliasCheck(written, other) : null;

    /// <summary>
    /// The check that <paramref name="written"/> (1-D or rectangular) is no row of the jagged array <paramref name="jagged"/>,
    /// or null: both must hold one array for the whole loop, and the rows of <paramref name="jagged"/> must have the
    /// written array's type (one level: <c>Array.IndexOf</c> looks at the rows, not at rows of rows).
    /// </summary>
    private AliasCheck? RowCheckFor(ISymbol written, ISymbol jagged)
        => HoldsOneArray(written) && IsStable(jagged)
           && ArrayAliasing.ContainerType(jagged) is IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol row }
           && SymbolEqualityComparer.Default.Equals(row, ArrayAliasing.ContainerType(written))
            ? new AliasCheck(written, jagged, isRowOf: true)
            : null;

    private bool HoldsOneArray(ISymbol symbol)
        => IsStable(symbol) && ArrayAliasing.ContainerType(symbol) is IArrayTypeSymbol { ElementType: not IArrayTypeSymbol };

    /// <summary>A parameter, a local declared before the loop or a field of <c>this</c> or a static one, not written in the body.</summary>
    private bool IsStable(ISymbol symbol)
    {
        var stable = symbol switch
        {
            IParameterSymbol parameter => parameter.RefKind == RefKind.None,
            ILocalSymbol local => !local.IsRef && !_scope.IsBodyLocal(local) && !_scope.IsInduction(local),
            IFieldSymbol field => !field.IsVolatile && !_fieldsOfOtherObjects.Contains(field),
            _ => false,
        };
        return stable && !_scope.IsWrittenInBody(symbol);
    }
}
