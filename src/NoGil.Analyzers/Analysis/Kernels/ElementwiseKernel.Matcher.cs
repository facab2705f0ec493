using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

public sealed partial class ElementwiseKernel
{
    /// <summary>
    /// Turns the loop body's IOperation tree into an <see cref="ElementwiseNode"/> tree, or gives up. This part matches
    /// the assignment, its arrays and spans (the model's element accesses at <c>[i]</c>) and its loop-invariant scalars;
    /// the expression tree itself is in ElementwiseKernel.Expressions.cs.
    /// </summary>
    private sealed partial class Matcher
    {
        /// <summary>The loop's model; null for the screen before any model (<see cref="MayMatchValue"/>).</summary>
        private readonly LoopModel? _model;
        private readonly SyntaxNode _loop;
        private readonly ILocalSymbol _induction;
        private readonly KnownTypes _types;
        private readonly CancellationToken _cancellationToken;
        private readonly List<ElementwiseOperand> _operands = new();
        private ITypeSymbol _elementType = null!;

        public Matcher(LoopModel? model, SyntaxNode loop, ILocalSymbol induction, KnownTypes types, CancellationToken cancellationToken)
        {
            _model = model;
            _loop = loop;
            _induction = induction;
            _types = types;
            _cancellationToken = cancellationToken;
        }

        public ElementwiseKernel? Match(ForStatementSyntax loop, IOperation assignment)
        {
            if (_model is null || Arithmetic(assignment) is not ({ } destination, { } value))
            {
                return null;
            }

            var elementType = _elementType;

            // Every array or span access of the body must be one of the kernel's, at [i].
            var accessCount = value.DescendantsAndSelf().Count(n => n.IsElement) + (assignment is ICompoundAssignmentOperation ? 0 : 1);
            if (_model.Accesses.Length != accessCount || _model.Accesses.Any(a => !a.IsAtInduction))
            {
                return null;
            }

            var canUseVector = _types.VectorOfT is not null && _types.Vector is not null && value.DescendantsAndSelf().All(CanVectorize);
            var guards = OverlapGuards(destination);
            var (nonNegative, lengthOf) = UpperBoundKind(loop);

            // TensorPrimitives throws on a partial overlap the loop would have computed through; only arrays, which overlap wholly or not at all.
            var tensorPrimitives = _types.HasGenericTensorPrimitives && guards.IsEmpty && CanSliceRange(loop, nonNegative)
                ? TensorPrimitivesMapping.Map(value, elementType)
                : null;
            if (!canUseVector && tensorPrimitives is null)
            {
                return null;
            }

            return new ElementwiseKernel(_model, loop, _induction, elementType, destination, value, _operands.ToImmutableArray(), guards, canUseVector, tensorPrimitives, nonNegative, lengthOf);
        }

        /// <summary>
        /// What <see cref="Match"/> asks of the assignment's expression, before any model: <see cref="Arithmetic"/> with every
        /// element access whose array or span is held by a local, parameter or field taken as an operand (the model then
        /// keeps only those at exactly <c>[i]</c>). Every check on the way depends on the operations alone, and each only
        /// ever fails on an operand that the model's match refuses too, so false here means <see cref="Match"/> gives null.
        /// </summary>
        public bool MayMatchValue(IOperation assignment) => Arithmetic(assignment) is ({ }, { });

        /// <summary>
        /// The destination and the stored value of an assignment of a vector element type that is arithmetic (not a copy
        /// of an element or a fill with a scalar, which Span.CopyTo / Fill say better); nulls when it is not one.
        /// </summary>
        private (ElementwiseOperand? Destination, ElementwiseNode? Value) Arithmetic(IOperation assignment)
        {
            var target = TargetOf(assignment);
            if (target?.Type is not { } elementType || !NumericTypes.IsVectorElementType(elementType))
            {
                return default;
            }

            _elementType = elementType;
            return Operand(target) is { } destination && Value(assignment, destination) is { IsElement: false, IsScalar: false } value
                ? (destination, value)
                : default;
        }

        /// <summary>
        /// What an assignment the kernel may compute stores into: the target of a plain assignment (not by reference) or of a
        /// built-in, unchecked compound assignment; null for any other operation.
        /// </summary>
        public static IOperation? TargetOf(IOperation? assignment) => assignment switch
        {
            ISimpleAssignmentOperation { IsRef: false } simple => simple.Target,
            ICompoundAssignmentOperation { OperatorMethod: null, IsChecked: false } compound => compound.Target,
            _ => null,
        };

