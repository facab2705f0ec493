using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Loops;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>An operation of an element-wise kernel expression.</summary>
public enum ElementwiseOperator
{
    /// <summary><c>x[i]</c>: an element of an array or span, at the induction variable.</summary>
    Element,

    /// <summary>A loop-invariant scalar, broadcast to every lane.</summary>
    Scalar,

    Add,
    Subtract,
    Multiply,

    /// <summary>Floating point only (integer division has no <c>Vector&lt;T&gt;</c> instruction and throws on zero).</summary>
    Divide,
    Negate,
    And,
    Or,
    Xor,
    OnesComplement,

    /// <summary><c>x &lt;&lt; k</c>, <c>k</c> a constant in [1, bits - 1].</summary>
    ShiftLeft,

    /// <summary><c>x &gt;&gt; k</c> on a signed type.</summary>
    ShiftRightArithmetic,

    /// <summary><c>x &gt;&gt; k</c> on an unsigned type, or <c>x &gt;&gt;&gt; k</c>.</summary>
    ShiftRightLogical,

    /// <summary><c>Math.Abs</c>/<c>MathF.Abs</c> on <c>float</c>/<c>double</c> (clears the sign bit; integers throw on MinValue and are not accepted).</summary>
    Abs,
    Sqrt,
    Min,
    Max,
    Exp,
    Log,
    Sin,
    Cos,
    Tanh,
}

/// <summary>An array or span the kernel reads or writes, at the induction variable only.</summary>
public sealed class ElementwiseOperand
{
    internal ElementwiseOperand(ISymbol symbol, IOperation reference, bool isSpan, bool isReadOnlySpan)
    {
        Symbol = symbol;
        Reference = reference;
        IsSpan = isSpan;
        IsReadOnlySpan = isReadOnlySpan;
    }

    /// <summary>The local, parameter or field (static, or of <c>this</c>) that holds the array or span.</summary>
    public ISymbol Symbol { get; }

    /// <summary>The first reference to it in the loop body.</summary>
    public IOperation Reference { get; }

    /// <summary>The reference as written (<c>a</c>, <c>this.a</c>, <c>_a</c>).</summary>
    public string Text => Reference.Syntax.ToString();

    public bool IsSpan { get; }

    public bool IsReadOnlySpan { get; }

    public override string ToString() => Text;
}

/// <summary>A node of an element-wise kernel expression; every node's value has the kernel's element type.</summary>
public sealed class ElementwiseNode
{
    internal ElementwiseNode(ElementwiseOperator @operator, ImmutableArray<ElementwiseNode> operands, ElementwiseOperand? element = null, IOperation? scalar = null, int shift = 0, string? method = null)
    {
        Operator = @operator;
        Method = method;
        Operands = operands;
        Element = element;
        Scalar = scalar;
        Shift = shift;
    }

    public ElementwiseOperator Operator { get; }

    public ImmutableArray<ElementwiseNode> Operands { get; }

    /// <summary>The array or span of an <see cref="ElementwiseOperator.Element"/> node.</summary>
    public ElementwiseOperand? Element { get; }

    /// <summary>The expression of a <see cref="ElementwiseOperator.Scalar"/> node (as written, before any implicit conversion to the element type).</summary>
    public IOperation? Scalar { get; }

    /// <summary>The <c>Math</c>/<c>MathF</c> method of a function node, as written in the loop (<c>Math.Exp</c>).</summary>
    public string? Method { get; }

    /// <summary>The constant shift count of a shift node.</summary>
    public int Shift { get; }

    public bool IsElement => Operator == ElementwiseOperator.Element;

    public bool IsScalar => Operator == ElementwiseOperator.Scalar;

    /// <summary>The nodes of the tree, this one first.</summary>
    public IEnumerable<ElementwiseNode> DescendantsAndSelf()
    {
        yield return this;
        foreach (var operand in Operands)
        {
            foreach (var node in operand.DescendantsAndSelf())
            {
                yield return node;
            }
        }
    }
}

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

