using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Completion by construction: a call of a method declared in source whose task is complete when the call returns.
/// Either the callee is <c>async</c> and its every <c>await</c> — <c>await x</c>, <c>await foreach</c>,
/// <c>await using</c> — sits under a condition on a parameter that the call's constant argument makes false (the
/// dual-mode pattern <c>DoAsync(buffer, isAsync: false).GetAwaiter().GetResult()</c> over
/// <c>if (isAsync) await s.WriteAsync(b); else s.Write(b);</c>, <c>ct.HasValue ? await … : …</c> with <c>ct: null</c>),
/// or awaits a call it hands the synchronous mode on to; or the call selects the synchronous mode of the library's own
/// dual-mode convention (<c>ExecuteAsync(IOBehavior.Synchronous)</c>, <c>ReadAsync(buffer, async: false)</c>) — then a
/// task-returning callee that reads its mode parameter is trusted to follow it however deep the mode is handed on, the
/// way the library's own synchronous API relies on it.
/// </summary>
/// <remarks>
/// "Under a condition": the await is in the branch of an <c>if</c>, <c>?:</c>, <c>&amp;&amp;</c> or <c>||</c> that the
/// condition selects, or follows an <c>if (condition) { …; return; }</c> in an enclosing block. Conditions read are
/// a parameter (<c>isAsync</c>, <c>!isAsync</c>), <c>p.HasValue</c>, <c>p == null</c>/<c>p is null</c> (and the
/// negations), <c>p == E.Member</c>/<c>p != E.Member</c>/<c>p is E.Member</c> on an enum parameter, and their
/// combinations with <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>. The callee is read once (its syntax only) and the reading cached;
/// a callee that assigns the parameter, uses <c>goto</c>, or is virtual is never proven.
/// </remarks>
internal static class SynchronousCompletion
{
    private static readonly ConditionalWeakTable<IMethodSymbol, CalleeAwaits> Cache = new();

