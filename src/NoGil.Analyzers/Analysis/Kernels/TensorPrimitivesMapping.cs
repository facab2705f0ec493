namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>One argument of a <c>TensorPrimitives</c> call: an array or span over the loop's range, a scalar, or a shift count.</summary>
public sealed class TensorPrimitivesArgument
{
    internal TensorPrimitivesArgument(ElementwiseOperand? operand, IOperation? scalar, int? shift)
    {
        Operand = operand;
        Scalar = scalar;
        Shift = shift;
    }

    public ElementwiseOperand? Operand { get; }

    public IOperation? Scalar { get; }

    public int? Shift { get; }
}

/// <summary>The one <c>TensorPrimitives</c> call that computes a kernel exactly (or, for transcendental functions, approximately).</summary>
public sealed class TensorPrimitivesCall
{
    internal TensorPrimitivesCall(string method, ImmutableArray<TensorPrimitivesArgument> arguments, string? approximates, bool throwsOnEmpty = false)
    {
        Method = method;
        Arguments = arguments;
        Approximates = approximates;
        ThrowsOnEmpty = throwsOnEmpty;
    }

    /// <summary>
    /// The method throws <c>ArgumentException</c> for empty spans (<c>Sigmoid</c> does), where the loop does nothing:
    /// the call must be guarded by a non-empty range.
    /// </summary>
    public bool ThrowsOnEmpty { get; }

    /// <summary>The method name (<c>Add</c>, <c>MultiplyAdd</c>, <c>Exp</c> …).</summary>
    public string Method { get; }

    /// <summary>The arguments before the destination.</summary>
    public ImmutableArray<TensorPrimitivesArgument> Arguments { get; }

    /// <summary>
    /// For the transcendental functions (vectorized approximations, not bit-identical to <c>Math</c>): the call the loop
    /// makes (<c>Math.Exp</c>, <c>MathF.Tanh</c>, "the sigmoid 1 / (1 + Math.Exp(-x))"); null when the call is exact.
    /// </summary>
    public string? Approximates { get; }

    public bool IsApproximate => Approximates is not null;
}

/// <summary>The <c>TensorPrimitives</c> methods that compute an element-wise expression exactly as the scalar loop does.</summary>
internal static class TensorPrimitivesMapping
{
    public static TensorPrimitivesCall? Map(ElementwiseNode value, ITypeSymbol elementType)
    {
        if (Sigmoid(value) is { } sigmoid)
        {
            return sigmoid;
        }

        var floating = NumericTypes.IsFloatingPoint(elementType);
        var ops = value.Operands;
        switch (value.Operator)
        {
            case ElementwiseOperator.Add:
                // x * y + z (either order of the addition): MultiplyAdd, not fused — the same two roundings as the loop.
                if ((Fused("MultiplyAdd", ElementwiseOperator.Multiply, ops[0], ops[1]) ?? Fused("MultiplyAdd", ElementwiseOperator.Multiply, ops[1], ops[0])) is { } multiplyAdd)
                {
                    return multiplyAdd;
                }

                return Commutative("Add", ops[0], ops[1]);
            case ElementwiseOperator.Multiply:
                if ((Fused("AddMultiply", ElementwiseOperator.Add, ops[0], ops[1]) ?? Fused("AddMultiply", ElementwiseOperator.Add, ops[1], ops[0])) is { } addMultiply)
                {
                    return addMultiply;
                }

                return Commutative("Multiply", ops[0], ops[1]);
            case ElementwiseOperator.Subtract:
                return Ordered("Subtract", ops[0], ops[1]);
            case ElementwiseOperator.Divide:
                return Ordered("Divide", ops[0], ops[1]);
            case ElementwiseOperator.And:
                return Commutative("BitwiseAnd", ops[0], ops[1]);
            case ElementwiseOperator.Or:
                return Commutative("BitwiseOr", ops[0], ops[1]);
            case ElementwiseOperator.Xor:
                return Commutative("Xor", ops[0], ops[1]);
            case ElementwiseOperator.Min:
                return Commutative("Min", ops[0], ops[1]);
            case ElementwiseOperator.Max:
                return Commutative("Max", ops[0], ops[1]);
            case ElementwiseOperator.Negate:
                return Unary("Negate", ops[0]);
            case ElementwiseOperator.OnesComplement:
                return Unary("OnesComplement", ops[0]);
            case ElementwiseOperator.Abs when floating:
                return Unary("Abs", ops[0]);
            case ElementwiseOperator.Sqrt:
                return Unary("Sqrt", ops[0]);
            case ElementwiseOperator.ShiftLeft or ElementwiseOperator.ShiftRightArithmetic or ElementwiseOperator.ShiftRightLogical when ops[0].IsElement:
                return new TensorPrimitivesCall(value.Operator.ToString(), ImmutableArray.Create(Argument(ops[0]), new TensorPrimitivesArgument(null, null, value.Shift)), null);
            case ElementwiseOperator.Exp or ElementwiseOperator.Log or ElementwiseOperator.Sin or ElementwiseOperator.Cos or ElementwiseOperator.Tanh when ops[0].IsElement:
                return new TensorPrimitivesCall(value.Operator.ToString(), ImmutableArray.Create(Argument(ops[0])), value.Method);
            default:
                return null;
        }
    }