        /// <summary>The value stored: the right side of <c>d[i] = e</c>, or <c>d[i] op e</c> for <c>d[i] op= e</c>.</summary>
        private ElementwiseNode? Value(IOperation assignment, ElementwiseOperand destination)
        {
            if (assignment is not ICompoundAssignmentOperation compound)
            {
                return Exact(((ISimpleAssignmentOperation)assignment).Value);
            }

            var small = NumericTypes.BitsOf(_elementType) < 32;
            var right = small ? Truncated(compound.Value) : (SameType(compound.Value.Type, _elementType) ? Exact(compound.Value) : null);
            var op = compound.OperatorKind switch
            {
                BinaryOperatorKind.Add => ElementwiseOperator.Add,
                BinaryOperatorKind.Subtract => ElementwiseOperator.Subtract,
                BinaryOperatorKind.Multiply => ElementwiseOperator.Multiply,
                BinaryOperatorKind.Divide when NumericTypes.IsFloatingPoint(_elementType) => ElementwiseOperator.Divide,
                BinaryOperatorKind.And when NumericTypes.IsInteger(_elementType) => ElementwiseOperator.And,
                BinaryOperatorKind.Or when NumericTypes.IsInteger(_elementType) => ElementwiseOperator.Or,
                BinaryOperatorKind.ExclusiveOr when NumericTypes.IsInteger(_elementType) => ElementwiseOperator.Xor,
                _ => (ElementwiseOperator?)null,
            };

            // d[i] op= e on small integers is (T)(d[i] op e) in int: the same low bits as the wrapping T operation.
            return right is null || op is null || (small && !IsTruncationExact(op.Value))
                ? null
                : new ElementwiseNode(op.Value, ImmutableArray.Create(ElementNode(destination), right));
        }

        /// <summary>The written operand paired with every other operand it may partially overlap (when either is a span).</summary>
        private ImmutableArray<(ElementwiseOperand Written, ElementwiseOperand Other)> OverlapGuards(ElementwiseOperand destination)
        {
            var guards = ImmutableArray.CreateBuilder<(ElementwiseOperand, ElementwiseOperand)>();
            foreach (var other in _operands)
            {
                if (!SymbolEqualityComparer.Default.Equals(other.Symbol, destination.Symbol) && (other.IsSpan || destination.IsSpan))
                {
                    guards.Add((destination, other));
                }
            }

            return guards.ToImmutable();
        }

        /// <summary>
        /// TensorPrimitives runs over <c>[lo, hi)</c> as spans: offered when that range is certainly well formed (the loop
        /// starts at 0 and runs to a length or a non-negative constant), so slicing cannot throw where the loop did nothing.
        /// </summary>
        private bool CanSliceRange(ForStatementSyntax loop, bool nonNegative)
            => _model!.LowerBound is { ConstantValue: { HasValue: true, Value: 0 } } && nonNegative && !loop.Condition.IsKind(SyntaxKind.LessThanOrEqualExpression);

        private (bool NonNegative, ElementwiseOperand? LengthOf) UpperBoundKind(ForStatementSyntax loop)
        {
            var upper = _model!.UpperBound.UnwrapConversionsOrNull();

            if (upper is { ConstantValue: { HasValue: true, Value: int constant } })
            {
                return (constant >= 0, null);
            }

            if (upper is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance }
                && (instance.Type is IArrayTypeSymbol { Rank: 1 } || IsSpanType(instance.Type)))
            {
                var symbol = SymbolOf(instance);
                var operand = symbol is null ? null : _operands.FirstOrDefault(o => SymbolEqualityComparer.Default.Equals(o.Symbol, symbol) && o.Text == instance.Syntax.ToString());
                return (true, loop.Condition.IsKind(SyntaxKind.LessThanOrEqualExpression) ? null : operand);
            }

            return (false, null);
        }

        private static bool IsTruncationExact(ElementwiseOperator op)
            => op is ElementwiseOperator.Add or ElementwiseOperator.Subtract or ElementwiseOperator.Multiply
                or ElementwiseOperator.And or ElementwiseOperator.Or or ElementwiseOperator.Xor
                or ElementwiseOperator.Negate or ElementwiseOperator.OnesComplement;

        private bool CanVectorize(ElementwiseNode node) => node.Operator switch
        {
            ElementwiseOperator.Exp or ElementwiseOperator.Log or ElementwiseOperator.Sin or ElementwiseOperator.Cos
                or ElementwiseOperator.Tanh => false,

            // Vector.Min/Max on float/double disagree with Math.Min/Max on NaN and -0 on some runtimes.
            ElementwiseOperator.Min or ElementwiseOperator.Max => !NumericTypes.IsFloatingPoint(_elementType),
            ElementwiseOperator.ShiftLeft => HasOperator("op_LeftShift"),
            ElementwiseOperator.ShiftRightArithmetic => HasOperator("op_RightShift"),
            ElementwiseOperator.ShiftRightLogical => HasOperator(NumericTypes.IsSignedInteger(_elementType) ? "op_UnsignedRightShift" : "op_RightShift"),
            _ => true,
        };

        private bool HasOperator(string name) => _types.VectorOfT?.GetMembers(name).Length > 0;

        private ElementwiseNode ElementNode(ElementwiseOperand operand) => new(ElementwiseOperator.Element, ImmutableArray<ElementwiseNode>.Empty, element: operand);

