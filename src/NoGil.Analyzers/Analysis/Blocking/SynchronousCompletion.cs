using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Completion by construction: a call of an <c>async</c> method declared in source (one level deep) whose every
/// <c>await</c> — <c>await x</c>, <c>await foreach</c>, <c>await using</c> — sits under a condition on a parameter
/// that the call's constant argument makes false. Such a method runs to its end without suspending, so the task it
/// returns is complete: the dual-mode pattern <c>DoAsync(buffer, isAsync: false).GetAwaiter().GetResult()</c> over
/// <c>if (isAsync) await s.WriteAsync(b); else s.Write(b);</c>, <c>ct.HasValue ? await … : …</c> with <c>ct: null</c>,
/// or an <c>IOBehavior.Synchronous</c> enum argument.
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
        if (!method.IsAsync || method.IsVirtual || method.IsAbstract || (method.IsOverride && !method.IsSealed && !method.ContainingType.IsSealed)
            || !types.IsTaskLike(method.ReturnType))
        {
            return false;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var awaits = Cache.GetValue(method.OriginalDefinition, CalleeAwaits.Read);
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

        foreach (var awaitGuards in guards)
        {
            var unreachable = false;
            foreach (var (condition, required) in awaitGuards)
            {
                if (Evaluate(condition, arguments, depth: 0) is { } value && value != required)
                {
                    unreachable = true;
                    break;
                }
            }

            if (!unreachable)
            {
                return false;
            }
        }

        return true;
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
        private CalleeAwaits(List<List<(ExpressionSyntax Condition, bool Required)>>? guards, HashSet<string> assigned)
        {
            Guards = guards;
            Assigned = assigned;
        }

        /// <summary>
        /// For each await of the body, the conditions it is reached under (each with the value it needs); null when
        /// some await is unconditional or the body cannot be read.
        /// </summary>
        public List<List<(ExpressionSyntax Condition, bool Required)>>? Guards { get; }

        /// <summary>Parameters the body assigns (or passes by reference): their arguments say nothing.</summary>
        public HashSet<string> Assigned { get; }

        public static CalleeAwaits Read(IMethodSymbol method)
        {
            var assigned = new HashSet<string>();
            var body = method.DeclaringSyntaxReferences
                .Select(reference => reference.GetSyntax() switch
                {
                    BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
                    LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
                    _ => null,
                })
                .FirstOrDefault(node => node is not null);
            if (body is null)
            {
                return new CalleeAwaits(null, assigned);
            }

            var guards = new List<List<(ExpressionSyntax, bool)>>();
            foreach (var node in body.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case GotoStatementSyntax or LabeledStatementSyntax:
                        return new CalleeAwaits(null, assigned);
                    case AssignmentExpressionSyntax { Left: IdentifierNameSyntax target }:
                        assigned.Add(target.Identifier.ValueText);
                        break;
                    case PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target, RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }:
                        assigned.Add(target.Identifier.ValueText);
                        break;
                    case PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax target }:
                        assigned.Add(target.Identifier.ValueText);
                        break;
                    case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax target }:
                        assigned.Add(target.Identifier.ValueText);
                        break;
                }

                if (IsAwait(node))
                {
                    var conditions = ConditionsOf(node, body);
                    if (conditions.Count == 0)
                    {
                        return new CalleeAwaits(null, assigned);
                    }

                    guards.Add(conditions);
                }
            }

            return new CalleeAwaits(guards, assigned);
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