/// <summary>
/// A <c>for</c> loop whose body is one element-wise statement <c>dst[i] = f(a[i], b[i], scalars…)</c> (or <c>dst[i] op=
/// …</c>) over arrays or spans of one primitive numeric type, with operations that <c>Vector&lt;T&gt;</c> or one
/// <c>TensorPrimitives</c> call compute exactly the way the loop does — the kernel NOGIL302 vectorizes.
/// </summary>
public sealed class ElementwiseKernel
{
    private ElementwiseKernel(
        LoopModel model,
        ForStatementSyntax loop,
        ILocalSymbol induction,
        ITypeSymbol elementType,
        ElementwiseOperand destination,
        ElementwiseNode value,
        ImmutableArray<ElementwiseOperand> operands,
        ImmutableArray<(ElementwiseOperand Written, ElementwiseOperand Other)> overlapGuards,
        bool canUseVector,
        TensorPrimitivesCall? tensorPrimitives,
        bool upperBoundIsNonNegative,
        ElementwiseOperand? upperBoundLengthOf)
    {
        Model = model;
        Loop = loop;
        Induction = induction;
        ElementType = elementType;
        Destination = destination;
        Value = value;
        Operands = operands;
        OverlapGuards = overlapGuards;
        CanUseVector = canUseVector;
        TensorPrimitives = tensorPrimitives;
        UpperBoundIsNonNegative = upperBoundIsNonNegative;
        UpperBoundLengthOf = upperBoundLengthOf;
    }

    public LoopModel Model { get; }

    /// <summary>The loop: <c>for (int i = lo; i &lt; hi; i++)</c> (or <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>).</summary>
    public ForStatementSyntax Loop { get; }

    public ILocalSymbol Induction { get; }

    /// <summary>The element type of every array and span of the kernel.</summary>
    public ITypeSymbol ElementType { get; }

    /// <summary>The array or span written at <c>[i]</c>.</summary>
    public ElementwiseOperand Destination { get; }

    /// <summary>The value stored into <c>Destination[i]</c> (a compound assignment is expanded: <c>d[i] += e</c> is <c>d[i] + e</c>).</summary>
    public ElementwiseNode Value { get; }

    /// <summary>Every distinct array or span of the kernel, destination included, in order of first appearance.</summary>
    public ImmutableArray<ElementwiseOperand> Operands { get; }

    /// <summary>
    /// Pairs that may partially overlap (a written span and another span or array, or a written array and a span), which a
    /// vectorized loop must check with <c>Overlaps</c> before it reads a whole vector ahead of the scalar order.
    /// </summary>
    public ImmutableArray<(ElementwiseOperand Written, ElementwiseOperand Other)> OverlapGuards { get; }

    /// <summary>Every operation maps to a <c>Vector&lt;T&gt;</c> operator or <c>Vector</c> method with the same semantics.</summary>
    public bool CanUseVector { get; }

    /// <summary>The one <c>TensorPrimitives</c> call that computes the whole loop, or null.</summary>
    public TensorPrimitivesCall? TensorPrimitives { get; }

    /// <summary>The loop's upper bound cannot be negative (a length, or a constant), so <c>hi - Vector&lt;T&gt;.Count</c> cannot overflow.</summary>
    public bool UpperBoundIsNonNegative { get; }

    /// <summary>When the loop runs <c>0 .. x.Length</c> with exclusive bound: the operand <c>x</c>; else null.</summary>
    public ElementwiseOperand? UpperBoundLengthOf { get; }

    /// <summary>The lower bound expression (<c>lo</c>).</summary>
    public ExpressionSyntax LowerBound => Loop.Declaration!.Variables[0].Initializer!.Value;

    /// <summary>The upper bound expression (<c>hi</c>).</summary>
    public ExpressionSyntax UpperBound => ((BinaryExpressionSyntax)Loop.Condition!).Right;

    /// <summary>True for <c>i &lt;= hi</c>.</summary>
    public bool UpperInclusive => Loop.Condition.IsKind(SyntaxKind.LessThanOrEqualExpression);

    /// <summary>The single statement of the body.</summary>
    public StatementSyntax Statement => Loop.Statement is BlockSyntax block ? block.Statements[0] : Loop.Statement;

