using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>What a reduction kernel folds.</summary>
public enum ReductionKernelKind
{
    /// <summary><c>s += a[i]</c>.</summary>
    Sum,

    /// <summary><c>s += a[i] * b[i]</c>.</summary>
    Dot,

    /// <summary><c>s += a[i] * a[i]</c>.</summary>
    SumOfSquares,

    /// <summary><c>s += Math.Abs(a[i])</c> (floating point only: <c>Math.Abs(int.MinValue)</c> throws).</summary>
    SumOfMagnitudes,

    /// <summary><c>m = Math.Max(m, a[i])</c> (either argument order, also <c>MathF</c>).</summary>
    Max,

    /// <summary><c>m = Math.Min(m, a[i])</c> (either argument order, also <c>MathF</c>).</summary>
    Min,

    /// <summary><c>if (a[i] &gt; m) m = a[i];</c> — NaN never wins, the first of equal values is kept.</summary>
    CompareMax,

    /// <summary><c>if (a[i] &lt; m) m = a[i];</c> — NaN never wins, the first of equal values is kept.</summary>
    CompareMin,

    /// <summary><c>if (a[i] &gt; t) count++;</c> (any comparison with a loop-invariant scalar).</summary>
    Count,
}

/// <summary>An array or span a reduction kernel reads at the induction variable.</summary>
public sealed class ReductionOperand
{
    internal ReductionOperand(IOperation reference, ISymbol symbol, bool isSpan)
    {
        Reference = reference;
        Symbol = symbol;
        IsSpan = isSpan;
    }

    /// <summary>The local, parameter or field reference that names the array or span.</summary>
    public IOperation Reference { get; }

    public ISymbol Symbol { get; }

    /// <summary>True for <c>Span&lt;T&gt;</c>/<c>ReadOnlySpan&lt;T&gt;</c>, false for a one-dimensional array.</summary>
    public bool IsSpan { get; }
}

/// <summary>
/// A loop whose whole body folds the elements of one or two arrays/spans, read at exactly the induction variable,
/// into one accumulator: sum, dot product, sum of squares, sum of magnitudes, min/max or a conditional count. Built
/// on the loop dependence model: the loop must be independent apart from its one reduction.
/// </summary>
public sealed partial class ReductionKernel
{
    private ReductionKernel(
        LoopModel loop,
        ReductionKernelKind kind,
        LoopReduction reduction,
        Element element,
        ReductionOperand? second = null,
        IMethodSymbol? mathMethod = null,
        BinaryOperatorKind comparison = BinaryOperatorKind.None,
        IOperation? threshold = null)
    {
        Loop = loop;
        Kind = kind;
        Reduction = reduction;
        ElementType = element.Type;
        Source = element.Operand;
        Second = second;
        MathMethod = mathMethod;
        Comparison = comparison;
        Threshold = threshold;
    }

    public LoopModel Loop { get; }

    public ReductionKernelKind Kind { get; }

    /// <summary>The model's reduction (accumulator, update statement).</summary>
    public LoopReduction Reduction { get; }

    /// <summary>The element type of the operands, which is also the accumulator's type (except for a count).</summary>
    public ITypeSymbol ElementType { get; }

    /// <summary>The array or span folded (the first factor of a dot product).</summary>
    public ReductionOperand Source { get; }

    /// <summary>The second factor of a dot product; null otherwise.</summary>
    public ReductionOperand? Second { get; }

    /// <summary>The <c>Math.Max</c>/<c>Math.Min</c> (or <c>MathF</c>) method of a <see cref="ReductionKernelKind.Max"/>/<see cref="ReductionKernelKind.Min"/> kernel.</summary>
    public IMethodSymbol? MathMethod { get; }

    /// <summary>For a count: the comparison, normalized to <c>element OP threshold</c>.</summary>
    public BinaryOperatorKind Comparison { get; }

    /// <summary>For a count: the loop-invariant scalar the elements are compared with.</summary>
    public IOperation? Threshold { get; }

    /// <summary>True for <c>float</c> and <c>double</c> elements.</summary>
    public bool IsFloatingPoint => NumericTypes.IsFloatingPoint(ElementType);

    /// <summary>True when vectorizing changes the order of floating-point additions (sums, dot products …).</summary>
    public bool ReordersAdditions => IsFloatingPoint && Kind is ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes;