    /// <summary>True when <paramref name="call"/> returns a task that is complete when the call returns.</summary>
    public static bool IsCompleteByConstruction(IInvocationOperation call, KnownTypes types, CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        if (method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed)
            || !types.IsTaskLike(method.ReturnType) || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        var mode = SynchronousModeParameter(call);
        if (!method.IsAsync && mode is null)
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var awaits = Cache.GetValue(method.OriginalDefinition, CalleeAwaits.Read);
        if (mode is not null && awaits.Assigned.Contains(mode))
        {
            mode = null;
        }

        if (!method.IsAsync)
        {
            // A task-returning method of the library's own dual-mode convention that reads its mode parameter.
            return mode is not null && awaits.Mentioned.Contains(mode);
        }

        if (awaits.Guards is not { } guards)
        {
            return false;
        }

        var arguments = new Dictionary<string, (IParameterSymbol Parameter, IOperation Value)>();
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter && !awaits.Assigned.Contains(parameter.Name))
            {
                arguments[parameter.Name] = (parameter, argument.Value);
            }
        }

        foreach (var (conditions, forwarded) in guards)
        {
            var unreachable = false;
            foreach (var (condition, required) in conditions)
            {
                if (Evaluate(condition, arguments, depth: 0) is { } value && value != required)
                {
                    unreachable = true;
                    break;
                }
            }

            // An await that hands the synchronous mode on to the call it awaits completes synchronously by the same convention.
            if (!unreachable && (mode is null || !forwarded.Contains(mode)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The parameter through which <paramref name="call"/> selects the synchronous mode of a dual-mode method: a mode
    /// parameter (<see cref="ModeParameter"/>) given its synchronous value as a constant. Null when the call names no such mode.
    /// </summary>
    private static string? SynchronousModeParameter(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } parameter
                && argument.Value.UnwrapAllConversions().ConstantValue is { HasValue: true, Value: { } value }
                && ModeParameter.SelectsSynchronousMode(parameter, value))
            {
                return parameter.Name;
            }
        }

        return null;
    }

    /// <summary>The value of <paramref name="condition"/> given the constant arguments; null when unknown.</summary>
    private static bool? Evaluate(ExpressionSyntax condition, Dictionary<string, (IParameterSymbol Parameter, IOperation Value)> arguments, int depth)
    {
        if (depth > 16)
        {
            return null;
        }

        switch (condition)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Evaluate(parenthesized.Expression, arguments, depth + 1);

            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression } not:
                return Evaluate(not.Operand, arguments, depth + 1) is { } operand ? !operand : null;

            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and:
            {
                var left = Evaluate(and.Left, arguments, depth + 1);
                var right = Evaluate(and.Right, arguments, depth + 1);
                return left == false || right == false ? false : left == true && right == true ? true : null;
            }

            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } or:
            {
                var left = Evaluate(or.Left, arguments, depth + 1);
                var right = Evaluate(or.Right, arguments, depth + 1);
                return left == true || right == true ? true : left == false && right == false ? false : null;
            }

            case IdentifierNameSyntax name:
                return ArgumentOf(name, arguments) is { } argument && argument.Value.UnwrapAllConversions().ConstantValue is { HasValue: true, Value: bool flag }
                    ? flag
                    : null;

            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "HasValue", Expression: IdentifierNameSyntax nullable }:
                return IsNull(ArgumentOf(nullable, arguments)) is { } isNull ? !isNull : null;

            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression } equality:
                return AreEqual(equality.Left, equality.Right, arguments) is { } equal
                    ? equal == equality.IsKind(SyntaxKind.EqualsExpression)
                    : null;

            case IsPatternExpressionSyntax isPattern:
                return Matches(isPattern.Expression, isPattern.Pattern, arguments, depth + 1);

            default:
                return null;
        }
    }

    private static bool? Matches(ExpressionSyntax value, PatternSyntax pattern, Dictionary<string, (IParameterSymbol Parameter, IOperation Value)> arguments, int depth)
        => pattern switch
        {
            ConstantPatternSyntax constant => AreEqual(value, constant.Expression, arguments),
            UnaryPatternSyntax { RawKind: (int)SyntaxKind.NotPattern } not => Matches(value, not.Pattern, arguments, depth + 1) is { } inner ? !inner : null,
            ParenthesizedPatternSyntax parenthesized => Matches(value, parenthesized.Pattern, arguments, depth + 1),
            _ => null,
        };

    /// <summary><c>p == null</c>, <c>p == E.Member</c>, <c>p == true</c> (either side): null when unknown.</summary>
    private static bool? AreEqual(ExpressionSyntax left, ExpressionSyntax right, Dictionary<string, (IParameterSymbol Parameter, IOperation Value)> arguments)
    {
        if (left is not IdentifierNameSyntax)
        {
            (left, right) = (right, left);
        }

        if (left is not IdentifierNameSyntax name || ArgumentOf(name, arguments) is not { } argument)
        {
            return null;
        }

        switch (right)
        {
            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression }:
                return IsNull(argument);

            case LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression or (int)SyntaxKind.FalseLiteralExpression } literal:
                return argument.Value.UnwrapAllConversions().ConstantValue is { HasValue: true, Value: bool flag }
                    ? flag == literal.IsKind(SyntaxKind.TrueLiteralExpression)
                    : null;

            case MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member }
                when argument.Parameter.Type.TypeKind == TypeKind.Enum
                     && argument.Value.ConstantValue is { HasValue: true, Value: { } actual }
                     && argument.Parameter.Type.GetMembers(member.Identifier.ValueText).OfType<IFieldSymbol>().FirstOrDefault() is { HasConstantValue: true } field:
                return object.Equals(actual, field.ConstantValue);

            default:
                return null;
        }
    }

    private static (IParameterSymbol Parameter, IOperation Value)? ArgumentOf(IdentifierNameSyntax name, Dictionary<string, (IParameterSymbol Parameter, IOperation Value)> arguments)
        => arguments.TryGetValue(name.Identifier.ValueText, out var argument) ? argument : null;

    /// <summary>Whether a nullable argument is <c>null</c>/<c>default</c> (true), a value (false), or unknown.</summary>
    private static bool? IsNull((IParameterSymbol Parameter, IOperation Value)? argument)
    {
        if (argument is not { } known || known.Parameter.Type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        {
            return null;
        }

        var value = known.Value;
        if (value.UnwrapAllConversions() is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation)
        {
            return true;
        }

        return value is IConversionOperation { Operand.Type: { IsValueType: true } operandType } && operandType.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
            ? false
            : null;
    }

    /// <summary>What one callee's body says about its awaits, read from its syntax once.</summary>
    private sealed class CalleeAwaits
    {
        private CalleeAwaits(List<(List<(ExpressionSyntax Condition, bool Required)> Conditions, HashSet<string> Forwarded)>? guards, HashSet<string> assigned, HashSet<string> mentioned)
        {
            Guards = guards;
            Assigned = assigned;
            Mentioned = mentioned;
        }

        /// <summary>
        /// For each await of the body, the conditions it is reached under (each with the value it needs) and the names
        /// the awaited call is given as arguments; null when some await is unconditional and hands nothing on, or the
        /// body cannot be read.
        /// </summary>
        public List<(List<(ExpressionSyntax Condition, bool Required)> Conditions, HashSet<string> Forwarded)>? Guards { get; }

        /// <summary>Every identifier the body names.</summary>
        public HashSet<string> Mentioned { get; }

        /// <summary>Parameters the body assigns (or passes by reference): their arguments say nothing.</summary>
        public HashSet<string> Assigned { get; }

        public static CalleeAwaits Read(IMethodSymbol method)
        {
            var assigned = new HashSet<string>();
            var mentioned = new HashSet<string>();
            var body = method.DeclaringSyntaxReferences
                .Select(reference => SyntaxShapes.BodyOf(reference.GetSyntax()))
                .FirstOrDefault(node => node is not null);
            if (body is null)
            {
                return new CalleeAwaits(null, assigned, mentioned);
            }

            var guards = new List<(List<(ExpressionSyntax, bool)>, HashSet<string>)>();
            foreach (var node in body.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case GotoStatementSyntax or LabeledStatementSyntax:
                        return new CalleeAwaits(null, assigned, mentioned);
                    case IdentifierNameSyntax identifier:
                        mentioned.Add(identifier.Identifier.ValueText);
                        break;
                    case var other when SingleAssignment.WrittenName(other) is { } written:
                        assigned.Add(written);
                        break;
                }

                if (IsAwait(node))
                {
                    var conditions = ConditionsOf(node, body);
                    var forwarded = ForwardedNames(node);
                    if (conditions.Count == 0 && forwarded.Count == 0)
                    {
                        return new CalleeAwaits(null, assigned, mentioned);
                    }

                    guards.Add((conditions, forwarded));
                }
            }

            return new CalleeAwaits(guards, assigned, mentioned);
        }

        /// <summary>
        /// The names an awaited call is given as arguments (<c>await ReadAsync(buffer, ioBehavior, ct).ConfigureAwait(false)</c>
        /// gives buffer, ioBehavior, ct); empty for any other await.
        /// </summary>
        private static HashSet<string> ForwardedNames(SyntaxNode node)
        {
            var names = new HashSet<string>();
            var awaited = node is AwaitExpressionSyntax awaitExpression ? awaitExpression.Expression : null;
            while (true)
            {
                switch (awaited)
                {
                    case ParenthesizedExpressionSyntax parenthesized:
                        awaited = parenthesized.Expression;
                        continue;
                    case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" or "AsTask" } access }:
                        awaited = access.Expression;
                        continue;
                    case InvocationExpressionSyntax invocation:
                        foreach (var argument in invocation.ArgumentList.Arguments)
                        {
                            if (argument.Expression is IdentifierNameSyntax name && argument.RefKindKeyword.RawKind == 0)
                            {
                                names.Add(name.Identifier.ValueText);
                            }
                        }

                        return names;
                    default:
                        return names;
                }
            }
        }

        private static bool IsAwait(SyntaxNode node)
            => node switch
            {
                AwaitExpressionSyntax => true,
                CommonForEachStatementSyntax loop => loop.AwaitKeyword.RawKind != 0,
                UsingStatementSyntax @using => @using.AwaitKeyword.RawKind != 0,
                LocalDeclarationStatementSyntax declaration => declaration.AwaitKeyword.RawKind != 0,
                _ => false,
            };

        /// <summary>The conditions under which control reaches <paramref name="node"/>, each with the value it needs.</summary>
        private static List<(ExpressionSyntax, bool)> ConditionsOf(SyntaxNode node, SyntaxNode body)
        {
            var conditions = new List<(ExpressionSyntax, bool)>();
            for (SyntaxNode child = node, parent = node.Parent!; child != body && parent is not null; child = parent, parent = parent.Parent!)
            {
                switch (parent)
                {
                    case IfStatementSyntax ifStatement when child == ifStatement.Statement:
                        conditions.Add((ifStatement.Condition, true));
                        break;
                    case IfStatementSyntax ifStatement when child == ifStatement.Else:
                        conditions.Add((ifStatement.Condition, false));
                        break;
                    case ConditionalExpressionSyntax conditional when child == conditional.WhenTrue:
                        conditions.Add((conditional.Condition, true));
                        break;
                    case ConditionalExpressionSyntax conditional when child == conditional.WhenFalse:
                        conditions.Add((conditional.Condition, false));
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } andAlso when child == andAlso.Right:
                        conditions.Add((andAlso.Left, true));
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } orElse when child == orElse.Right:
                        conditions.Add((orElse.Left, false));
                        break;
                    case BlockSyntax block when child is StatementSyntax statement:
                        foreach (var earlier in block.Statements)
                        {
                            if (earlier == statement)
                            {
                                break;
                            }

                            if (earlier is IfStatementSyntax { Else: null } exit && AlwaysExits(exit.Statement))
                            {
                                conditions.Add((exit.Condition, false));
                            }
                        }

                        break;
                }
            }

            return conditions;
        }

        /// <summary><c>return …;</c>, <c>throw …;</c>, or a block that ends in one and jumps nowhere else.</summary>
        private static bool AlwaysExits(StatementSyntax statement)
            => statement switch
            {
                ReturnStatementSyntax or ThrowStatementSyntax => true,
                BlockSyntax { Statements: { Count: > 0 } statements } block
                    => statements[statements.Count - 1] is ReturnStatementSyntax or ThrowStatementSyntax
                       && !block.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                           .Any(static n => n is BreakStatementSyntax or ContinueStatementSyntax or YieldStatementSyntax),
                _ => false,
            };
    }
}
