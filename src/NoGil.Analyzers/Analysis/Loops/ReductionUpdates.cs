namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Recognizes one write of an outer variable as a reduction update: <c>s += e</c> (and the other compound operators),
/// <c>s = s + e</c>, <c>s++</c>, <c>s = Math.Max(s, e)</c>, <c>if (e &gt; s) s = e</c>, each also under an
/// <c>if</c> without <c>else</c> whose condition does not read <c>s</c>.
/// </summary>
internal static class ReductionUpdates
{
    /// <summary>The update that <paramref name="writer"/> (a write of <paramref name="variable"/>) performs, or null when it is not one.</summary>
    public static LoopReduction? Recognize(ISymbol variable, IOperation writer)
    {
        if (FindUpdate(variable, writer) is not { } site)
        {
            return null;
        }

        // Compare form: if (e > s) s = e;  if (s < e) s = e;  (and the min twins)
        if (site.Condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.GreaterThan or BinaryOperatorKind.LessThan } compare
            && writer is ISimpleAssignmentOperation compareAssign)
        {
            return RecognizeCompare(site, compare, compareAssign);
        }

        if (site.Mentions(site.Condition))
        {
            return null;
        }

        return writer switch
        {
            IIncrementOrDecrementOperation increment => site.Make(ReductionOperator.Add, null, increment.Kind == OperationKind.Decrement),
            ICompoundAssignmentOperation compound when !site.Mentions(compound.Value)
                => TryFold(compound.OperatorKind, out var op, out var negated) ? site.Make(op, compound.Value, negated) : null,
            ISimpleAssignmentOperation assignment => RecognizeAssignment(site, assignment.Value.UnwrapConversions()),
            _ => null,
        };
    }

    /// <summary>
    /// The statement holding the write, and an optional enclosing <c>if</c> without <c>else</c> whose only statement it is;
    /// null when the write is not a statement of its own, or the variable's type is neither a special type (a primitive,
    /// <c>string</c>, <c>object</c> …) nor an enum.
    /// </summary>
    private static UpdateSite? FindUpdate(ISymbol variable, IOperation writer)
    {
        if (writer.Parent is not IExpressionStatementOperation statement)
        {
            return null;
        }

        IOperation update = statement;
        IOperation? condition = null;
        var container = statement.Parent is IBlockOperation { Operations.Length: 1 } single ? single.Parent : statement.Parent;
        if (container is IConditionalOperation { WhenFalse: null } conditional && conditional.Parent is not null)
        {
            update = conditional;
            condition = conditional.Condition;
        }

        var type = variable switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => null };
        if (type is null || type.SpecialType is SpecialType.None && type.TypeKind != TypeKind.Enum)
        {
            return null;
        }

        return new UpdateSite(variable, update, condition, type);
    }

    /// <summary><c>if (e &gt; s) s = e;</c> and its twins: the compared value is the assigned one, free of side effects.</summary>
    private static LoopReduction? RecognizeCompare(UpdateSite site, IBinaryOperation compare, ISimpleAssignmentOperation assignment)
    {
        if (!site.TryGetOtherOperand(compare.LeftOperand, compare.RightOperand, out var other, out var leftIsVar)
            || !Equivalent(other, assignment.Value) || HasSideEffects(other))
        {
            return null;
        }

        var isMax = (compare.OperatorKind == BinaryOperatorKind.GreaterThan) ^ leftIsVar;
        return site.Make(isMax ? ReductionOperator.CompareMax : ReductionOperator.CompareMin, assignment.Value, negated: false);
    }

    /// <summary><c>s = s op e</c> (<c>s = e op s</c> for the commutative operators) and <c>s = Math.Max(s, e)</c>/<c>Min</c>.</summary>
    private static LoopReduction? RecognizeAssignment(UpdateSite site, IOperation value)
    {
        if (value is IBinaryOperation binary)
        {
            return site.TryGetOtherOperand(binary.LeftOperand, binary.RightOperand, out var operand, out var leftIsVar)
                   && TryFold(binary.OperatorKind, out var op, out var negated) && (!negated || leftIsVar)
                ? site.Make(op, operand, negated)
                : null;
        }

        if (value is IInvocationOperation { TargetMethod: { Name: "Max" or "Min", ContainingType.Name: "Math" or "MathF" } method, Arguments.Length: 2 } call
            && NamespaceName.Of(method) == "System"
            && site.TryGetOtherOperand(call.Arguments[0].Value, call.Arguments[1].Value, out var other, out _))
        {
            return site.Make(method.Name == "Max" ? ReductionOperator.MathMax : ReductionOperator.MathMin, other, negated: false);
        }

        return null;
    }

    /// <summary>The fold of a compound or binary operator: <c>-</c> is an addition of the negated value.</summary>
    private static bool TryFold(BinaryOperatorKind kind, out ReductionOperator op, out bool negated)
    {
        negated = kind == BinaryOperatorKind.Subtract;
        switch (kind)
        {
            case BinaryOperatorKind.Add or BinaryOperatorKind.Subtract: op = ReductionOperator.Add; return true;
            case BinaryOperatorKind.Multiply: op = ReductionOperator.Multiply; return true;
            case BinaryOperatorKind.And: op = ReductionOperator.And; return true;
            case BinaryOperatorKind.Or: op = ReductionOperator.Or; return true;
            case BinaryOperatorKind.ExclusiveOr: op = ReductionOperator.Xor; return true;
            default: op = default; return false;
        }
    }

    private static bool Equivalent(IOperation a, IOperation b)
        => SyntaxFactory.AreEquivalent(a.UnwrapConversions().Syntax, b.UnwrapConversions().Syntax);

    private static bool HasSideEffects(IOperation operation)
        => operation.DescendantsAndSelf().Any(o => o is IInvocationOperation or IAssignmentOperation or IIncrementOrDecrementOperation);

    /// <summary>Where an outer variable is updated: the statement (or <c>if</c>) and its condition.</summary>
    private sealed class UpdateSite
    {
        private readonly ISymbol _variable;
        private readonly IOperation _update;
        private readonly ITypeSymbol _type;

        public UpdateSite(ISymbol variable, IOperation update, IOperation? condition, ITypeSymbol type)
        {
            _variable = variable;
            _update = update;
            Condition = condition;
            _type = type;
        }

        public IOperation? Condition { get; }

        public LoopReduction Make(ReductionOperator op, IOperation? value, bool negated)
            => new(_variable as ILocalSymbol, _variable as IParameterSymbol, op, _update, value, Condition, negated, _type);

        /// <summary><paramref name="operation"/> reads or writes the variable.</summary>
        public bool Mentions(IOperation? operation)
            => operation is not null && operation.DescendantsAndSelf().Any(o => IsVariable(o) && o is ILocalReferenceOperation or IParameterReferenceOperation);

        /// <summary>Exactly one of <paramref name="first"/> and <paramref name="second"/> is the variable, and the other does not mention it.</summary>
        public bool TryGetOtherOperand(IOperation first, IOperation second, out IOperation other, out bool firstIsVariable)
        {
            firstIsVariable = IsVariable(first);
            other = firstIsVariable ? second : first;
            return firstIsVariable != IsVariable(second) && !Mentions(other);
        }

        private bool IsVariable(IOperation operation) => SymbolEqualityComparer.Default.Equals(WriteTargets.SymbolOf(operation), _variable);
    }
}
