namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Which arrays and spans of a loop may be one object under two names: two containers of the same type (or of
/// same-size element types, which the runtime lets alias) may be, unless one of them is an array no one else can reach
/// (created in the body, or a fresh local of the method, see <see cref="IsFreshInMethod"/>).
/// </summary>
internal sealed class ArrayAliasing
{
    private readonly LoopScope _scope;
    private readonly Dictionary<ISymbol, bool> _fresh = new(SymbolEqualityComparer.Default);

    public ArrayAliasing(LoopScope scope) => _scope = scope;

    /// <summary>Can <paramref name="access"/>'s array be (part of) the array written by <paramref name="write"/>?</summary>
    public bool MayAlias(ISymbol writtenBase, ElementAccess write, ElementAccess access)
    {
        if (access.Base is ILocalSymbol local && _scope.IsBodyLocal(local) && _scope.IsFreshBodyArray(local))
        {
            return false;
        }

        // The types first: containers of different types (most pairs) are apart whatever the function does with them, and
        // the freshness of a local reads the whole function.
        var writtenType = ContainerType(writtenBase);
        var accessType = ContainerType(access.Base!);
        if (writtenType is not null && accessType is not null && !SameOrAliasingTypes(writtenType, accessType, write, access))
        {
            return false;
        }

        return !IsFreshInMethod(writtenBase) && !IsFreshInMethod(access.Base!) && !IsCreatedAfterEntryOf(writtenBase, access.Base!) && !IsCreatedAfterEntryOf(access.Base!, writtenBase);
    }

    /// <summary>
    /// Two containers of these types may be one object: the same type (double[] and double[]), arrays of one rank whose
    /// elements have the same size (int[] and uint[], which the runtime lets alias), a span and anything of elements of its size.
    /// </summary>
    private static bool SameOrAliasingTypes(ITypeSymbol writtenType, ITypeSymbol accessType, ElementAccess write, ElementAccess access)
    {
        if (write.IsSpan || access.IsSpan)
        {
            return SameSizeElements(write.ElementType, access.ElementType);
        }

        return SymbolEqualityComparer.Default.Equals(writtenType, accessType)
               || (writtenType is IArrayTypeSymbol wa && accessType is IArrayTypeSymbol aa && wa.Rank == aa.Rank && SameSizeElements(wa.ElementType, aa.ElementType));
    }

    /// <summary>
    /// Where one of the two is a jagged array whose rows have the other's type (<c>y[i] = Σ w[i][j] * x[j]</c> with
    /// <c>double[] y</c> and <c>double[][] w</c>): can the 1-D array be one of those rows? The outer types differ, so
    /// <see cref="MayAlias"/> says no; but <c>w[i]</c> may be <c>y</c> itself, and then iteration <c>i</c> reads every
    /// element the others write. Not when the 1-D array is a fresh local of the method, or when the jagged array is one
    /// whose rows are all new arrays that never leave it (<see cref="RowsStayInside"/>) and the 1-D array is a parameter
    /// or a field, which cannot hold one of those rows.
    /// </summary>
    public RowAliasing RowAlias(ISymbol writtenBase, ElementAccess write, ElementAccess access)
    {
        if (write.IsSpan || access.IsSpan || access.Base is null
            || ContainerType(writtenBase) is not IArrayTypeSymbol writtenType || ContainerType(access.Base) is not IArrayTypeSymbol accessType)
        {
            return RowAliasing.None;
        }

        if (HasRowsOf(accessType, writtenType))
        {
            return IsFreshInMethod(writtenBase) || (RowsStayInside(access.Base) && writtenBase is IParameterSymbol or IFieldSymbol)
                ? RowAliasing.None
                : RowAliasing.WrittenMayBeReadRow;
        }

        if (HasRowsOf(writtenType, accessType))
        {
            return IsFreshInMethod(access.Base) || (RowsStayInside(writtenBase) && access.Base is IParameterSymbol or IFieldSymbol)
                ? RowAliasing.None
                : RowAliasing.ReadMayBeWrittenRow;
        }

        return RowAliasing.None;
    }

    /// <summary>Does the jagged array type <paramref name="jagged"/> hold, at some depth, rows of the array type <paramref name="row"/> (or of one the runtime lets alias it)?</summary>
    private static bool HasRowsOf(IArrayTypeSymbol jagged, IArrayTypeSymbol row)
    {
        for (var element = jagged.ElementType as IArrayTypeSymbol; element is not null; element = element.ElementType as IArrayTypeSymbol)
        {
            if (element.Rank == row.Rank && SameSizeElements(element.ElementType, row.ElementType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A fresh local (<see cref="IsFreshInMethod"/>) whose rows are only indexed, measured or named by a row local — never handed to anyone.</summary>
    private bool RowsStayInside(ISymbol symbol)
        => IsFreshInMethod(symbol) && !FreshLocalsOf(Top()).RowsHandedOut.Contains((ILocalSymbol)symbol);

    private IOperation Top() => _scope.Loop.Root();

    /// <summary>A local of the enclosing method initialized with an array creation and never assigned again: no one else holds it before the loop.</summary>
    public bool IsFreshInMethod(ISymbol symbol)
    {
        if (!_fresh.TryGetValue(symbol, out var fresh))
        {
            _fresh[symbol] = fresh = ComputeIsFreshInMethod(symbol);
        }

        return fresh;
    }

    /// <summary>
    /// <paramref name="created"/> is an array the function created (<see cref="MethodArrays.IsCreatedHere"/>), of
    /// elements that are not arrays, and <paramref name="parameter"/> a by-value parameter of that function it never
    /// assigns: two different objects even when the created array is handed out later (<c>return new Spline(x, dd)</c>).
    /// Jagged arrays are left out: two different jagged arrays may share rows.
    /// </summary>
    private bool IsCreatedAfterEntryOf(ISymbol created, ISymbol parameter)
        => created is ILocalSymbol { Type: IArrayTypeSymbol { ElementType: not IArrayTypeSymbol } }
           && parameter is IParameterSymbol
           && MethodArrays.Around(_scope.Loop).IsCreatedAfterEntryOf(created, parameter);

    /// <summary>The declared type of the local, parameter or field holding a container.</summary>
    public static ITypeSymbol? ContainerType(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        _ => null,
    };

    private static bool SameSizeElements(ITypeSymbol a, ITypeSymbol b)
    {
        if (SymbolEqualityComparer.Default.Equals(a, b))
        {
            return true;
        }

        static int Size(ITypeSymbol t) => t.SpecialType switch
        {
            SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
            SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
            SpecialType.System_Int32 or SpecialType.System_UInt32 => 4,
            SpecialType.System_Int64 or SpecialType.System_UInt64 => 8,
            _ => -1,
        };

        var size = Size(a);
        return size > 0 && size == Size(b);
    }

    private bool ComputeIsFreshInMethod(ISymbol symbol)
    {
        if (symbol is not ILocalSymbol local || local.IsRef || _scope.IsBodyLocal(local))
        {
            return false;
        }

        return FreshLocalsOf(Top()).Locals.Contains(local);
    }

    /// <summary>Per method body (<see cref="FunctionFacts.FreshArrays"/>): the array locals no one else can reach (see <see cref="ComputeFreshLocals"/>).</summary>
    private static FreshArrays FreshLocalsOf(IOperation root)
    {
        var facts = FunctionFacts.Of(root);
        return Volatile.Read(ref facts.FreshArrays) ?? FunctionFacts.Publish(ref facts.FreshArrays, ComputeFreshLocals(root));
    }

    /// <summary>
    /// The locals of a method body that hold an array no one else can reach: initialized with an array creation, never
    /// assigned again, every row stored into them a new array, and used only through their elements, their lengths,
    /// <c>foreach</c> or <c>return</c> — never handed out as a value (an argument, another variable, <c>AsSpan()</c>),
    /// which could bring the same array back under another name. Computed once per method body.
    /// </summary>
    private static FreshArrays ComputeFreshLocals(IOperation root)
    {
        var candidates = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var spoiled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var rowsHandedOut = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } declarator
                    when declarator.GetVariableInitializer()?.Value.UnwrapConversions() is IArrayCreationOperation creation && RowsAreNew(creation.Initializer):
                    candidates.Add(declared);
                    break;

                case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation row } rowAssignment
                    when row.Type is IArrayTypeSymbol && ArrayChain.Of(row).Base is ILocalSymbol jagged
                         && rowAssignment.Value.UnwrapConversions() is not IArrayCreationOperation:
                    spoiled.Add(jagged); // a row of the jagged array is an array someone else may hold
                    break;

                case ILocalReferenceOperation reference when !IsHarmlessUse(reference):
                    spoiled.Add(reference.Local);
                    break;

                case ILocalReferenceOperation reference when reference.Type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol }
                                                             && reference.ParentThroughConversions(out _) is IArrayElementReferenceOperation row
                                                             && !IsRowKeptInside(row):
                    rowsHandedOut.Add(reference.Local);
                    break;
            }
        }

        candidates.ExceptWith(spoiled);
        return new FreshArrays(candidates, rowsHandedOut);
    }

    /// <summary>
    /// A row <c>c[k]</c> of a jagged local that is indexed (<c>c[k][j]</c>), measured, the target of a row store, the
    /// collection of a <c>foreach</c>, or the initializer of a row local (<c>var row = c[k]</c>, whose own element
    /// accesses the loop model follows back to <c>c</c>) — not passed on, where it could come back under another name.
    /// </summary>
    private static bool IsRowKeptInside(IArrayElementReferenceOperation row)
    {
        return row.ParentThroughConversions(out var child) switch
        {
            IArrayElementReferenceOperation element when element.ArrayReference == child
                => element.Type is not IArrayTypeSymbol || IsRowKeptInside(element),
            IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" or "Rank" } property => property.Instance == child,
            IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" } call => call.Instance == child,
            ISimpleAssignmentOperation assignment => assignment.Target == child,
            IForEachLoopOperation loop => loop.Collection == child,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation } => true,
            _ => false,
        };
    }

    internal sealed class FreshArrays
    {
        public FreshArrays(HashSet<ILocalSymbol> locals, HashSet<ILocalSymbol> rowsHandedOut)
        {
            Locals = locals;
            RowsHandedOut = rowsHandedOut;
        }

        /// <summary>See <see cref="ComputeFreshLocals"/>.</summary>
        public HashSet<ILocalSymbol> Locals { get; }

        /// <summary>Jagged locals one of whose rows is handed on as a value (an argument, a field, another array).</summary>
        public HashSet<ILocalSymbol> RowsHandedOut { get; }
    }

    /// <summary>
    /// An array initializer whose rows, if its elements are arrays, are all new arrays (<c>new double[][] { new double[n], … }</c>,
    /// not <c>{ b, b }</c>, which stores one array twice); true for no initializer and for elements that are not arrays.
    /// </summary>
    private static bool RowsAreNew(IArrayInitializerOperation? initializer)
        => initializer is null
           || initializer.ElementValues.All(value => value.UnwrapConversions() switch
           {
               IArrayInitializerOperation nested => RowsAreNew(nested),
               IArrayCreationOperation row => RowsAreNew(row.Initializer),
               var other => other.Type is not IArrayTypeSymbol,
           });

    /// <summary>A use of an array local that neither reassigns it nor hands the array to anyone.</summary>
    private static bool IsHarmlessUse(ILocalReferenceOperation reference)
    {
        return reference.ParentThroughConversions(out var child) switch
        {
            IArrayElementReferenceOperation element => element.ArrayReference == child,
            IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" or "Rank" } property => property.Instance == child,
            IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" } call => call.Instance == child,
            IForEachLoopOperation loop => loop.Collection == child,
            IReturnOperation => true,
            _ => false,
        };
    }
}

/// <summary>How a jagged array and a 1-D array of its row type may overlap (<see cref="ArrayAliasing.RowAlias"/>).</summary>
internal enum RowAliasing
{
    /// <summary>They cannot, or the types are not a jagged array and its row type.</summary>
    None,

    /// <summary>The written 1-D array may be one of the rows of the jagged array the loop reads.</summary>
    WrittenMayBeReadRow,

    /// <summary>The 1-D array the loop reads may be one of the rows of the jagged array it writes.</summary>
    ReadMayBeWrittenRow,
}
