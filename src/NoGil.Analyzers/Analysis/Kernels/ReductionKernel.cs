using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
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

/// <summary>How a reduction kernel can be vectorized without changing its result (beyond a declared reassociation).</summary>
public enum ReductionFixKind
{
    /// <summary>No fix is offered.</summary>
    None,

    /// <summary>One <c>TensorPrimitives</c> call over the loop's range.</summary>
    TensorPrimitives,

    /// <summary>A <c>Vector&lt;T&gt;</c> accumulator loop followed by the original loop as the scalar tail.</summary>
    Vector,
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
public sealed class ReductionKernel
{
    private ReductionKernel(LoopModel loop, ReductionKernelKind kind, LoopReduction reduction, ITypeSymbol elementType, ReductionOperand source, ReductionOperand? second, IMethodSymbol? mathMethod, BinaryOperatorKind comparison, IOperation? threshold)
    {
        Loop = loop;
        Kind = kind;
        Reduction = reduction;
        ElementType = elementType;
        Source = source;
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
    public bool IsFloatingPoint => ElementType.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>True when vectorizing changes the order of floating-point additions (sums, dot products …).</summary>
    public bool ReordersAdditions => IsFloatingPoint && Kind is ReductionKernelKind.Sum or ReductionKernelKind.Dot or ReductionKernelKind.SumOfSquares or ReductionKernelKind.SumOfMagnitudes;

    /// <summary>
    /// True when the loop's upper bound cannot be within <c>Vector&lt;T&gt;.Count</c> of <c>int.MinValue</c> (a
    /// <c>foreach</c>, a <c>.Length</c>, a non-negative constant), so that a vector loop's <c>hi - Vector&lt;T&gt;.Count</c>
    /// cannot wrap around.
    /// </summary>
    public bool HasNonNegativeBound
        => Loop.Shape == LoopShape.ForEachArray
           || Loop.UpperBound.UnwrapConversionsOrNull() is IPropertyReferenceOperation { Property.Name: "Length" }
           || Loop.UpperBound.UnwrapConversionsOrNull()?.ConstantValue is { HasValue: true, Value: int bound } && bound >= 0;

    /// <summary>
    /// True when the loop's start can be written more than once in the fixed code without changing anything: a
    /// <c>foreach</c>, a constant, a local, a parameter or a field (the fixes use it in a guard, a slice and a length).
    /// A start such as <c>s_k++</c> or <c>Next()</c> is evaluated once by the loop, so it gets no fix.
    /// </summary>
    public bool HasRepeatableLowerBound
        => Loop.Shape == LoopShape.ForEachArray || (Loop.LowerBound is { } lower && IsRepeatable(lower));

    /// <summary>Constants, locals, parameters, non-volatile fields, their lengths, and arithmetic over those: no calls, no writes.</summary>
    private static bool IsRepeatable(IOperation operation) => operation switch
    {
        { ConstantValue.HasValue: true } => true,
        IConversionOperation conversion => !conversion.IsChecked && IsRepeatable(conversion.Operand),
        IParenthesizedOperation parenthesized => IsRepeatable(parenthesized.Operand),
        ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
        IFieldReferenceOperation field => !field.Field.IsVolatile && (field.Instance is null || IsRepeatable(field.Instance)),
        IPropertyReferenceOperation { Property.Name: "Length" or "LongLength", Instance: { } instance } property
            => (instance.Type is IArrayTypeSymbol || property.Property.ContainingType?.Name is "Span" or "ReadOnlySpan" || instance.Type?.SpecialType == SpecialType.System_String)
               && IsRepeatable(instance),
        IBinaryOperation binary => !binary.IsChecked && binary.OperatorMethod is null && IsRepeatable(binary.LeftOperand) && IsRepeatable(binary.RightOperand),
        _ => false,
    };

    /// <summary>The <c>TensorPrimitives</c> method that computes the kernel over a span, or null.</summary>
    public string? TensorPrimitivesMethod => Kind switch
    {
        ReductionKernelKind.Sum => "Sum",
        ReductionKernelKind.Dot => "Dot",
        ReductionKernelKind.SumOfSquares => "SumOfSquares",
        ReductionKernelKind.SumOfMagnitudes => "SumOfMagnitudes",
        ReductionKernelKind.Max or ReductionKernelKind.CompareMax => "Max",
        ReductionKernelKind.Min or ReductionKernelKind.CompareMin => "Min",
        _ => null,
    };

    /// <summary>
    /// The fix that keeps the kernel's result: <c>TensorPrimitives</c> when it is available and computes the same thing
    /// (its <c>Max</c>/<c>Min</c> follow <c>Math.Max</c>/<c>Math.Min</c> for NaN and ±0, and equal integers are
    /// indistinguishable, so a compare-form integer max is a <c>Math.Max</c>); otherwise a <c>Vector&lt;T&gt;</c> loop
    /// where one is exact: not for <c>Math.Max</c>/<c>Math.Min</c> over floating point (<c>Vector.Max</c> does not
    /// propagate NaN on every runtime), a compare-form floating-point max is always a <c>Vector&lt;T&gt;</c> loop (NaN
    /// lanes ignored, a zero result recomputed by the scalar loop), and a count is always a <c>Vector&lt;T&gt;</c> loop.
    /// </summary>
    public ReductionFixKind ChooseFix(bool hasTensorPrimitives)
    {
        if (!HasRepeatableLowerBound)
        {
            return ReductionFixKind.None;
        }

        var vector = HasNonNegativeBound ? ReductionFixKind.Vector : ReductionFixKind.None;
        return Kind switch
        {
            ReductionKernelKind.Count => vector,
            ReductionKernelKind.CompareMax or ReductionKernelKind.CompareMin when IsFloatingPoint => vector,
            ReductionKernelKind.Max or ReductionKernelKind.Min when IsFloatingPoint => hasTensorPrimitives ? ReductionFixKind.TensorPrimitives : ReductionFixKind.None,
            _ => hasTensorPrimitives ? ReductionFixKind.TensorPrimitives : vector,
        };
    }

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

    // s += v; s = s + v; s = v + s; s = Math.Max(s, v) …
    private static ReductionKernel? MatchFold(LoopModel loop, LoopReduction reduction, ISymbol accumulator, IOperation expression)
    {
        switch (expression)
        {
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add } compound when IsReferenceTo(compound.Target, accumulator):
                // short/byte … operands are widened to int for the addition; the narrowing store makes it a wrapping add.
                return MatchAddend(loop, reduction, IsSmallInteger(compound.Target.Type) ? compound.Value.UnwrapConversions() : compound.Value);
            case ISimpleAssignmentOperation assignment when IsReferenceTo(assignment.Target, accumulator):
                switch (assignment.Value)
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when IsReferenceTo(add.LeftOperand, accumulator):
                        return MatchAddend(loop, reduction, add.RightOperand);
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } add when IsReferenceTo(add.RightOperand, accumulator):
                        return MatchAddend(loop, reduction, add.LeftOperand);
                    case IInvocationOperation { TargetMethod: { Name: "Max" or "Min", IsStatic: true } method, Arguments.Length: 2 } call
                        when method.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF":
                        var value = IsReferenceTo(call.Arguments[0].Value, accumulator) ? call.Arguments[1].Value
                            : IsReferenceTo(call.Arguments[1].Value, accumulator) ? call.Arguments[0].Value
                            : null;
                        if (value is null || ElementOf(loop, value) is not { } element
                            || !SymbolEqualityComparer.Default.Equals(element.Type, reduction.Type)
                            || !method.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, reduction.Type)))
                        {
                            return null;
                        }

