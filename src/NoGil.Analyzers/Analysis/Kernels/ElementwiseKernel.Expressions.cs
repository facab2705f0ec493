namespace NoGil.Analyzers.Analysis.Kernels;

public sealed partial class ElementwiseKernel
{
    /// <summary>The expression tree: values of exactly the element type, and wider integer values truncated to it.</summary>
    private sealed partial class Matcher
    {
        /// <summary>A value of exactly the element type T, computed the way T arithmetic computes it.</summary>
        private ElementwiseNode? Exact(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (!SameType(operation.Type, _elementType))
            {
                return null;
            }

            if (IsScalar(operation))
            {
                return new ElementwiseNode(ElementwiseOperator.Scalar, ImmutableArray<ElementwiseNode>.Empty, scalar: operation);
            }

            switch (operation)
            {
                case IConversionOperation { OperatorMethod: null } conversion when conversion.Operand.Type is { } from:
                    return Converted(conversion, from);

                case IArrayElementReferenceOperation or IPropertyReferenceOperation:
                    return Operand(operation) is { } element ? ElementNode(element) : null;

                case IBinaryOperation { OperatorMethod: null, IsChecked: false } binary:
                    return Binary(binary, truncated: false);

                case IUnaryOperation { OperatorMethod: null, IsChecked: false } unary:
                    return Unary(unary, truncated: false);

                case IInvocationOperation invocation:
                    return Call(invocation);

                default:
                    return null;
            }
        }

        /// <summary>A built-in conversion to the element type: of a value already of it, a truncated wider integer, or a float function computed in double.</summary>
        private ElementwiseNode? Converted(IConversionOperation conversion, ITypeSymbol from)
        {
            if (SameType(from, _elementType))
            {
                return Exact(conversion.Operand);
            }

            // (byte)(a[i] + b[i]): int arithmetic truncated to the element type.
            if (!conversion.IsImplicit && NumericTypes.IsInteger(_elementType) && NumericTypes.IsInteger(from) && NumericTypes.BitsOf(from) > NumericTypes.BitsOf(_elementType)
                && !conversion.IsChecked)
            {
                return Truncated(conversion.Operand);
            }

            // (float)Math.Sqrt(x[i]): the double square root of a float rounds to the float square root.
            if (_elementType.SpecialType == SpecialType.System_Single && from.SpecialType == SpecialType.System_Double
                && conversion.Operand is IInvocationOperation mathCall && IsMath(mathCall.TargetMethod, _types.Math)
                && mathCall.Arguments.Length == 1
                && mathCall.Arguments[0].Value is IConversionOperation { IsImplicit: true, Operand: { } argument }
                && SameType(argument.Type, _elementType))
            {
                var op = MathFunction(mathCall.TargetMethod.Name, approximateOnly: false);
                if (op is ElementwiseOperator.Sqrt or ElementwiseOperator.Exp or ElementwiseOperator.Log or ElementwiseOperator.Sin
                    or ElementwiseOperator.Cos or ElementwiseOperator.Tanh && Exact(argument) is { } inner)
                {
                    return new ElementwiseNode(op.Value, ImmutableArray.Create(inner), method: "Math." + mathCall.TargetMethod.Name);
                }
            }

            return null;
        }

        /// <summary>
        /// A value of a wider integer type whose low bits (as many as the element type has) are what the wrapping T
        /// operations compute: the C# promotion of <c>byte</c>/<c>short</c> arithmetic to <c>int</c>.
        /// </summary>
        private ElementwiseNode? Truncated(IOperation operation)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (SameType(operation.Type, _elementType))
            {
                return Exact(operation);
            }

            if (!NumericTypes.IsInteger(operation.Type) || !NumericTypes.IsInteger(_elementType) || NumericTypes.BitsOf(operation.Type!) < NumericTypes.BitsOf(_elementType))
            {
                return null;
            }

            if (operation.ConstantValue is { HasValue: true, Value: { } constant })
            {
                // A constant must fit the element type, so that broadcasting it needs no cast.
                return FitsElementType(constant) && IsScalar(operation)
                    ? new ElementwiseNode(ElementwiseOperator.Scalar, ImmutableArray<ElementwiseNode>.Empty, scalar: operation)
                    : null;
            }

            switch (operation)
            {
                case IConversionOperation { OperatorMethod: null, IsChecked: false } conversion when NumericTypes.IsInteger(conversion.Operand.Type):
                    return Truncated(conversion.Operand);
                case IBinaryOperation { OperatorMethod: null, IsChecked: false } binary:
                    return Binary(binary, truncated: true);
                case IUnaryOperation { OperatorMethod: null, IsChecked: false } unary:
                    return Unary(unary, truncated: true);
                default:
                    return null;
            }
        }

        private bool FitsElementType(object constant)
        {
            try
            {
                var value = Convert.ToDecimal(constant, System.Globalization.CultureInfo.InvariantCulture);
                return _elementType.SpecialType switch
                {
                    SpecialType.System_Byte => value is >= byte.MinValue and <= byte.MaxValue,
                    SpecialType.System_SByte => value is >= sbyte.MinValue and <= sbyte.MaxValue,
                    SpecialType.System_Int16 => value is >= short.MinValue and <= short.MaxValue,
                    SpecialType.System_UInt16 => value is >= ushort.MinValue and <= ushort.MaxValue,
                    _ => false,
                };
            }
            catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
            {
                return false;
            }
        }