    /// <summary>The reduction kernel of <paramref name="loop"/>, or null when its body is not one.</summary>
    public static ReductionKernel? TryMatch(LoopModel loop)
    {
        if (!loop.IsIndependent
            || loop.HasCheckedArithmetic
            || loop.Reductions.Length != 1
            || loop.Induction is null
            || (loop.Shape == LoopShape.For && (loop.Induction.Type.SpecialType != SpecialType.System_Int32 || loop.UpperBound.UnwrapConversionsOrNull()?.Type?.SpecialType != SpecialType.System_Int32 || !DeclaresInduction(loop)))
            || loop.Accesses.Any(a => a.Kind != ElementAccessKind.Read || !(a.IsAtInduction || loop.Shape == LoopShape.ForEachArray))
            || SingleStatement(loop.Body) is not { } statement
            || ContainsCheckedArithmetic(statement))
        {
            return null;
        }

        var reduction = loop.Reductions[0];
        var accumulator = reduction.Variable;
        return statement switch
        {
            IExpressionStatementOperation { Operation: var expression } => MatchFold(loop, reduction, accumulator, expression),
            IConditionalOperation { WhenFalse: null } conditional when SingleStatement(conditional.WhenTrue) is { } whenTrue
                => MatchConditional(loop, reduction, accumulator, conditional.Condition, whenTrue),
            _ => null,
        };
    }