                        return new ReductionKernel(loop, method.Name == "Max" ? ReductionKernelKind.Max : ReductionKernelKind.Min, reduction, element.Type, element.Operand, null, method, BinaryOperatorKind.None, null);
                }

                return null;
            default:
                return null;
        }
    }

    // a[i]; a[i] * b[i]; a[i] * a[i]; Math.Abs(a[i]).
    private static ReductionKernel? MatchAddend(LoopModel loop, LoopReduction reduction, IOperation value)
    {
        if (!SymbolEqualityComparer.Default.Equals(value.Type, reduction.Type) || !IsVectorElementType(reduction.Type))
        {
            return null;
        }

        if (ElementOf(loop, value) is { } element)
        {
            return new ReductionKernel(loop, ReductionKernelKind.Sum, reduction, element.Type, element.Operand, null, null, BinaryOperatorKind.None, null);
        }

        if (value is IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product
            && ElementOf(loop, product.LeftOperand) is { } left
            && ElementOf(loop, product.RightOperand) is { } right
            && SymbolEqualityComparer.Default.Equals(left.Type, reduction.Type)
            && SymbolEqualityComparer.Default.Equals(right.Type, reduction.Type))
        {
            return SameOperand(left.Operand, right.Operand)
                ? new ReductionKernel(loop, ReductionKernelKind.SumOfSquares, reduction, left.Type, left.Operand, null, null, BinaryOperatorKind.None, null)
                : new ReductionKernel(loop, ReductionKernelKind.Dot, reduction, left.Type, left.Operand, right.Operand, null, BinaryOperatorKind.None, null);
        }

        if (value is IInvocationOperation { TargetMethod: { Name: "Abs", IsStatic: true } abs, Arguments.Length: 1 } call
            && abs.ContainingType?.ToDisplayString() is "System.Math" or "System.MathF"
            && reduction.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Double
            && SymbolEqualityComparer.Default.Equals(abs.Parameters[0].Type, reduction.Type)
            && ElementOf(loop, call.Arguments[0].Value) is { } magnitude)
        {
            return new ReductionKernel(loop, ReductionKernelKind.SumOfMagnitudes, reduction, magnitude.Type, magnitude.Operand, null, null, BinaryOperatorKind.None, null);
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
        if (IsSmallInteger(leftOperand.UnwrapConversions().Type) && SymbolEqualityComparer.Default.Equals(leftOperand.UnwrapConversions().Type, rightOperand.UnwrapConversions().Type))
        {
            leftOperand = leftOperand.UnwrapConversions();
            rightOperand = rightOperand.UnwrapConversions();
        }

        // if (a[i] > m) m = a[i];  if (m < a[i]) m = a[i];
        if (whenTrue is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment }
            && IsReferenceTo(assignment.Target, accumulator)
            && ElementOf(loop, assignment.Value) is { } assigned
            && SymbolEqualityComparer.Default.Equals(assigned.Type, reduction.Type))
        {
            var (element, other, kind) = ElementOf(loop, leftOperand) is { } l
                ? (l, rightOperand, comparison.OperatorKind)
                : ElementOf(loop, rightOperand) is { } r ? (r, leftOperand, Flip(comparison.OperatorKind)) : default;
            if (element is null || !IsReferenceTo(other, accumulator) || !SameOperand(element.Operand, assigned.Operand))
            {
                return null;
            }

            return kind switch
            {
                BinaryOperatorKind.GreaterThan => new ReductionKernel(loop, ReductionKernelKind.CompareMax, reduction, element.Type, element.Operand, null, null, BinaryOperatorKind.None, null),
                BinaryOperatorKind.LessThan => new ReductionKernel(loop, ReductionKernelKind.CompareMin, reduction, element.Type, element.Operand, null, null, BinaryOperatorKind.None, null),
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

            return new ReductionKernel(loop, ReductionKernelKind.Count, reduction, element.Type, element.Operand, null, null, kind, threshold);
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

    /// <summary><c>a[i]</c> over a one-dimensional array or a span, or the iteration variable of a <c>foreach</c> over an array.</summary>
    private static Element? ElementOf(LoopModel loop, IOperation operation)
    {
        switch (operation)
        {
            case ILocalReferenceOperation local when loop.Shape == LoopShape.ForEachArray && SymbolEqualityComparer.Default.Equals(local.Local, loop.Induction):
                return loop.UpperBound.UnwrapConversionsOrNull() is { Type: IArrayTypeSymbol { IsSZArray: true } array } collection && NamedStorage(collection) is { } symbol && IsVectorElementType(array.ElementType)
                    ? new Element(new ReductionOperand(collection, symbol, isSpan: false), array.ElementType)
                    : null;
            case IArrayElementReferenceOperation { Indices.Length: 1 } element when loop.Shape == LoopShape.For && IsInduction(element.Indices[0], loop):
                return element.ArrayReference is { Type: IArrayTypeSymbol { IsSZArray: true } type } reference && NamedStorage(reference) is { } arraySymbol && IsVectorElementType(type.ElementType)
                    ? new Element(new ReductionOperand(reference, arraySymbol, isSpan: false), type.ElementType)
                    : null;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { Type: INamedTypeSymbol spanType } instance } indexer
                when loop.Shape == LoopShape.For
                     && IsInduction(indexer.Arguments[0].Value, loop)
                     && spanType.OriginalDefinition.ToDisplayString() is "System.Span<T>" or "System.ReadOnlySpan<T>"
                     && NamedStorage(instance) is { } spanSymbol
                     && IsVectorElementType(spanType.TypeArguments[0]):
                return new Element(new ReductionOperand(instance, spanSymbol, isSpan: true), spanType.TypeArguments[0]);
            default:
                return null;
        }
    }

    /// <summary>The <c>for</c> loop declares its induction variable itself (so its value after the loop is nobody's business).</summary>
    private static bool DeclaresInduction(LoopModel loop)
        => loop.Loop is IForLoopOperation forLoop
           && forLoop.Before.Any(o => o is IVariableDeclarationGroupOperation group
                                      && group.Declarations.SelectMany(d => d.Declarators).Any(d => SymbolEqualityComparer.Default.Equals(d.Symbol, loop.Induction)));

    private static bool IsInduction(IOperation operation, LoopModel loop)
        => operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, loop.Induction);

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
        IIncrementOrDecrementOperation { Kind: OperationKind.Increment, IsChecked: false } increment => IsReferenceTo(increment.Target, accumulator),
        ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, IsChecked: false, Value.ConstantValue: { HasValue: true, Value: 1 or 1L } } compound => IsReferenceTo(compound.Target, accumulator),
        _ => false,
    };

    private static bool IsSmallInteger(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16;

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

    private static bool IsReferenceTo(IOperation? operation, ISymbol symbol) => operation switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, symbol),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol),
        _ => false,
    };

    /// <summary>The types <c>Vector&lt;T&gt;</c> and <c>TensorPrimitives</c> support for these kernels.</summary>
    public static bool IsVectorElementType(ITypeSymbol type) => type.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double;

    private static IOperation? SingleStatement(IOperation? operation)
    {
        while (operation is IBlockOperation { Operations.Length: 1 } block)
        {
            operation = block.Operations[0];
        }

        return operation is IBlockOperation ? null : operation;
    }

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