        /// <summary>
        /// The array or span of an access at <c>[i]</c> (as the loop model records it), registered as an operand; null for any
        /// other access. Without a model, any array element or indexer reference whose collection a kernel may read
        /// (<see cref="SymbolOf"/>), not registered.
        /// </summary>
        private ElementwiseOperand? Operand(IOperation access)
        {
            if (_model is null)
            {
                var collection = access switch
                {
                    IArrayElementReferenceOperation arrayElement => arrayElement.ArrayReference,
                    IPropertyReferenceOperation indexer => indexer.Instance,
                    _ => null,
                };

                return collection is not null && SymbolOf(collection) is { } held ? new ElementwiseOperand(held, collection, isSpan: false, isReadOnlySpan: false) : null;
            }

            if (KernelAccesses.FindAtInduction(_model, access) is not { } element
                || !SameType(element.ElementType, _elementType)
                || KernelAccesses.Collection(element) is not { } reference
                || SymbolOf(reference) is not { } symbol)
            {
                return null;
            }

            var text = reference.Syntax.ToString();
            foreach (var existing in _operands)
            {
                if (SymbolEqualityComparer.Default.Equals(existing.Symbol, symbol))
                {
                    // The same field through two spellings (a and this.a) is fine; the same symbol through another object is not.
                    return existing.Text == text || reference is not IFieldReferenceOperation ? existing : null;
                }
            }

            var isReadOnly = reference.Type is INamedTypeSymbol named && KnownTypes.Is(named.OriginalDefinition, _types.ReadOnlySpanOfT);
            var operand = new ElementwiseOperand(symbol, reference, element.IsSpan, isReadOnly);
            _operands.Add(operand);
            return operand;
        }

        private bool IsSpanType(ITypeSymbol? type)
            => type is INamedTypeSymbol named && (KnownTypes.Is(named.OriginalDefinition, _types.SpanOfT) || KnownTypes.Is(named.OriginalDefinition, _types.ReadOnlySpanOfT));

        /// <summary>
        /// A loop-invariant scalar the vectorized code may evaluate once per vector: constants, by-value locals and
        /// parameters, non-volatile fields (static or of <c>this</c>), and unchecked arithmetic and conversions of them.
        /// </summary>
        private bool IsScalar(IOperation operation)
        {
            switch (operation)
            {
                case { ConstantValue.HasValue: true }:
                    return true;
                case ILocalReferenceOperation local:
                    return !SymbolEqualityComparer.Default.Equals(local.Local, _induction) && !local.Local.IsRef
                           && !Purity.IsDeclaredWithin(local.Local, _loop);
                case IParameterReferenceOperation parameter:
                    return parameter.Parameter.RefKind == RefKind.None;
                case IFieldReferenceOperation field:
                    return !field.Field.IsVolatile && field.Field.RefKind == RefKind.None
                           && (field.Instance is null or IInstanceReferenceOperation);
                case IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } property:
                    return IsAutoProperty(property.Property, _cancellationToken);
                case IConversionOperation { OperatorMethod: null, IsChecked: false } conversion:
                    return IsScalar(conversion.Operand);
                case IBinaryOperation { OperatorMethod: null, IsChecked: false } binary:
                    return binary.OperatorKind is not (BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder) || NumericTypes.IsFloatingPoint(binary.Type!)
                        ? IsScalar(binary.LeftOperand) && IsScalar(binary.RightOperand)
                        : false;
                case IUnaryOperation { OperatorMethod: null, IsChecked: false } unary:
                    return IsScalar(unary.Operand);
                default:
                    return false;
            }
        }

        /// <summary>
        /// An auto-implemented property (<c>public float Volume { get; set; }</c>) of this type or a static one: reading it
        /// reads a field, cannot throw and, since the model allows no write in the body, gives the same value every
        /// iteration. Properties with a getter body, indexers, virtual, abstract, overriding and partial properties are not
        /// scalars here.
        /// </summary>
        private static bool IsAutoProperty(IPropertySymbol property, CancellationToken cancellationToken)
        {
            if (property.IsIndexer || property.IsVirtual || property.IsAbstract || property.IsOverride || property.IsExtern
                || property.RefKind != RefKind.None || property.ContainingType?.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || property.GetMethod is not { } getter || getter.DeclaringSyntaxReferences.Length != 1
                || property.DeclaringSyntaxReferences.Length != 1)
            {
                return false;
            }

            return getter.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is AccessorDeclarationSyntax { Body: null, ExpressionBody: null }
                   && property.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is PropertyDeclarationSyntax declaration
                   && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                   && !declaration.Modifiers.Any(SyntaxKind.ExternKeyword);
        }

        private static bool SameType(ITypeSymbol? a, ITypeSymbol? b) => a is not null && b is not null && SymbolEqualityComparer.Default.Equals(a, b);
    }
}