    /// <summary>True when at least one vectorized form exists (a Vector&lt;T&gt; loop, or a TensorPrimitives call).</summary>
    public bool IsVectorizable => CanUseVector || TensorPrimitives is not null;

    /// <summary>
    /// The element-wise kernel of <paramref name="model"/>'s loop, or null. Requires the loop to be independent (a
    /// possible span overlap is accepted: <see cref="OverlapGuards"/>), unchecked, not trivially small, a canonical
    /// <c>for</c> over an <c>int</c> induction variable, and a body of one assignment whose every array or span access
    /// is at exactly <c>[i]</c>.
    /// </summary>
    public static ElementwiseKernel? TryMatch(LoopModel? model, KnownTypes types, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (model is null
            || model.Shape != LoopShape.For
            || model.Induction is not { Type.SpecialType: SpecialType.System_Int32 } induction
            || model.HasCheckedArithmetic
            || model.IsTriviallySmall
            || model.Obstacles.Any(o => o.Kind != LoopObstacleKind.SpanOverlap)
            || model.Loop.Syntax is not ForStatementSyntax loop
            || !IsCanonicalSyntax(loop, induction)
            || SingleStatement(loop.Statement) is not ExpressionStatementSyntax statement)
        {
            return null;
        }

        if (model.Body.DescendantsAndSelf().OfType<IExpressionStatementOperation>().FirstOrDefault(s => s.Syntax == statement)?.Operation is not { } assignment)
        {
            return null;
        }

        var matcher = new Matcher(model, induction, types, cancellationToken);
        return matcher.Match(loop, assignment);
    }

    private static StatementSyntax? SingleStatement(StatementSyntax statement)
        => statement is BlockSyntax block ? (block.Statements.Count == 1 ? block.Statements[0] : null) : statement;