    /// <summary>
    /// What <see cref="TryMatch"/> requires of the element accesses of the loop's one statement (<paramref name="statement"/>),
    /// read before any model is built. In a statement the kernel matches, every array element or indexer reference is an
    /// element of the kernel (an addend, a factor, a compared or stored value; thresholds are scalars): over an array's
    /// <c>foreach</c> that element is the iteration variable, so the statement has none; in a <c>for</c> loop each is
    /// <c>x[i]</c>, whose index reads <paramref name="induction"/>. A statement with an access that does not — <c>s += a[i] * b[k]</c>,
    /// <c>s += w[0] * a[i]</c> — is not a reduction kernel.
    /// </summary>
    internal static bool MayMatchAccesses(IOperation statement, ILocalSymbol? induction, LoopShape shape)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            var isAccess = operation is IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true };
            if (isAccess && (shape == LoopShape.ForEachArray || induction is null || !IndexReads(operation, induction)))
            {
                return false;
            }
        }

        return true;

        static bool IndexReads(IOperation access, ILocalSymbol induction) => access switch
        {
            IArrayElementReferenceOperation element => element.Indices.Any(index => ReadsInduction(index, induction)),
            IPropertyReferenceOperation indexer => indexer.Arguments.Any(argument => ReadsInduction(argument.Value, induction)),
            _ => false,
        };

        static bool ReadsInduction(IOperation index, ILocalSymbol induction)
            => index.DescendantsAndSelf().Any(o => o is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, induction));
    }

    // s += v; s = s + v; s = v + s; s = Math.Max(s, v) …
    private static ReductionKernel? MatchFold(LoopModel loop, LoopReduction reduction, ISymbol accumulator, IOperation expression)
    {
        switch (expression)
        {
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound when compound.Target.IsReferenceToLocalOrParameter(accumulator):
                // short/byte … operands are widened to int for the addition; the narrowing store makes it a wrapping add.
                return MatchAddend(loop, reduction, NumericTypes.IsSmallInteger(compound.Target.Type) ? compound.Value.UnwrapConversions() : compound.Value);
            case ISimpleAssignmentOperation assignment when assignment.Target.IsReferenceToLocalOrParameter(accumulator):
                switch (assignment.Value)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when add.LeftOperand.IsReferenceToLocalOrParameter(accumulator):
                        return MatchAddend(loop, reduction, add.RightOperand);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when add.RightOperand.IsReferenceToLocalOrParameter(accumulator):
                        return MatchAddend(loop, reduction, add.LeftOperand);
                    case IInvocationOperation { TargetMethod: { Name: "Max" or "Min", IsStatic: true } method, Arguments.Length: 2 } call
                        when method.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF":
                        var value = call.Arguments[0].Value.IsReferenceToLocalOrParameter(accumulator) ? call.Arguments[1].Value
                            : call.Arguments[1].Value.IsReferenceToLocalOrParameter(accumulator) ? call.Arguments[0].Value
                            : null;
                        if (value is null || ElementOf(loop, value) is not { } element
                            || !SymbolEqualityComparer.Default.Equals(element.Type, reduction.Type)
                            || !method.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, reduction.Type)))
                        {
                            return null;
                        }

                        return new ReductionKernel(loop, method.Name == "Max" ? ReductionKernelKind.Max : ReductionKernelKind.Min, reduction, element, mathMethod: method);
                }

                return null;
            default:
                return null;
        }
    }

    // a[i]; a[i] * b[i]; a[i] * a[i]; Math.Abs(a[i]).
    private static ReductionKernel? MatchAddend(LoopModel loop, LoopReduction reduction, IOperation value)
    {
        if (!SymbolEqualityComparer.Default.Equals(value.Type, reduction.Type) || !NumericTypes.IsVectorElementType(reduction.Type))
        {
            return null;
        }

        if (ElementOf(loop, value) is { } element)
        {
            return new ReductionKernel(loop, ReductionKernelKind.Sum, reduction, element);
        }

        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product
            && ElementOf(loop, product.LeftOperand) is { } left
            && ElementOf(loop, product.RightOperand) is { } right
            && SymbolEqualityComparer.Default.Equals(left.Type, reduction.Type)
            && SymbolEqualityComparer.Default.Equals(right.Type, reduction.Type))
        {
            return SameOperand(left.Operand, right.Operand)
                ? new ReductionKernel(loop, ReductionKernelKind.SumOfSquares, reduction, left)
                : new ReductionKernel(loop, ReductionKernelKind.Dot, reduction, left, right.Operand);
        }

        if (value is IInvocationOperation { TargetMethod: { Name: "Abs", IsStatic: true } abs, Arguments.Length: 1 } call
            && abs.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF"
            && reduction.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double
            && SymbolEqualityComparer.Default.Equals(abs.Parameters[0].Type, reduction.Type)
            && ElementOf(loop, call.Arguments[0].Value) is { } magnitude)
        {
            return new ReductionKernel(loop, ReductionKernelKind.SumOfMagnitudes, reduction, magnitude);
        }

        return null;
    }

    // if (a[i] > m) m = a[i];  if (a[i] > t) count++;
    private static ReductionKernel? MatchConditional(LoopModel loop, LoopReduction reduction, ISymbol accumulator, IOperation condition, IOperation whenTrue)
    {
        if (condition is not IBinaryOperation { IsChecked: false } comparison || !IsComparison(comparison.OperatorKind))
        {
            return null;
        }

        // Two short/byte … operands are widened to int to be compared: the same comparison.
        var leftOperand = comparison.LeftOperand;
        var rightOperand = comparison.RightOperand;
        if (NumericTypes.IsSmallInteger(leftOperand.UnwrapConversions().Type) && SymbolEqualityComparer.Default.Equals(leftOperand.UnwrapConversions().Type, rightOperand.UnwrapConversions().Type))
        {
            leftOperand = leftOperand.UnwrapConversions();
            rightOperand = rightOperand.UnwrapConversions();
        }

        // if (a[i] > m) m = a[i];  if (m < a[i]) m = a[i];
        if (whenTrue is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }
            && assignment.Target.IsReferenceToLocalOrParameter(accumulator)
            && ElementOf(loop, assignment.Value) is { } assigned
            && SymbolEqualityComparer.Default.Equals(assigned.Type, reduction.Type))
        {
            var (element, other, kind) = ElementOf(loop, leftOperand) is { } l
                ? (l, rightOperand, comparison.OperatorKind)
                : ElementOf(loop, rightOperand) is { } r ? (r, leftOperand, Flip(comparison.OperatorKind)) : default;
            if (element is null || !other.IsReferenceToLocalOrParameter(accumulator) || !SameOperand(element.Operand, assigned.Operand))
            {
                return null;
            }

            return kind switch
            {
                BinaryOperatorKind.GreaterThan => new ReductionKernel(loop, ReductionKernelKind.CompareMax, reduction, element),
                BinaryOperatorKind.LessThan => new ReductionKernel(loop, ReductionKernelKind.CompareMin, reduction, element),
                _ => null,
            };
        }

        // if (a[i] > t) count++;  (count++, ++count, count += 1)
        if (IsIncrementOf(whenTrue, accumulator)
            && reduction.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64)
        {
            var (element, threshold, kind) = ElementOf(loop, leftOperand) is { } l
                ? (l, rightOperand, comparison.OperatorKind)
                : ElementOf(loop, rightOperand) is { } r ? (r, leftOperand, Flip(comparison.OperatorKind)) : default;
            if (element is null
                || element.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double)
                || !SymbolEqualityComparer.Default.Equals(threshold.Type, element.Type)
                || !IsInvariantScalar(threshold, loop, accumulator))
            {
                return null;
            }

            return new ReductionKernel(loop, ReductionKernelKind.Count, reduction, element, comparison: kind, threshold: threshold);
        }

        return null;
    }

    private sealed class Element
    {
        public Element(ReductionOperand operand, ITypeSymbol type)
        {
            Operand = operand;
            Type = type;
        }

        public ReductionOperand Operand { get; }

        public ITypeSymbol Type { get; }
    }

    /// <summary>
    /// <c>a[i]</c> over a one-dimensional array or a span (as the loop model records it), or the iteration variable of a
    /// <c>foreach</c> over an array; of a vector element type, held by a local, parameter or field.
    /// </summary>
    private static Element? ElementOf(LoopModel loop, IOperation operation)
    {
        if (loop.Shape == LoopShape.ForEachArray)
        {
            return operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, loop.Induction)
                   && loop.UpperBound.UnwrapConversionsOrNull() is { Type: IArrayTypeSymbol { IsSZArray: true } array } collection
                   && NamedStorage(collection) is { } symbol && NumericTypes.IsVectorElementType(array.ElementType)
                ? new Element(new ReductionOperand(collection, symbol, isSpan: false), array.ElementType)
                : null;
        }

        return KernelAccesses.FindAtInduction(loop, operation) is { } access
               && KernelAccesses.Collection(access) is { } reference
               && (access.IsSpan || reference.Type is IArrayTypeSymbol { IsSZArray: true })
               && NamedStorage(reference) is { } storage
               && NumericTypes.IsVectorElementType(access.ElementType)
            ? new Element(new ReductionOperand(reference, storage, access.IsSpan), access.ElementType)
            : null;
    }

    /// <summary>The <c>for</c> loop declares its induction variable itself (so its value after the loop is nobody's business).</summary>
    private static bool DeclaresInduction(LoopModel loop)
        => loop.Loop is IForLoopOperation forLoop
           && forLoop.Before.Any(o => o is IVariableDeclarationGroupOperation group
                                      && group.Declarations.SelectMany(d => d.Declarators).Any(d => SymbolEqualityComparer.Default.Equals(d.Symbol, loop.Induction)));

    /// <summary>The local, parameter or field an array or span is read from (fields: the model rules out volatile ones and writes).</summary>
    private static ISymbol? NamedStorage(IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    private static bool SameOperand(ReductionOperand left, ReductionOperand right)
        => SymbolEqualityComparer.Default.Equals(left.Symbol, right.Symbol);

    /// <summary>A constant, or a local, parameter or field the body does not write (the model allows no other write).</summary>
    private static bool IsInvariantScalar(IOperation operation, LoopModel loop, ISymbol accumulator)
    {
        if (operation.ConstantValue.HasValue)
        {
            return true;
        }

        return operation switch
        {
            ILocalReferenceOperation local => !SymbolEqualityComparer.Default.Equals(local.Local, accumulator) && !SymbolEqualityComparer.Default.Equals(local.Local, loop.Induction),
            IParameterReferenceOperation parameter => !SymbolEqualityComparer.Default.Equals(parameter.Parameter, accumulator),
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field.IsVolatile: false } => true,
            _ => false,
        };
    }

    private static bool IsIncrementOf(IOperation statement, ISymbol accumulator) => statement is IExpressionStatementOperation { Operation: var expression } && expression switch
    {
        IIncrementOrDecrementOperation { Kind: OperationKind.Increment, IsChecked: false } increment => increment.Target.IsReferenceToLocalOrParameter(accumulator),
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, IsChecked: false, Value.ConstantValue: { HasValue: true, Value: 1 or 1L } } compound => compound.Target.IsReferenceToLocalOrParameter(accumulator),
        _ => false,
    };

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
        or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

    /// <summary>The operator with its operands swapped: <c>t &lt; a[i]</c> is <c>a[i] &gt; t</c>.</summary>
    private static BinaryOperatorKind Flip(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.GreaterThan => BinaryOperatorKind.LessThan,
        BinaryOperatorKind.GreaterThanOrEqual => BinaryOperatorKind.LessThanOrEqual,
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        _ => kind,
    };

    private static IOperation? SingleStatement(IOperation? operation)
        => operation?.WithoutSingleStatementBlocks() is { } statement and not IBlockOperation ? statement : null;

    private static bool ContainsCheckedArithmetic(IOperation statement)
        => statement.DescendantsAndSelf().Any(o => o switch
        {
            IBinaryOperation binary => binary.IsChecked,
            ICompoundAssignmentOperation compound => compound.IsChecked,
            IIncrementOrDecrementOperation increment => increment.IsChecked,
            IConversionOperation conversion => conversion.IsChecked,
            _ => false,
        });
}
