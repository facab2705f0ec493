using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Which integer operations of one function compute addresses and counts rather than data: the <c>i * n + j</c> of an
/// element index, <c>offset += 2</c>, a bounds guard <c>if (i &lt; a.GetLength(0))</c>, a loop's own condition and step.
/// They are built only of <em>index terms</em>: constants, integer locals and by-value parameters whose every assigned
/// value is itself an index term (loop variables, <c>var offset = i * columns</c>; a cycle through the variable's own
/// value is not), integer fields, <c>Length</c>/<c>Count</c>/<c>Rank</c>, <c>GetLength(d)</c>, <c>Math.Min</c>/<c>Max</c>
/// of index terms, and integer arithmetic and comparisons of those. An element read is never an index term: what is
/// read from memory is data. The cost model counts index arithmetic as nothing — address arithmetic runs in the
/// shadow of the loads it feeds — so a copy or a fill with a computed index is not mistaken for work
/// (docs/loop-model.md, "Cost"). Built once per function and cached.
/// </summary>
internal sealed class IndexArithmetic
{
    private static readonly ConditionalWeakTable<IOperation, IndexArithmetic> Cache = new();

    /// <summary>Every value assigned to each local or parameter of the function; null in the list for a write the class cannot read.</summary>
    private readonly Dictionary<ISymbol, List<IOperation?>> _writes = new(SymbolEqualityComparer.Default);

    /// <summary>Locals and parameters written anywhere in the function after their declaration (assigned, incremented, passed by reference).</summary>
    private readonly HashSet<ISymbol> _written = new(SymbolEqualityComparer.Default);

    private readonly Dictionary<ISymbol, bool> _isIndexVariable = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _inProgress = new(SymbolEqualityComparer.Default);
    private readonly object _gate = new();

    private IndexArithmetic(IOperation root)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator:
                    if (declarator.GetVariableInitializer()?.Value is { } initial)
                    {
                        Add(declarator.Symbol, initial, isDeclaration: true);
                    }

                    break;
                case ISimpleAssignmentOperation assignment when VariableOf(assignment.Target) is { } target:
                    Add(target, assignment.Value);
                    break;
                case ICompoundAssignmentOperation compound when VariableOf(compound.Target) is { } target:
                    Add(target, compound.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply ? compound.Value : null);
                    break;
                case IIncrementOrDecrementOperation increment:
                    if (VariableOf(increment.Target) is { } incremented)
                    {
                        _written.Add(incremented); // i++ keeps an index an index
                    }

                    break;
                case IArgumentOperation { Parameter.RefKind: not RefKind.None } argument when VariableOf(argument.Value) is { } passed:
                    Add(passed, null);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    foreach (var written in deconstruction.Target.DescendantsAndSelf())
                    {
                        if (VariableOf(written) is { } variable)
                        {
                            Add(variable, null);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The index arithmetic of the function that contains <paramref name="operation"/>.</summary>
    public static IndexArithmetic Of(IOperation operation)
    {
        var root = operation;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        return Cache.GetValue(root, static r => new IndexArithmetic(r));
    }

    /// <summary>
    /// True when <paramref name="operation"/> is an arithmetic operation, comparison, increment or compound assignment
    /// over index terms only (see the class summary): it counts as no work.
    /// </summary>
    public bool IsIndexOperation(IOperation operation)
    {
        lock (_gate)
        {
            return operation switch
            {
                IBinaryOperation or IUnaryOperation => IsIndexTerm(operation, depth: 0),
                IIncrementOrDecrementOperation increment => VariableOf(increment.Target) is { } variable && IsIndexVariable(variable),
                ICompoundAssignmentOperation compound => VariableOf(compound.Target) is { } variable && IsIndexVariable(variable) && IsIndexTerm(compound.Value, depth: 0),
                IInvocationOperation invocation => IsIndexInvocation(invocation, depth: 0),
                _ => false,
            };
        }
    }

    /// <summary>
    /// True when the local or parameter is written anywhere in the function other than by its declaration's initializer
    /// (assigned, compound-assigned, incremented, passed by <c>ref</c>/<c>out</c>, deconstructed into).
    /// </summary>
    public bool IsWrittenAfterDeclaration(ISymbol variable)
    {
        lock (_gate)
        {
            return _written.Contains(variable);
        }
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
                return IsInteger(operation.Type) && VariableOf(operation) is { } variable && IsIndexVariable(variable);
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

    private bool IsIndexVariable(ISymbol variable)
    {
        if (_isIndexVariable.TryGetValue(variable, out var known))
        {
            return known;
        }

        if (variable is ILocalSymbol { IsRef: true } or IParameterSymbol { RefKind: not RefKind.None } || !_inProgress.Add(variable))
        {
            return false; // a cycle through its own value (h = h * 31 + i) is not an index
        }

        var result = true;
        if (_writes.TryGetValue(variable, out var values))
        {
            foreach (var value in values)
            {
                if (value is null || !IsIndexTerm(value, depth: 0))
                {
                    result = false;
                    break;
                }
            }
        }
        else if (variable is ILocalSymbol)
        {
            result = false; // declared without a value we saw (a foreach variable, an out variable)
        }

        _inProgress.Remove(variable);
        if (_inProgress.Count == 0)
        {
            // Only answers made from the top are kept: one made inside a cycle depends on where the walk entered it.
            _isIndexVariable[variable] = result;
        }

        return result;
    }
}
