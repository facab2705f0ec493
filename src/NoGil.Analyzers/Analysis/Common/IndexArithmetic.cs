namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Which integer operations of one function compute addresses rather than data: the <c>i * n + j</c> of an element
/// index, <c>var offset = i * columns</c>, <c>offset += 2</c>, the <c>y * w</c> of <c>Slice(y * w, w)</c>, a bounds guard
/// <c>if (i &lt; old.GetLength(0))</c>, a loop's own condition and step. They are built of <em>index terms</em> —
/// constants, integer locals and by-value parameters whose every assigned value is itself an index term (a cycle
/// through the variable's own value is not), integer fields, <c>Length</c>/<c>Count</c>/<c>Rank</c>,
/// <c>GetLength(d)</c>, <c>Math.Min</c>/<c>Max</c> of those — and their value is used only as an index, as the value of
/// an index variable, or in a guard that compares two plain terms; integer arithmetic that feeds an element index
/// directly counts as address arithmetic even around an element read (the scatter <c>ret[c[j] * rows + row]</c>).
/// Arithmetic on loop variables whose value is data (<c>u * u + v * v &lt;= r2</c>) is work. The cost model counts
/// index arithmetic as nothing — it runs in the shadow of the loads it feeds — so a copy or a fill with a computed index
/// is not mistaken for work (docs/loop-model.md, "Cost"). Built once per function and cached; every set is filled by
/// the constructor and only read after it, so one instance is shared between threads without a lock.
/// </summary>
internal sealed class IndexArithmetic
{
    /// <summary>Every value assigned to each local or parameter of the function; null in the list for a write the class cannot read.</summary>
    private readonly Dictionary<ISymbol, List<IOperation?>> _writes = new(SymbolEqualityComparer.Default);

    /// <summary>Locals and parameters written anywhere in the function after their declaration (assigned, incremented, passed by reference).</summary>
    private readonly HashSet<ISymbol> _written = new(SymbolEqualityComparer.Default);

    /// <summary>
    /// Every read of each integer local or parameter of the function (references that are not the target of a write): the
    /// position of the variable's last read in <see cref="_readChain"/>, each entry of which links to the variable's read
    /// before it (-1 for none) — one list for the whole function rather than one per variable.
    /// </summary>
    private readonly Dictionary<ISymbol, int> _reads = new(SymbolEqualityComparer.Default);

    private readonly List<(IOperation Read, int Previous)> _readChain = new();

    /// <summary>The index variables: the greatest set closed under "every value is an index term and every read an index use".</summary>
    private readonly HashSet<ISymbol> _indexVariables = new(SymbolEqualityComparer.Default);

    private IndexArithmetic(IOperation root)
    {
        // One walk of the function, dispatched on the operation's kind (no type tests for the nodes that are none of these).
        var stack = new Stack<IOperation>(32);
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }

            switch (operation.Kind)
            {
                case OperationKind.VariableDeclarator:
                    var declarator = (IVariableDeclaratorOperation)operation;
                    if (declarator.GetVariableInitializer()?.Value is { } initial)
                    {
                        Add(declarator.Symbol, initial, isDeclaration: true);
                    }

                    break;
                case OperationKind.SimpleAssignment when VariableOf(((ISimpleAssignmentOperation)operation).Target) is { } target:
                    Add(target, ((ISimpleAssignmentOperation)operation).Value);
                    break;
                case OperationKind.CompoundAssignment when VariableOf(((ICompoundAssignmentOperation)operation).Target) is { } target:
                    var compound = (ICompoundAssignmentOperation)operation;
                    Add(target, compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply ? compound.Value : null);
                    break;
                case OperationKind.Increment or OperationKind.Decrement:
                    if (VariableOf(((IIncrementOrDecrementOperation)operation).Target) is { } incremented)
                    {
                        _written.Add(incremented); // i++ keeps an index an index
                    }

                    break;
                case OperationKind.Argument when operation is IArgumentOperation { Parameter.RefKind: not RefKind.None } argument && VariableOf(argument.Value) is { } passed:
                    Add(passed, null);
                    break;
                case OperationKind.DeconstructionAssignment:
                    foreach (var written in ((IDeconstructionAssignmentOperation)operation).Target.DescendantsAndSelf())
                    {
                        if (VariableOf(written) is { } variable)
                        {
                            Add(variable, null);
                        }
                    }

                    break;
                case OperationKind.LocalReference or OperationKind.ParameterReference when IsInteger(operation.Type) && !IsWriteTarget(operation) && VariableOf(operation) is { } read:
                    // Only an integer variable can be an index variable, and only a candidate's reads are ever asked for.
                    _readChain.Add((operation, _reads.TryGetValue(read, out var previous) ? previous : -1));
                    _reads[read] = _readChain.Count - 1;
                    break;
            }
        }

        // The greatest fixed point: start from every integer local and by-value parameter with values the class can read,
        // drop those with a value or a read that does not qualify, until nothing changes. Only ever removes, so it ends;
        // it does not depend on the order of questions, so answers are deterministic.
        foreach (var variable in _writes.Keys.Concat(_reads.Keys))
        {
            if (IsInteger(TypeOf(variable)) && variable is ILocalSymbol { IsRef: false } or IParameterSymbol { RefKind: RefKind.None }
                && (variable is IParameterSymbol || _writes.ContainsKey(variable))
                && !(_writes.TryGetValue(variable, out var values) && values.Contains(null)))
            {
                _indexVariables.Add(variable);
            }
        }

        bool changed;
        var candidates = new List<ISymbol>(_indexVariables.Count);
        do
        {
            changed = false;
            candidates.Clear();
            candidates.AddRange(_indexVariables);
            foreach (var variable in candidates)
            {
                if (!Qualifies(variable))
                {
                    _indexVariables.Remove(variable);
                    changed = true;
                }
            }
        }
        while (changed);
    }

    /// <summary>Is every value of <paramref name="variable"/> an index term and every read an index use (with the current index variables)?</summary>
    private bool Qualifies(ISymbol variable)
    {
        if (_writes.TryGetValue(variable, out var values))
        {
            foreach (var value in values)
            {
                if (!IsIndexTerm(value!, depth: 0))
                {
                    return false;
                }
            }
        }

        if (_reads.TryGetValue(variable, out var last))
        {
            for (var at = last; at >= 0; at = _readChain[at].Previous)
            {
                if (!IsIndexUse(_readChain[at].Read))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ITypeSymbol? TypeOf(ISymbol variable) => variable switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => null,
    };

    private static bool IsWriteTarget(IOperation reference)
        => reference.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target == reference,
            ICompoundAssignmentOperation compound => compound.Target == reference,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation { Parameter.RefKind: RefKind.Out } => true,
            _ => false,
        };

    /// <summary>The index arithmetic of the function that contains <paramref name="operation"/>.</summary>
    public static IndexArithmetic Of(IOperation operation)
    {
        var facts = FunctionFacts.Of(operation);
        return Volatile.Read(ref facts.IndexArithmetic) ?? FunctionFacts.Publish(ref facts.IndexArithmetic, new IndexArithmetic(operation.Root()));
    }

    /// <summary>
    /// Every value assigned to the local or parameter <paramref name="variable"/> in the function, its initializer
    /// included (null in the list for a write that cannot be read: a <c>ref</c> argument, a deconstruction); null when
    /// nothing assigns it.
    /// </summary>
    public IReadOnlyList<IOperation?>? ValuesOf(ISymbol variable) => _writes.TryGetValue(variable, out var values) ? values : null;

    /// <summary>
    /// True when <paramref name="operation"/> is an arithmetic operation, comparison, increment or compound assignment
    /// over index terms only (see the class summary): it counts as no work.
    /// </summary>
    public bool IsIndexOperation(IOperation operation)
        => operation switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
                or BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } or IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }
                => IsGuard(operation),
            IBinaryOperation or IUnaryOperation => (IsIndexTerm(operation, depth: 0) && IsIndexUse(operation)) || FeedsAnIndex(operation),
            IIncrementOrDecrementOperation increment => VariableOf(increment.Target) is { } variable && _indexVariables.Contains(variable),
            ICompoundAssignmentOperation compound => VariableOf(compound.Target) is { } variable && _indexVariables.Contains(variable) && IsIndexTerm(compound.Value, depth: 0),
            IInvocationOperation invocation => IsIndexInvocation(invocation, depth: 0),
            _ => false,
        };

    /// <summary>
    /// A bounds guard: a comparison of two plain index terms — a variable, a constant, a length, or a sum or difference of
    /// two such (<c>i &lt; old.GetLength(0)</c>, <c>i &gt;= start</c>, <c>j &lt; n - 1</c>) — or <c>&amp;&amp;</c>,
    /// <c>||</c>, <c>!</c> of guards. <c>u * u + v * v &lt;= r2</c> is arithmetic on its loop variables, not a guard.
    /// </summary>
    private bool IsGuard(IOperation operation)
    {
        switch (operation)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not:
                return IsGuard(not.Operand.UnwrapConversions());
            case IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr } logical:
                return IsGuard(logical.LeftOperand.UnwrapConversions()) && IsGuard(logical.RightOperand.UnwrapConversions());
            case IBinaryOperation { OperatorMethod: null } compare:
                return IsInteger(compare.LeftOperand.UnwrapConversions().Type) && IsInteger(compare.RightOperand.UnwrapConversions().Type)
                       && IsPlain(compare.LeftOperand, allowSum: true) && IsPlain(compare.RightOperand, allowSum: true);
            default:
                return false;
        }
    }

    private bool IsPlain(IOperation operand, bool allowSum)
    {
        operand = operand.UnwrapAllConversions();
        if (operand is IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } sum)
        {
            return allowSum && IsPlain(sum.LeftOperand, allowSum: false) && IsPlain(sum.RightOperand, allowSum: false);
        }

        return operand is not IBinaryOperation and not IUnaryOperation && IsIndexTerm(operand, depth: 0);
    }

    /// <summary>
    /// Is the value of integer arithmetic <paramref name="operation"/> used only as an index — through more integer
    /// arithmetic and conversions, it ends as an element index, an indexer or element-move argument
    /// (<c>Slice(y * w, w)</c>), the value of an index variable (<c>var offset = i * columns</c>, <c>k = j + 1</c>), or a
    /// side of a bounds guard (<c>j &lt; n - 1</c>)?
    /// </summary>
    private bool IsIndexUse(IOperation operation)
    {
        var child = operation;
        var parent = operation.Parent;
        while (true)
        {
            switch (parent)
            {
                case IConversionOperation { OperatorMethod: null } or IParenthesizedOperation:
                case IBinaryOperation { OperatorMethod: null, OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply
                    or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift
                    or BinaryOperatorKind.And or BinaryOperatorKind.Or } outer when IsInteger(outer.Type):
                case IInvocationOperation invocation when IsIndexInvocation(invocation, depth: 0):
                case IArgumentOperation { Parent: IInvocationOperation minMax } when IsIndexInvocation(minMax, depth: 0):
                    child = parent;
                    parent = parent.Parent;
                    continue;
                case IArrayElementReferenceOperation element:
                    return element.Indices.Contains(child);
                case IArrayCreationOperation creation:
                    return creation.DimensionSizes.Contains(child); // a length: new byte[len]
                case IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } }:
                    return true;
                case ISimpleAssignmentOperation store when store.Value == child && store.Target is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }:
                    return true; // a fill with the index: columnIndices[offset + col] = col
                case IArgumentOperation { Parent: IInvocationOperation call }:
                    return CallCost.IsElementMove(call.TargetMethod);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return _indexVariables.Contains(declarator.Symbol);
                case ISimpleAssignmentOperation assignment when assignment.Value == child:
                    return VariableOf(assignment.Target) is { } assigned && _indexVariables.Contains(assigned);
                case ICompoundAssignmentOperation compound when compound.Value == child:
                    return VariableOf(compound.Target) is { } updated && _indexVariables.Contains(updated);
                case IBinaryOperation compare:
                    return IsGuard(compare);
                default:
                    return false;
            }
        }
    }

    /// <summary>
    /// True when the local or parameter is written anywhere in the function other than by its declaration's initializer
    /// (assigned, compound-assigned, incremented, passed by <c>ref</c>/<c>out</c>, deconstructed into).
    /// </summary>
    public bool IsWrittenAfterDeclaration(ISymbol variable) => _written.Contains(variable);

    /// <summary>
    /// Integer arithmetic whose value is used only as an element index — directly, or through more integer arithmetic
    /// and conversions: the <c>c * rows + row</c> of a scatter <c>ret[c * rows + row] = values[j]</c> with
    /// <c>c = columnIndices[j]</c>. The element read inside is counted as a read; the address arithmetic around it is not.
    /// </summary>
    private static bool FeedsAnIndex(IOperation operation)
    {
        if (operation is not IBinaryOperation { OperatorMethod: null } binary || !IsInteger(binary.Type)
            || binary.OperatorKind is not (BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply
                or BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift
                or BinaryOperatorKind.And or BinaryOperatorKind.Or))
        {
            return false;
        }

        var child = operation;
        var parent = operation.Parent;
        while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation
               || (parent is IBinaryOperation { OperatorMethod: null } outer && IsInteger(outer.Type)
                   && outer.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply))
        {
            child = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IArrayElementReferenceOperation element => element.Indices.Contains(child),
            IArgumentOperation { Parent: IPropertyReferenceOperation { Property.IsIndexer: true } } => true,
            _ => false,
        };
    }

    private void Add(ISymbol variable, IOperation? value, bool isDeclaration = false)
    {
        if (!isDeclaration)
        {
            _written.Add(variable);
        }

        if (!_writes.TryGetValue(variable, out var values))
        {
            values = new List<IOperation?>();
            _writes[variable] = values;
        }

        values.Add(value);
    }

    private static ISymbol? VariableOf(IOperation operation) => operation.UnwrapConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static bool IsInteger(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_UInt64
            or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte
            or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    private bool IsIndexTerm(IOperation operation, int depth)
    {
        if (depth > 12)
        {
            return false;
        }

        if (operation.ConstantValue.HasValue)
        {
            return IsInteger(operation.Type) || operation.Type?.SpecialType == SpecialType.System_Boolean;
        }

        switch (operation)
        {
            case IConversionOperation { OperatorMethod: null } conversion:
                return IsInteger(conversion.Operand.Type) && IsIndexTerm(conversion.Operand, depth + 1);
            case IParenthesizedOperation parenthesized:
                return IsIndexTerm(parenthesized.Operand, depth + 1);
            case ILocalReferenceOperation or IParameterReferenceOperation:
                return IsInteger(operation.Type) && VariableOf(operation) is { } variable && _indexVariables.Contains(variable);
            case IFieldReferenceOperation field:
                return IsInteger(field.Type);
            case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                return IsInteger(property.Type) && property.Property.Name is "Length" or "LongLength" or "Count" or "Rank";
            case IInvocationOperation invocation:
                return IsIndexInvocation(invocation, depth);
            case IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Minus or UnaryOperatorKind.Plus or UnaryOperatorKind.BitwiseNegation } unary:
                return IsInteger(unary.Type) && IsIndexTerm(unary.Operand, depth + 1);
            case IUnaryOperation { OperatorMethod: null, OperatorKind: UnaryOperatorKind.Not } not:
                return IsIndexTerm(not.Operand, depth + 1);
            case IBinaryOperation { OperatorMethod: null } binary:
                var result = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide
                        or BinaryOperatorKind.Remainder or BinaryOperatorKind.LeftShift or BinaryOperatorKind.RightShift
                        or BinaryOperatorKind.And or BinaryOperatorKind.Or => IsInteger(binary.Type),
                    BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                        or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals
                        => IsInteger(binary.LeftOperand.UnwrapConversions().Type) && IsInteger(binary.RightOperand.UnwrapConversions().Type),
                    BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr => binary.Type?.SpecialType == SpecialType.System_Boolean,
                    _ => false,
                };
                return result && IsIndexTerm(binary.LeftOperand, depth + 1) && IsIndexTerm(binary.RightOperand, depth + 1);
            default:
                return false;
        }
    }

    /// <summary><c>a.GetLength(d)</c>, <c>GetLowerBound</c>/<c>GetUpperBound</c> of an array; <c>Math.Min</c>/<c>Max</c> of index terms.</summary>
    private bool IsIndexInvocation(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound"
            && method.ContainingType?.SpecialType == SpecialType.System_Array)
        {
            return invocation.Arguments.All(a => IsIndexTerm(a.Value, depth + 1));
        }

        return method.Name is "Min" or "Max" && method.IsStatic && method.ContainingType?.Name == "Math"
               && method.ContainingNamespace?.ToDisplayString() == "System" && IsInteger(method.ReturnType)
               && invocation.Arguments.All(a => IsIndexTerm(a.Value, depth + 1));
    }
}