    /// <summary><c>for (int i = lo; i &lt; hi; i++)</c> exactly: the shape the fix rewrites.</summary>
    private static bool IsCanonicalSyntax(ForStatementSyntax loop, ILocalSymbol induction)
    {
        if (loop.Declaration is not { Variables.Count: 1 } declaration
            || declaration.Variables[0] is not { Initializer: not null } variable
            || variable.Identifier.ValueText != induction.Name
            || loop.Initializers.Count != 0
            || loop.Condition is not BinaryExpressionSyntax condition
            || !(condition.IsKind(SyntaxKind.LessThanExpression) || condition.IsKind(SyntaxKind.LessThanOrEqualExpression))
            || condition.Left is not IdentifierNameSyntax left
            || left.Identifier.ValueText != induction.Name
            || loop.Incrementors.Count != 1)
        {
            return false;
        }

        return loop.Incrementors[0] switch
        {
            PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } post => post.IsKind(SyntaxKind.PostIncrementExpression) && id.Identifier.ValueText == induction.Name,
            PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax id } pre => pre.IsKind(SyntaxKind.PreIncrementExpression) && id.Identifier.ValueText == induction.Name,
            AssignmentExpressionSyntax { Left: IdentifierNameSyntax id, Right: LiteralExpressionSyntax { Token.Value: 1 } } add
                => add.IsKind(SyntaxKind.AddAssignmentExpression) && id.Identifier.ValueText == induction.Name,
            _ => false,
        };
    }

    private static bool IsSupportedElementType(ITypeSymbol type) => type.SpecialType is SpecialType.System_Single or SpecialType.System_Double
        or SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_UInt32 or SpecialType.System_UInt64;

    private static bool IsFloatingPoint(ITypeSymbol type) => type.SpecialType is SpecialType.System_Single or SpecialType.System_Double;

    private static int BitsOf(ITypeSymbol type) => type.SpecialType switch
    {
        SpecialType.System_Byte or SpecialType.System_SByte => 8,
        SpecialType.System_Int16 or SpecialType.System_UInt16 => 16,
        SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Single => 32,
        SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Double => 64,
        _ => 0,
    };

    private static bool IsIntegral(ITypeSymbol? type) => type?.SpecialType is SpecialType.System_Byte or SpecialType.System_SByte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64;

    private static bool IsSigned(ITypeSymbol type) => type.SpecialType is SpecialType.System_SByte or SpecialType.System_Int16
        or SpecialType.System_Int32 or SpecialType.System_Int64;

    /// <summary>Turns the loop body's IOperation tree into an <see cref="ElementwiseNode"/> tree, or gives up.</summary>
    private sealed class Matcher
    {
        private readonly LoopModel _model;
        private readonly ILocalSymbol _induction;
        private readonly KnownTypes _types;
        private readonly CancellationToken _cancellationToken;
        private readonly List<ElementwiseOperand> _operands = new();
        private readonly HashSet<SyntaxNode> _accessesAtInduction;
        private ITypeSymbol _elementType = null!;

        public Matcher(LoopModel model, ILocalSymbol induction, KnownTypes types, CancellationToken cancellationToken)
        {
            _model = model;
            _induction = induction;
            _types = types;
            _cancellationToken = cancellationToken;
            _accessesAtInduction = new HashSet<SyntaxNode>(model.Accesses.Where(a => a.IsAtInduction && a.Base is not null).Select(a => a.Operation.Syntax));
        }

        public ElementwiseKernel? Match(ForStatementSyntax loop, IOperation assignment)
        {
            IOperation target;
            switch (assignment)
            {
                case ISimpleAssignmentOperation simple when !simple.IsRef:
                    target = simple.Target;
                    break;
                case ICompoundAssignmentOperation { OperatorMethod: null, IsChecked: false } compound:
                    target = compound.Target;
                    break;
                default:
                    return null;
            }

            if (target.Type is not { } elementType || !IsSupportedElementType(elementType))
            {
                return null;
            }

            _elementType = elementType;
            if (Operand(target) is not { } destination)
            {
                return null;
            }

            ElementwiseNode? value;
            if (assignment is ICompoundAssignmentOperation compoundAssignment)
            {
                var right = BitsOf(elementType) < 32
                    ? Truncated(compoundAssignment.Value)
                    : (SameType(compoundAssignment.Value.Type, elementType) ? Exact(compoundAssignment.Value) : null);
                var op = compoundAssignment.OperatorKind switch
                {
                    BinaryOperatorKind.Add => ElementwiseOperator.Add,
                    BinaryOperatorKind.Subtract => ElementwiseOperator.Subtract,
                    BinaryOperatorKind.Multiply => ElementwiseOperator.Multiply,
                    BinaryOperatorKind.Divide when IsFloatingPoint(elementType) => ElementwiseOperator.Divide,
                    BinaryOperatorKind.And when IsIntegral(elementType) => ElementwiseOperator.And,
                    BinaryOperatorKind.Or when IsIntegral(elementType) => ElementwiseOperator.Or,
                    BinaryOperatorKind.ExclusiveOr when IsIntegral(elementType) => ElementwiseOperator.Xor,
                    _ => (ElementwiseOperator?)null,
                };

                // d[i] op= e on small integers is (T)(d[i] op e) in int: the same low bits as the wrapping T operation.
                value = right is null || op is null || (BitsOf(elementType) < 32 && !IsTruncationExact(op.Value))
                    ? null
                    : new ElementwiseNode(op.Value, ImmutableArray.Create(ElementNode(destination), right));
            }
            else
            {
                value = Exact(((ISimpleAssignmentOperation)assignment).Value);
            }

            if (value is null || value.IsElement || value.IsScalar)
            {
                // A copy or a fill is not arithmetic to vectorize (Span.CopyTo / Fill say it better).
                return null;
            }

            // Every array or span access of the body must be one of the kernel's, at [i].
            var accessCount = value.DescendantsAndSelf().Count(n => n.IsElement) + (assignment is ICompoundAssignmentOperation ? 0 : 1);
            if (_model.Accesses.Length != accessCount || _model.Accesses.Any(a => !a.IsAtInduction))
            {
                return null;
            }

            var canUseVector = _types.VectorOfT is not null && _types.Vector is not null && value.DescendantsAndSelf().All(CanVectorize);
            var tensorPrimitives = _types.HasGenericTensorPrimitives ? TensorPrimitivesMapping.Map(value, elementType) : null;

            var guards = ImmutableArray.CreateBuilder<(ElementwiseOperand, ElementwiseOperand)>();
            foreach (var other in _operands)
            {
                if (!SymbolEqualityComparer.Default.Equals(other.Symbol, destination.Symbol) && (other.IsSpan || destination.IsSpan))
                {
                    guards.Add((destination, other));
                }
            }

            // TensorPrimitives throws on a partial overlap the loop would have computed through; only arrays, which overlap wholly or not at all.
            if (guards.Count > 0)
            {
                tensorPrimitives = null;
            }

            var (nonNegative, lengthOf) = UpperBoundKind(loop);
            if (tensorPrimitives is not null && !CanSliceRange(loop, nonNegative))
            {
                tensorPrimitives = null;
            }

            if (!canUseVector && tensorPrimitives is null)
            {
                return null;
            }

            return new ElementwiseKernel(_model, loop, _induction, elementType, destination, value, _operands.ToImmutableArray(), guards.ToImmutable(), canUseVector, tensorPrimitives, nonNegative, lengthOf);
        }

        /// <summary>
        /// TensorPrimitives runs over <c>[lo, hi)</c> as spans: offered when that range is certainly well formed (the loop
        /// starts at 0 and runs to a length or a non-negative constant), so slicing cannot throw where the loop did nothing.
        /// </summary>
        private bool CanSliceRange(ForStatementSyntax loop, bool nonNegative)
            => _model.LowerBound is { ConstantValue: { HasValue: true, Value: 0 } } && nonNegative && !loop.Condition.IsKind(SyntaxKind.LessThanOrEqualExpression);

        private (bool NonNegative, ElementwiseOperand? LengthOf) UpperBoundKind(ForStatementSyntax loop)
        {
            var upper = _model.UpperBound.UnwrapConversionsOrNull();

            if (upper is { ConstantValue: { HasValue: true, Value: int constant } })
            {
                return (constant >= 0, null);
            }

            if (upper is IPropertyReferenceOperation { Property.Name: "Length", Instance: { } instance } property
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
            ElementwiseOperator.Min or ElementwiseOperator.Max => !IsFloatingPoint(_elementType),
            ElementwiseOperator.ShiftLeft => HasOperator("op_LeftShift"),
            ElementwiseOperator.ShiftRightArithmetic => HasOperator("op_RightShift"),
            ElementwiseOperator.ShiftRightLogical => HasOperator(IsSigned(_elementType) ? "op_UnsignedRightShift" : "op_RightShift"),
            _ => true,
        };

        private bool HasOperator(string name) => _types.VectorOfT?.GetMembers(name).Length > 0;

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
                    if (SameType(from, _elementType))
                    {
                        return Exact(conversion.Operand);
                    }

                    // (byte)(a[i] + b[i]): int arithmetic truncated to the element type.
                    if (!conversion.IsImplicit && IsIntegral(_elementType) && IsIntegral(from) && BitsOf(from) > BitsOf(_elementType)
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

            if (!IsIntegral(operation.Type) || !IsIntegral(_elementType) || BitsOf(operation.Type!) < BitsOf(_elementType))
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
                case IConversionOperation { OperatorMethod: null, IsChecked: false } conversion when IsIntegral(conversion.Operand.Type):
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
            var floating = IsFloatingPoint(_elementType);
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
                BinaryOperatorKind.RightShift when !floating && !truncated => IsSigned(_elementType) ? ElementwiseOperator.ShiftRightArithmetic : ElementwiseOperator.ShiftRightLogical,
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
                if (binary.RightOperand.ConstantValue is not { HasValue: true, Value: int count } || count < 1 || count >= BitsOf(_elementType)
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
            var floating = IsFloatingPoint(_elementType);
            ElementwiseOperator? op = unary.OperatorKind switch
            {
                UnaryOperatorKind.Minus when floating || truncated || IsSigned(_elementType) => ElementwiseOperator.Negate,
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
                    or ElementwiseOperator.Sin or ElementwiseOperator.Cos or ElementwiseOperator.Tanh && !IsFloatingPoint(_elementType))
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

        private ElementwiseNode ElementNode(ElementwiseOperand operand) => new(ElementwiseOperator.Element, ImmutableArray<ElementwiseNode>.Empty, element: operand);

        /// <summary>The array or span of an access at <c>[i]</c>, registered as an operand; null for any other access.</summary>
        private ElementwiseOperand? Operand(IOperation access)
        {
            IOperation? reference;
            IOperation? index;
            switch (access)
            {
                case IArrayElementReferenceOperation { Indices.Length: 1 } element when element.ArrayReference.Type is IArrayTypeSymbol { Rank: 1 }:
                    reference = element.ArrayReference;
                    index = element.Indices[0];
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } instance } indexer when IsSpanType(instance.Type):
                    reference = instance;
                    index = indexer.Arguments[0].Value;
                    break;
                default:
                    return null;
            }

            if (index is not ILocalReferenceOperation local || !SymbolEqualityComparer.Default.Equals(local.Local, _induction)
                || !_accessesAtInduction.Contains(access.Syntax)
                || !SameType(access.Type, _elementType)
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
            var operand = new ElementwiseOperand(symbol, reference, IsSpanType(reference.Type), isReadOnly);
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
                           && !Purity.IsDeclaredWithin(local.Local, _model.Loop.Syntax);
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
                    return binary.OperatorKind is not (BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder) || IsFloatingPoint(binary.Type!)
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

    internal static ISymbol? SymbolOf(IOperation reference) => reference switch
    {
        ILocalReferenceOperation local when !local.Local.IsRef => local.Local,
        IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field when !field.Field.IsVolatile => field.Field,
        _ => null,
    };
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

        var floating = elementType.SpecialType is SpecialType.System_Single or SpecialType.System_Double;
        var ops = value.Operands;
        switch (value.Operator)
        {
            case ElementwiseOperator.Add:
                // x * y + z (either order of the addition): MultiplyAdd, not fused — the same two roundings as the loop.
                if ((MultiplyAdd(ops[0], ops[1]) ?? MultiplyAdd(ops[1], ops[0])) is { } multiplyAdd)
                {
                    return multiplyAdd;
                }

                return Commutative("Add", ops[0], ops[1]);
            case ElementwiseOperator.Multiply:
                if ((AddMultiply(ops[0], ops[1]) ?? AddMultiply(ops[1], ops[0])) is { } addMultiply)
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

    private static TensorPrimitivesCall? MultiplyAdd(ElementwiseNode product, ElementwiseNode addend)
    {
        if (product.Operator != ElementwiseOperator.Multiply || !IsLeaf(addend) || !IsLeaf(product.Operands[0]) || !IsLeaf(product.Operands[1]))
        {
            return null;
        }

        var (x, y) = product.Operands[0].IsScalar ? (product.Operands[1], product.Operands[0]) : (product.Operands[0], product.Operands[1]);

        // Overloads: (span, span, span), (span, span, scalar), (span, scalar, span).
        if (!x.IsElement || (y.IsScalar && addend.IsScalar))
        {
            return null;
        }

        return new TensorPrimitivesCall("MultiplyAdd", ImmutableArray.Create(Argument(x), Argument(y), Argument(addend)), null);
    }

    private static TensorPrimitivesCall? AddMultiply(ElementwiseNode sum, ElementwiseNode multiplier)
    {
        if (sum.Operator != ElementwiseOperator.Add || !IsLeaf(multiplier) || !IsLeaf(sum.Operands[0]) || !IsLeaf(sum.Operands[1]))
        {
            return null;
        }

        var (x, y) = sum.Operands[0].IsScalar ? (sum.Operands[1], sum.Operands[0]) : (sum.Operands[0], sum.Operands[1]);
        if (!x.IsElement || (y.IsScalar && multiplier.IsScalar))
        {
            return null;
        }

        return new TensorPrimitivesCall("AddMultiply", ImmutableArray.Create(Argument(x), Argument(y), Argument(multiplier)), null);
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