    /// <summary>Recognizes <c>1 / (1 + Math.Exp(-x[i]))</c>, the sigmoid.</summary>
    private static TensorPrimitivesCall? Sigmoid(ElementwiseNode value)
    {
        if (value.Operator == ElementwiseOperator.Divide
            && IsOne(value.Operands[0])
            && value.Operands[1] is { Operator: ElementwiseOperator.Add } sum
            && (IsOne(sum.Operands[0]) ? sum.Operands[1] : IsOne(sum.Operands[1]) ? sum.Operands[0] : null) is { Operator: ElementwiseOperator.Exp } exp
            && exp.Operands[0] is { Operator: ElementwiseOperator.Negate } negate
            && negate.Operands[0].IsElement)
        {
            return new TensorPrimitivesCall("Sigmoid", ImmutableArray.Create(Argument(negate.Operands[0])), "the sigmoid 1 / (1 + " + exp.Method + "(-x))", throwsOnEmpty: true);
        }

        return null;
    }

    private static bool IsOne(ElementwiseNode node)
        => node.IsScalar && node.Scalar!.ConstantValue is { HasValue: true, Value: { } value }
           && Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture) == 1.0;

    /// <summary>
    /// <c>x * y + z</c> (<c>MultiplyAdd</c>) or <c>(x + y) * z</c> (<c>AddMultiply</c>): an <paramref name="inner"/>
    /// operation of two leaves in <paramref name="pair"/>, combined with the leaf <paramref name="third"/>.
    /// </summary>
    private static TensorPrimitivesCall? Fused(string method, ElementwiseOperator inner, ElementwiseNode pair, ElementwiseNode third)
    {
        if (pair.Operator != inner || !IsLeaf(third) || !IsLeaf(pair.Operands[0]) || !IsLeaf(pair.Operands[1]))
        {
            return null;
        }

        var (x, y) = pair.Operands[0].IsScalar ? (pair.Operands[1], pair.Operands[0]) : (pair.Operands[0], pair.Operands[1]);

        // Overloads: (span, span, span), (span, span, scalar), (span, scalar, span).
        if (!x.IsElement || (y.IsScalar && third.IsScalar))
        {
            return null;
        }

        return new TensorPrimitivesCall(method, ImmutableArray.Create(Argument(x), Argument(y), Argument(third)), null);
    }

    private static bool IsLeaf(ElementwiseNode node) => node.IsElement || node.IsScalar;

    /// <summary><c>x op y</c>, <c>x op s</c> or <c>s op x</c> for a commutative operation: the span comes first.</summary>
    private static TensorPrimitivesCall? Commutative(string method, ElementwiseNode left, ElementwiseNode right)
    {
        if (left.IsElement && IsLeaf(right))
        {
            return new TensorPrimitivesCall(method, ImmutableArray.Create(Argument(left), Argument(right)), null);
        }

        return right.IsElement && left.IsScalar
            ? new TensorPrimitivesCall(method, ImmutableArray.Create(Argument(right), Argument(left)), null)
            : null;
    }

    /// <summary><c>x op y</c>, <c>x op s</c> or <c>s op x</c> for a non-commutative operation (Subtract and Divide have all three overloads).</summary>
    private static TensorPrimitivesCall? Ordered(string method, ElementwiseNode left, ElementwiseNode right)
        => IsLeaf(left) && IsLeaf(right) && (left.IsElement || right.IsElement)
            ? new TensorPrimitivesCall(method, ImmutableArray.Create(Argument(left), Argument(right)), null)
            : null;

    private static TensorPrimitivesCall? Unary(string method, ElementwiseNode operand)
        => operand.IsElement ? new TensorPrimitivesCall(method, ImmutableArray.Create(Argument(operand)), null) : null;

    private static TensorPrimitivesArgument Argument(ElementwiseNode node)
        => new(node.Element, node.Scalar, null);
}