        private ElementwiseNode? Binary(IBinaryOperation binary, bool truncated)
        {
            var floating = NumericTypes.IsFloatingPoint(_elementType);
            ElementwiseOperator? op = binary.OperatorKind switch
            {
                BinaryOperatorKind.Add => ElementwiseOperator.Add,
                BinaryOperatorKind.Subtract => ElementwiseOperator.Subtract,
                BinaryOperatorKind.Multiply => ElementwiseOperator.Multiply,
                BinaryOperatorKind.Divide when floating => ElementwiseOperator.Divide,
                BinaryOperatorKind.And when !floating => ElementwiseOperator.And,
                BinaryOperatorKind.Or when !floating => ElementwiseOperator.Or,
                BinaryOperatorKind.ExclusiveOr when !floating => ElementwiseOperator.Xor,
                BinaryOperatorKind.LeftShift when !floating && !truncated => ElementwiseOperator.ShiftLeft,
                BinaryOperatorKind.RightShift when !floating && !truncated => NumericTypes.IsSignedInteger(_elementType) ? ElementwiseOperator.ShiftRightArithmetic : ElementwiseOperator.ShiftRightLogical,
                BinaryOperatorKind.UnsignedRightShift when !floating && !truncated => ElementwiseOperator.ShiftRightLogical,
                _ => null,
            };

            if (op is null || (truncated && !IsTruncationExact(op.Value)))
            {
                return null;
            }

            if (op is ElementwiseOperator.ShiftLeft or ElementwiseOperator.ShiftRightArithmetic or ElementwiseOperator.ShiftRightLogical)
            {
                // A constant count in [1, bits - 1]: C# masks the count, Vector<T> shifts may not; in range they agree.
                if (binary.RightOperand.ConstantValue is not { HasValue: true, Value: int count } || count < 1 || count >= NumericTypes.BitsOf(_elementType)
                    || Exact(binary.LeftOperand) is not { } shifted)
                {
                    return null;
                }

                return new ElementwiseNode(op.Value, ImmutableArray.Create(shifted), shift: count);
            }

            var left = truncated ? Truncated(binary.LeftOperand) : Exact(binary.LeftOperand);
            var right = left is null ? null : truncated ? Truncated(binary.RightOperand) : Exact(binary.RightOperand);
            return left is null || right is null ? null : new ElementwiseNode(op.Value, ImmutableArray.Create(left, right));
        }

        private ElementwiseNode? Unary(IUnaryOperation unary, bool truncated)
        {
            var floating = NumericTypes.IsFloatingPoint(_elementType);
            ElementwiseOperator? op = unary.OperatorKind switch
            {
                UnaryOperatorKind.Minus when floating || truncated || NumericTypes.IsSignedInteger(_elementType) => ElementwiseOperator.Negate,
                UnaryOperatorKind.BitwiseNegation when !floating => ElementwiseOperator.OnesComplement,
                _ => null,
            };

            if (unary.OperatorKind == UnaryOperatorKind.Plus)
            {
                return truncated ? Truncated(unary.Operand) : Exact(unary.Operand);
            }

            var operand = op is null ? null : truncated ? Truncated(unary.Operand) : Exact(unary.Operand);
            return operand is null ? null : new ElementwiseNode(op!.Value, ImmutableArray.Create(operand));
        }

        private ElementwiseNode? Call(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (invocation.Instance is not null
                || !(IsMath(method, _types.Math) || IsMath(method, _types.MathF))
                || method.Parameters.Any(p => !SameType(p.Type, _elementType))
                || !SameType(method.ReturnType, _elementType))
            {
                return null;
            }

            // MathF takes float, Math takes double for the transcendental functions: the parameter check above already ensures it.
            var op = MathFunction(method.Name, approximateOnly: false);
            if (op is null
                || (op is ElementwiseOperator.Abs or ElementwiseOperator.Sqrt or ElementwiseOperator.Exp or ElementwiseOperator.Log
                    or ElementwiseOperator.Sin or ElementwiseOperator.Cos or ElementwiseOperator.Tanh && !NumericTypes.IsFloatingPoint(_elementType))
                || invocation.Arguments.Length != (op is ElementwiseOperator.Min or ElementwiseOperator.Max ? 2 : 1))
            {
                return null;
            }

            var arguments = ImmutableArray.CreateBuilder<ElementwiseNode>();
            foreach (var argument in invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0))
            {
                if (Exact(argument.Value) is not { } node)
                {
                    return null;
                }

                arguments.Add(node);
            }

            return new ElementwiseNode(op.Value, arguments.ToImmutable(), method: method.ContainingType.Name + "." + method.Name);
        }

        private static ElementwiseOperator? MathFunction(string name, bool approximateOnly) => name switch
        {
            "Abs" when !approximateOnly => ElementwiseOperator.Abs,
            "Sqrt" when !approximateOnly => ElementwiseOperator.Sqrt,
            "Min" when !approximateOnly => ElementwiseOperator.Min,
            "Max" when !approximateOnly => ElementwiseOperator.Max,
            "Exp" => ElementwiseOperator.Exp,
            "Log" => ElementwiseOperator.Log,
            "Sin" => ElementwiseOperator.Sin,
            "Cos" => ElementwiseOperator.Cos,
            "Tanh" => ElementwiseOperator.Tanh,
            _ => null,
        };

        private static bool IsMath(IMethodSymbol method, INamedTypeSymbol? type)
            => type is not null && method.IsStatic && SymbolEqualityComparer.Default.Equals(method.ContainingType, type);
    }
}
