using System.Runtime.CompilerServices;
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

    /// <summary>
    /// The length assumed for a <c>params</c> array parameter the method never writes (or replaces only by its own
    /// <c>Clone()</c>): callers write its elements as an argument list (<c>GetOffset(i, j, k)</c>), a handful by nature. An assumption, not a proof: a caller may pass an
    /// array of any length — stated on the rule pages.
    /// </summary>
    public const int ParamsArrayLength = SmallTripCount;

    /// <summary>Values above this are not tracked: the bound is only useful when small.</summary>
    private const long Unbounded = 1L << 40;

    /// <summary>
    /// The most iterations <paramref name="loop"/> can run, proven from its header, or null when nothing bounds it:
    /// <c>for (… i = lo; i &lt; hi; …)</c> (also <c>&lt;=</c>, a step <c>i++</c> or <c>i += c</c> with <c>c ≥ 1</c>; a start
    /// that is not a constant is taken as at least 0, as indices are) and <c>foreach</c> over an array.
    /// </summary>
    public static long? Of(ILoopOperation loop)
    {
        // Asked of one loop by its screen, its model, the models and screens of the loops around it and the nest: kept per loop.
        var facts = LoopFacts.Of(loop);
        return (Volatile.Read(ref facts.TripBound) ?? FunctionFacts.Publish(ref facts.TripBound, new StrongBox<long?>(Compute(loop)))).Value;
    }

    private static long? Compute(ILoopOperation loop)
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

            case IForLoopOperation forLoop:
                return ConstantSpan(forLoop);

            default:
                return null;
        }
    }

    /// <summary>
    /// A <c>for</c> loop from a constant to a constant in either direction (<c>for (int k = 8; k &gt; 0; k--)</c>): the
    /// distance between them; null for any other header.
    /// </summary>
    private static long? ConstantSpan(IForLoopOperation forLoop)
    {
        if (forLoop.Condition is not IBinaryOperation condition
            || InductionOf(forLoop) is not { } induction
            || induction.GetVariableInitializer()?.Value.ConstantValue is not { HasValue: true } start
            || !LoopHeader.TryToLong(start.Value, out var first)
            || condition.RightOperand.ConstantValue is not { HasValue: true } end
            || !LoopHeader.TryToLong(end.Value, out var last)
            || condition.LeftOperand.UnwrapConversions() is not ILocalReferenceOperation { Local: { } variable }
            || !SymbolEqualityComparer.Default.Equals(variable, induction.Symbol)
            || condition.OperatorKind is not (BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals))
        {
            return null;
        }

        var inclusive = condition.OperatorKind is BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThanOrEqual;
        return System.Math.Min(System.Math.Abs(last - first) + (inclusive ? 1 : 0), Unbounded);
    }

    /// <summary>
    /// <c>for (…; x &lt; c; …)</c> (or <c>&lt;=</c>) with a constant <c>c</c> of at most <see cref="SmallTripCount"/>, whatever
    /// the loop variable: the cheap test the CPU-work estimate has always made (<see cref="CpuWork.IsTriviallySmall"/>).
    /// </summary>
    private static bool HasSmallConstantBound(ILoopOperation loop)
        => loop is IForLoopOperation { Condition: IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition }
           && condition.RightOperand.ConstantValue is { HasValue: true, Value: int bound }
           && bound <= SmallTripCount;

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

    /// <summary>
    /// True when <paramref name="loop"/> runs at most <see cref="SmallTripCount"/> times: proven from its header
    /// (<see cref="Of"/>), or a constant bound of at most that much. The one test of "small" that the loop model, the
    /// cost of a body, the loop nests and the CPU-work estimate share.
    /// </summary>
    public static bool IsSmall(ILoopOperation loop) => HasSmallConstantBound(loop) || (Of(loop) is { } bound && bound <= SmallTripCount);

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
                when local.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64:
                // The initializer's bound first: most are unbounded, and then the local's scope need not be searched for writes.
                var fromValue = SingleAssignment.DeclaredValue(local, reference) is { } initial && MaxValue(initial, depth + 1) is { } initialMax
                                && !SingleAssignment.IsReassigned(local)
                    ? initialMax
                    : (long?)null;
                return Smaller(fromValue, GuardedMax(local, reference));

            case IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter } reference
                when parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64:
                return GuardedMax(parameter, reference);

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

    private static long? Smaller(long? a, long? b) => a is null ? b : b is null ? a : System.Math.Min(a.Value, b.Value);

    /// <summary>
    /// The largest value of <paramref name="variable"/> at <paramref name="reference"/> when the reference sits in the
    /// <c>then</c> branch of an <c>if</c> (or the true arm of a conditional) whose condition — or one of its
    /// <c>&amp;&amp;</c> parts — is <c>variable &lt; c</c> or <c>variable &lt;= c</c> with a constant <c>c</c>
    /// (<c>if (k &lt; 20) { for (i = 2; i &lt;= k; i++) … }</c>), and the function never writes the variable after its
    /// declaration; else null. The else branch never reaches the reference, so no other path does.
    /// </summary>
    private static long? GuardedMax(ISymbol variable, IOperation reference)
    {
        long? best = null;
        var written = (bool?)null;
        for (IOperation child = reference, current = reference.Parent!; current is not null; child = current, current = current.Parent!)
        {
            if (current is not IConditionalOperation conditional || conditional.WhenTrue != child)
            {
                continue;
            }

            var pending = new Stack<IOperation>();
            pending.Push(conditional.Condition);
            while (pending.Count > 0)
            {
                switch (pending.Pop().UnwrapConversions())
                {
                    case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                        pending.Push(and.LeftOperand);
                        pending.Push(and.RightOperand);
                        break;
                    case IBinaryOperation { OperatorMethod: null } compare when UpperLimit(compare, variable) is { } limit:
                        written ??= Common.IndexArithmetic.Of(reference).IsWrittenAfterDeclaration(variable);
                        if (written == true)
                        {
                            return null;
                        }

                        best = Smaller(best, limit);
                        break;
                }
            }
        }

        return best;
    }

    /// <summary>The bound <c>variable &lt; c</c>, <c>variable &lt;= c</c>, <c>c &gt; variable</c>, <c>c &gt;= variable</c> puts on <paramref name="variable"/>.</summary>
    private static long? UpperLimit(IBinaryOperation compare, ISymbol variable)
    {
        static bool Is(IOperation operand, ISymbol variable)
            => operand.UnwrapConversions() switch
            {
                ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
                IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
                _ => false,
            };

        static long? Constant(IOperation operand)
            => operand.ConstantValue is { HasValue: true } value && LoopHeader.TryToLong(value.Value, out var number) ? number : null;

        return compare.OperatorKind switch
        {
            BinaryOperatorKind.LessThan when Is(compare.LeftOperand, variable) => Constant(compare.RightOperand) - 1,
            BinaryOperatorKind.LessThanOrEqual when Is(compare.LeftOperand, variable) => Constant(compare.RightOperand),
            BinaryOperatorKind.GreaterThan when Is(compare.RightOperand, variable) => Constant(compare.LeftOperand) - 1,
            BinaryOperatorKind.GreaterThanOrEqual when Is(compare.RightOperand, variable) => Constant(compare.LeftOperand),
            _ => null,
        };
    }

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

            case IParameterReferenceOperation { Parameter: { IsParams: true, RefKind: RefKind.None } parameter } reference
                when KeepsItsLength(parameter, reference):
                return ParamsArrayLength;

            default:
                return null;
        }
    }

    /// <summary>
    /// A <c>params</c> array the function never assigns, or assigns only a copy of itself
    /// (<c>indices = (long[])indices.Clone()</c>, to change the elements without touching the caller's array): wherever it
    /// is read, it has the length of the argument list.
    /// </summary>
    private static bool KeepsItsLength(IParameterSymbol parameter, IOperation reference)
    {
        var writes = Common.IndexArithmetic.Of(reference);
        if (!writes.IsWrittenAfterDeclaration(parameter))
        {
            return true;
        }

        return writes.ValuesOf(parameter) is { Count: > 0 } values
               && values.All(value => value?.UnwrapAllConversions() is IInvocationOperation
               {
                   TargetMethod: { Name: "Clone", ContainingType.SpecialType: SpecialType.System_Array },
                   Arguments.Length: 0,
                   Instance: { } instance,
               }
               && instance.UnwrapConversions() is IParameterReferenceOperation { Parameter: var cloned }
               && SymbolEqualityComparer.Default.Equals(cloned, parameter));
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
