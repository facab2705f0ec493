using NoGil.Analyzers.Analysis.Blocking;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// A proven upper bound on a loop's trip count, when the code fixes it by construction: a constant bound, the
/// <c>.Length</c> of an array created with a constant size (a local never reassigned, or a <c>readonly</c> field whose
/// initializer creates it and that no constructor assigns), <c>Math.Min(n, 8)</c>, a local that holds one of those and
/// is never written, and sums, differences and products of those. Such loops run a handful of times whatever the input
/// (polynomial coefficients, a 3×3 stencil, a fixed table): not work worth a worker or a vector.
/// </summary>
public static class TripBound
{
    /// <summary>A loop proven to run at most this many times is small (the same bound as <see cref="CpuWork.TrivialLoopBound"/>).</summary>
    public const int SmallTripCount = CpuWork.TrivialLoopBound;

    /// <summary>Values above this are not tracked: the bound is only useful when small.</summary>
    private const long Unbounded = 1L << 40;

    /// <summary>
    /// The most iterations <paramref name="loop"/> can run, proven from its header, or null when nothing bounds it:
    /// <c>for (… i = lo; i &lt; hi; …)</c> (also <c>&lt;=</c>, a step <c>i++</c> or <c>i += c</c> with <c>c ≥ 1</c>; a start
    /// that is not a constant is taken as at least 0, as indices are) and <c>foreach</c> over an array.
    /// </summary>
    public static long? Of(ILoopOperation loop)
    {
        switch (loop)
        {
            case IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition } forLoop
                when InductionOf(forLoop) is { } induction
                     && condition.LeftOperand.UnwrapConversions() is ILocalReferenceOperation { Local: var left }
                     && SymbolEqualityComparer.Default.Equals(left, induction.Symbol)
                     && CountsUp(forLoop, induction.Symbol)
                     && MaxValue(condition.RightOperand, depth: 0) is { } high:
                var low = induction.GetVariableInitializer()?.Value.ConstantValue is { HasValue: true } start && LoopHeader.TryToLong(start.Value, out var first)
                    ? System.Math.Max(first, -Unbounded)
                    : 0;
                var inclusive = condition.OperatorKind == BinaryOperatorKind.LessThanOrEqual;
                return System.Math.Max(0, high - low + (inclusive ? 1 : 0));

            case IForEachLoopOperation forEach:
                return LengthOf(forEach.Collection.UnwrapConversions(), depth: 0);

            default:
                return null;
        }
    }

    /// <summary>The only step is <c>i++</c>, <c>++i</c> or <c>i += c</c> with a constant <c>c</c> of at least 1.</summary>
    private static bool CountsUp(IForLoopOperation loop, ILocalSymbol induction)
    {
        if (loop.AtLoopBottom.Length != 1)
        {
            return false;
        }

        var step = loop.AtLoopBottom[0] is IExpressionStatementOperation statement ? statement.Operation : loop.AtLoopBottom[0];
        return step switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, induction),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target } compound
                => SymbolEqualityComparer.Default.Equals(target.Local, induction)
                   && compound.Value.ConstantValue is { HasValue: true } value && LoopHeader.TryToLong(value.Value, out var by) && by >= 1,
            _ => false,
        };
    }

    /// <summary>True when <paramref name="loop"/> is proven to run at most <see cref="SmallTripCount"/> times.</summary>
    public static bool IsSmall(ILoopOperation loop) => Of(loop) is { } bound && bound <= SmallTripCount;

    private static IVariableDeclaratorOperation? InductionOf(IForLoopOperation loop)
        => loop.Before.Length == 1 && loop.Before[0] is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
           && group.Declarations[0].Declarators.Length == 1
            ? group.Declarations[0].Declarators[0]
            : null;

    /// <summary>The largest value <paramref name="value"/> can have, when the code fixes it; else null.</summary>
    private static long? MaxValue(IOperation value, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        value = value.UnwrapConversions();
        if (value.ConstantValue is { HasValue: true } constant)
        {
            return LoopHeader.TryToLong(constant.Value, out var number) ? System.Math.Max(-Unbounded, Clamp(number)) : null;
        }

        switch (value)
        {
            case IPropertyReferenceOperation { Property.Name: "Length" or "LongLength", Instance: { } array } when array.Type is IArrayTypeSymbol:
                return LengthOf(array.UnwrapConversions(), depth + 1);

            case IInvocationOperation { TargetMethod: { Name: "Min", IsStatic: true, ContainingType.Name: "Math" or "MathF" }, Arguments.Length: 2 } min:
                var a = MaxValue(min.Arguments[0].Value, depth + 1);
                var b = MaxValue(min.Arguments[1].Value, depth + 1);
                return a is null ? b : b is null ? a : System.Math.Min(a.Value, b.Value);

            case ILocalReferenceOperation { Local: { IsConst: false } local } reference
                when local.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64
                     && SingleAssignment.DeclaredValue(local, reference) is { } initial
                     && MaxValue(initial, depth + 1) is { } bound
                     && !SingleAssignment.IsReassigned(local):
                // The initializer is read first: most bounds are not fixed by construction, and then the walk of the local's scope is not needed.
                return bound;

            case IBinaryOperation binary:
                var left = MaxValue(binary.LeftOperand, depth + 1);
                if (left is null)
                {
                    return null;
                }

                switch (binary.OperatorKind)
                {
                    case BinaryOperatorKind.Add:
                        return MaxValue(binary.RightOperand, depth + 1) is { } right ? Clamp(left.Value + right) : null;
                    case BinaryOperatorKind.Subtract:
                        return binary.RightOperand.ConstantValue is { HasValue: true } subtrahend && LoopHeader.TryToLong(subtrahend.Value, out var s) && s >= 0 ? left - s : null;
                    case BinaryOperatorKind.Multiply:
                        // Both are at most 2^40 here; past that the product is "unbounded", never a wrapped-around small number.
                        return MaxValue(binary.RightOperand, depth + 1) is { } factor && factor >= 0 && left >= 0
                            ? (factor != 0 && left > Unbounded / factor ? Unbounded : left.Value * factor)
                            : null;
                    case BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift:
                        return binary.RightOperand.ConstantValue is { HasValue: true } divisor && LoopHeader.TryToLong(divisor.Value, out var d) && d > 0 && left >= 0 ? left : null;
                    default:
                        return null;
                }

            default:
                return null;
        }
    }

    private static long Clamp(long value) => System.Math.Min(value, Unbounded);

    /// <summary>The length of an array the code creates with a constant size (see the class summary); else null.</summary>
    private static long? LengthOf(IOperation array, int depth)
    {
        if (depth > 4)
        {
            return null;
        }

        switch (array)
        {
            case IArrayCreationOperation creation:
                return creation.DimensionSizes.Length == 1 ? MaxValue(creation.DimensionSizes[0], depth + 1) : null;

            case ILocalReferenceOperation { Local: var local } reference
                when SingleAssignment.DeclaredValue(local, reference) is { } initial
                     && LengthOf(initial.UnwrapConversions(), depth + 1) is { } length
                     && !SingleAssignment.IsReassigned(local):
                return length;

            case IFieldReferenceOperation { Field: { IsReadOnly: true } field }
                when SingleAssignment.ReadonlyFieldInitializer(field) is { } initializer && !IsAssignedInConstructor(field):
                return LengthOf(initializer);

            default:
                return null;
        }
    }

    /// <summary>
    /// The length of the array a field initializer creates, read from its syntax (which may be in another file):
    /// <c>new T[8]</c>, <c>new T[] { … }</c>, <c>new[] { … }</c>, <c>{ … }</c>, <c>[a, b, c]</c> without spreads.
    /// </summary>
    private static long? LengthOf(ExpressionSyntax initializer)
    {
        switch (initializer)
        {
            case ArrayCreationExpressionSyntax { Initializer: { } elements }:
                return elements.Expressions.Count;
            case ArrayCreationExpressionSyntax { Type.RankSpecifiers: { Count: 1 } ranks }
                when ranks[0].Sizes.Count == 1 && ranks[0].Sizes[0] is LiteralExpressionSyntax { Token.Value: int size }:
                return size;
            case ImplicitArrayCreationExpressionSyntax { Initializer: var elements }:
                return elements.Expressions.Count;
            case InitializerExpressionSyntax elements when elements.IsKind(SyntaxKind.ArrayInitializerExpression):
                return elements.Expressions.Count;
            case CollectionExpressionSyntax collection when collection.Elements.All(e => e is ExpressionElementSyntax):
                return collection.Elements.Count;
            default:
                return null;
        }
    }

    /// <summary>Does a constructor of the field's type (static for a static field) assign it by name?</summary>
    private static bool IsAssignedInConstructor(IFieldSymbol field)
    {
        var constructors = field.IsStatic ? field.ContainingType.StaticConstructors : field.ContainingType.InstanceConstructors;
        foreach (var constructor in constructors)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                foreach (var node in reference.GetSyntax().DescendantNodes())
                {
                    if (SingleAssignment.WrittenName(node) == field.Name
                        || node is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } } && name == field.Name)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
