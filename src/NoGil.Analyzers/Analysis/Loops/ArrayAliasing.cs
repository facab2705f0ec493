using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Which arrays and spans of a loop may be one object under two names: two containers of the same type (or of
/// same-size element types, which the runtime lets alias) may be, unless one of them is an array no one else can reach
/// (created in the body, or a fresh local of the method, see <see cref="IsFreshInMethod"/>).
/// </summary>
internal sealed class ArrayAliasing
{
    /// <summary>Per method body: the array locals no one else can reach (see <see cref="ComputeFreshLocals"/>).</summary>
    private static readonly ConditionalWeakTable<IOperation, HashSet<ILocalSymbol>> FreshLocals = new();

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

        if (IsFreshInMethod(writtenBase) || IsFreshInMethod(access.Base!) || IsCreatedAfterEntryOf(writtenBase, access.Base!) || IsCreatedAfterEntryOf(access.Base!, writtenBase))
        {
            return false;
        }

        // Compare the types of the outermost containers: double[] vs double[] (or int[] vs uint[], which the runtime lets alias).
        var writtenType = ContainerType(writtenBase);
        var accessType = ContainerType(access.Base!);
        if (writtenType is null || accessType is null)
        {
            return true;
        }

        if (write.IsSpan || access.IsSpan)
        {
            return SameSizeElements(write.ElementType, access.ElementType);
        }

        return SymbolEqualityComparer.Default.Equals(writtenType, accessType)
               || (writtenType is IArrayTypeSymbol wa && accessType is IArrayTypeSymbol aa && wa.Rank == aa.Rank && SameSizeElements(wa.ElementType, aa.ElementType));
    }

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

        IOperation top = _scope.Loop;
        while (top.Parent is { } parent)
        {
            top = parent;
        }

        return FreshLocals.GetValue(top, ComputeFreshLocals).Contains(local);
    }

    /// <summary>
    /// The locals of a method body that hold an array no one else can reach: initialized with an array creation, never
    /// assigned again, every row stored into them a new array, and used only through their elements, their lengths,
    /// <c>foreach</c> or <c>return</c> — never handed out as a value (an argument, another variable, <c>AsSpan()</c>),
    /// which could bring the same array back under another name. Computed once per method body.
    /// </summary>
    private static HashSet<ILocalSymbol> ComputeFreshLocals(IOperation root)
    {
        var candidates = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var spoiled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } declarator
                    when declarator.GetVariableInitializer()?.Value.UnwrapConversions() is IArrayCreationOperation:
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
            }
        }

        candidates.ExceptWith(spoiled);
        return candidates;
    }

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
