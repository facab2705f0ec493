using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using NoGil.Analyzers.Analysis.Blocking;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Infrastructure;

/// <summary>Turns a blocking wait into the equivalent <c>await</c> expression.</summary>
internal static class AwaitRewriter
{
    /// <summary>
    /// The expression that replaces <paramref name="wait"/>'s syntax, parenthesized where the context needs it,
    /// or null when the wait has no faithful <c>await</c> form.
    /// </summary>
    public static ExpressionSyntax? CreateReplacement(BlockingWait wait)
        => wait.Operation.Syntax is ExpressionSyntax node && CreateRewrite(wait) is { } rewrite ? rewrite(node) : null;

    /// <summary>
    /// A function that rewrites the wait's syntax — or a copy of it in which nested nodes were already
    /// rewritten — into its <c>await</c> form; null when the wait has no faithful <c>await</c> form.
    /// </summary>
    public static Func<ExpressionSyntax, ExpressionSyntax?>? CreateRewrite(BlockingWait wait)
    {
        var original = wait.Operation.Syntax as ExpressionSyntax;
        if (original is null || BlockingWaitScanner.IsAwaitForbiddenAt(original) || Awaited(original, wait.Kind) is null)
        {
            return null;
        }

        if (wait.ReturnsCompletionFlag && !IsValueDiscarded(original))
        {
            // `if (t.Wait(-1))`: the bool result (always true) has no await form.
            return null;
        }

        ExpressionSyntax? indexSource = null;
        var needsIndex = wait.Kind == BlockingWaitKind.WaitAny && !IsValueDiscarded(original);
        if (needsIndex)
        {
            // WaitAny returns an index; WhenAny returns the task. Recover the index from the same tasks.
            indexSource = IndexSource((IInvocationOperation)wait.Operation);
            if (indexSource is null)
            {
                return null;
            }
        }

        var parenthesize = NeedsParentheses(original);
        return current =>
        {
            if (Awaited(current, wait.Kind) is not { } awaited)
            {
                return null;
            }

            ExpressionSyntax replacement = AwaitExpression(awaited.WithoutTrivia());
            if (indexSource is not null)
            {
                replacement = InvocationExpression(
                    MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        ParseExpression("System.Array").WithAdditionalAnnotations(Simplifier.Annotation),
                        IdentifierName("IndexOf")),
                    ArgumentList(SeparatedList(new[] { Argument(indexSource), Argument(replacement) })));
            }
            else if (parenthesize)
            {
                replacement = ParenthesizedExpression(replacement);
            }

            return replacement.WithTriviaFrom(current);
        };
    }

    private static ExpressionSyntax? Awaited(ExpressionSyntax node, BlockingWaitKind kind)
        => kind switch
        {
            BlockingWaitKind.Result => (node as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.Wait => ((node as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.GetResult => ((((node as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression
                as InvocationExpressionSyntax)?.Expression as MemberAccessExpressionSyntax)?.Expression,
            BlockingWaitKind.WaitAll => RenameInvocation(node, "WhenAll"),
            BlockingWaitKind.WaitAny => RenameInvocation(node, "WhenAny"),
            _ => null,
        };

    private static ExpressionSyntax? RenameInvocation(ExpressionSyntax node, string newName)
    {
        if (node is not InvocationExpressionSyntax invocation)
        {
            return null;
        }

        ExpressionSyntax? expression = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.WithName(IdentifierName(newName).WithTriviaFrom(access.Name)),
            IdentifierNameSyntax name => IdentifierName(newName).WithTriviaFrom(name),
            _ => null,
        };

        return expression is null ? null : invocation.WithExpression(expression);
    }

    /// <summary>The tasks of a WaitAny call as an expression that can be evaluated a second time without side effects.</summary>
    private static ExpressionSyntax? IndexSource(IInvocationOperation invocation)
    {
        if (invocation.Arguments.Length != 1)
        {
            return null;
        }

        var argument = invocation.Arguments[0];
        if (argument.ArgumentKind == ArgumentKind.ParamArray
            && argument.Value is IArrayCreationOperation { Initializer: { } initializer }
            && initializer.ElementValues.All(e => IsStableReference(e)))
        {
            var elementType = ((IArrayTypeSymbol)argument.Value.Type!).ElementType;
            var type = ParseTypeName(elementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).WithAdditionalAnnotations(Simplifier.Annotation);
            return ArrayCreationExpression(
                ArrayType(type, SingletonList(ArrayRankSpecifier(SingletonSeparatedList<ExpressionSyntax>(OmittedArraySizeExpression())))),
                InitializerExpression(
                    SyntaxKind.ArrayInitializerExpression,
                    SeparatedList(initializer.ElementValues.Select(e => ((ExpressionSyntax)e.Syntax).WithoutTrivia()))));
        }

        if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Value.Type is IArrayTypeSymbol && IsStableReference(argument.Value))
        {
            return ((ExpressionSyntax)argument.Value.Syntax).WithoutTrivia();
        }

        return null;
    }

    /// <summary>A local, parameter or field read: evaluating it twice gives the same value.</summary>
    private static bool IsStableReference(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation || IsStableReference(field.Instance),
            _ => false,
        };
    }

    private static bool IsValueDiscarded(SyntaxNode node)
        => node.Parent is ExpressionStatementSyntax
           || (node.Parent is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } assignment
               && assignment.Parent is ExpressionStatementSyntax);

    /// <summary>
    /// True when an <c>await</c> expression put in place of <paramref name="node"/> must be parenthesized:
    /// <c>await</c> is a unary operator, so only primary-expression positions (receiver of a member access,
    /// invocation, element access, null-conditional access or postfix operator) need parentheses.
    /// </summary>
    public static bool NeedsParentheses(SyntaxNode node)
        => node.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression == node,
            ConditionalAccessExpressionSyntax conditional => conditional.Expression == node,
            ElementAccessExpressionSyntax element => element.Expression == node,
            InvocationExpressionSyntax invocation => invocation.Expression == node,
            PostfixUnaryExpressionSyntax => true,
            _ => false,
        };

    /// <summary>
    /// True when <paramref name="node"/> fills a whole expression slot (a statement, initializer, argument, return
    /// value, lambda or arrow body, right side of an assignment…), so any expression can replace it unparenthesized.
    /// </summary>
    public static bool FillsExpressionSlot(SyntaxNode node)
        => node.Parent switch
        {
            ExpressionStatementSyntax or EqualsValueClauseSyntax or ArgumentSyntax or ReturnStatementSyntax
                or ArrowExpressionClauseSyntax or LambdaExpressionSyntax or ParenthesizedExpressionSyntax
                or InitializerExpressionSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or YieldStatementSyntax
                or AnonymousObjectMemberDeclaratorSyntax => true,
            AssignmentExpressionSyntax assignment => assignment.Right == node,
            _ => false,
        };

    /// <summary>The innermost function-like syntax containing <paramref name="node"/>.</summary>
    public static SyntaxNode? EnclosingFunction(SyntaxNode node)
        => node.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
            or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax or PropertyDeclarationSyntax or IndexerDeclarationSyntax);
}
