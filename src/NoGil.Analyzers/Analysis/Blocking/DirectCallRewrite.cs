namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>How NOGIL204's "Call the work directly" replaces <c>Task.Run(work).Result</c>.</summary>
public enum DirectCallShape
{
    /// <summary><c>Task.Run(F).Result</c> becomes <c>F()</c>.</summary>
    CallMethodGroup,

    /// <summary><c>Task.Run(() =&gt; expr).Result</c> (or a lambda that only returns <c>expr</c>) becomes <c>expr</c>.</summary>
    InlineExpression,

    /// <summary><c>Task.Run(() =&gt; { … }).Wait();</c> becomes the lambda's statements.</summary>
    InlineStatements,
}

/// <summary>
/// NOGIL204 case A's fix, decided once: the blocked offload is replaced by the work itself — where that cannot change
/// what the code means (the value keeps its type, no name the work declares clashes with the member's, statements
/// move only from a lambda that returns nothing and declares no label). Null where no such form exists.
/// </summary>
public sealed class DirectCallRewrite
{
    private DirectCallRewrite(ExpressionSyntax wait, DirectCallShape shape, ExpressionSyntax? expression, BlockSyntax? block)
    {
        Wait = wait;
        Shape = shape;
        Expression = expression;
        Block = block;
    }

    /// <summary>The whole blocking expression, <c>Task.Run(…).Result</c>.</summary>
    public ExpressionSyntax Wait { get; }

    public DirectCallShape Shape { get; }

    /// <summary>The method group to call, or the expression to inline.</summary>
    public ExpressionSyntax? Expression { get; }

    /// <summary>For <see cref="DirectCallShape.InlineStatements"/>: the lambda's block, whose statements replace the wait's statement.</summary>
    public BlockSyntax? Block { get; }

    /// <summary>For <see cref="DirectCallShape.InlineStatements"/>: the statement the block replaces.</summary>
    public ExpressionStatementSyntax? Statement => Wait.Parent as ExpressionStatementSyntax;

    /// <summary>The rewrite of the blocked offload whose wait is at <paramref name="node"/> (the fixer's entry point).</summary>
    public static DirectCallRewrite? Find(SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
        => node is ExpressionSyntax && model.GetOperation(node, cancellationToken) is { } operation
           && BlockedOffload.TryCreateFromWait(operation, types) is { } blocked
            ? TryCreate(blocked)
            : null;

    public static DirectCallRewrite? TryCreate(BlockedOffload blocked)
    {
        if (blocked.Wait.Operation.Syntax is not ExpressionSyntax waitSyntax)
        {
            return null;
        }

        var offload = blocked.Offload;
        var valueUsed = blocked.Wait.Kind == BlockingWaitKind.Result
                        || (blocked.Wait.Kind == BlockingWaitKind.GetResult && offload.ResultType is not null && waitSyntax.Parent is not ExpressionStatementSyntax);
        if (offload.MethodGroup is { } group)
        {
            return (offload.ResultType is null || SymbolEqualityComparer.Default.Equals(group.Method.ReturnType, offload.ResultType))
                   && group.Syntax is ExpressionSyntax groupSyntax
                ? new DirectCallRewrite(waitSyntax, DirectCallShape.CallMethodGroup, groupSyntax, null)
                : null;
        }

        if (offload.Lambda is not { Syntax: LambdaExpressionSyntax lambdaSyntax } lambda)
        {
            return null;
        }

        var returned = lambdaSyntax.ExpressionBody
                       ?? (lambdaSyntax.Block is { Statements: { Count: 1 } statements } && statements[0] is ReturnStatementSyntax { Expression: { } value } ? value : null);
        if (returned is not null)
        {
            // An expression body's conversion matters only when there is a result; a returned value's always does.
            var converts = (offload.ResultType is not null || lambdaSyntax.ExpressionBody is null) && ReturnConverts(lambda);
            return converts || (!valueUsed && !SyntaxShapes.IsStatementExpression(returned)) || !CanDeclareHere(returned, waitSyntax, lambdaSyntax)
                ? null
                : new DirectCallRewrite(waitSyntax, DirectCallShape.InlineExpression, returned, null);
        }

        // A void wait on a statement block: inline the statements where that cannot change their meaning.
        return lambdaSyntax.Block is { } block && !valueUsed && waitSyntax.Parent is ExpressionStatementSyntax statement && CanInline(block, statement, lambdaSyntax)
            ? new DirectCallRewrite(waitSyntax, DirectCallShape.InlineStatements, null, block)
            : null;
    }

    /// <summary>True when the lambda's returned value is converted to the delegate's result type (so the bare expression has another type).</summary>
    private static bool ReturnConverts(IAnonymousFunctionOperation lambda)
    {
        foreach (var operation in lambda.Body.Descendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } value } && !operation.IsInNestedFunction(lambda))
            {
                if (value is IConversionOperation { IsImplicit: true } conversion && !conversion.Conversion.IsIdentity)
                {
                    return true;
                }

                if (value.Type is null)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Inlining is safe when the block returns nothing, declares no label, and none of its locals shares a name with
    /// anything written in the enclosing member (a later or outer local would clash, a field would be shadowed).
    /// </summary>
    private static bool CanInline(BlockSyntax block, StatementSyntax statement, LambdaExpressionSyntax lambda)
    {
        foreach (var descendant in block.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax || n == block))
        {
            switch (descendant)
            {
                case ReturnStatementSyntax:
                case LabeledStatementSyntax:
                case YieldStatementSyntax:
                    return false;
            }
        }

        return CanDeclareHere(block, statement, lambda);
    }

    /// <summary>
    /// True when the variables that <paramref name="moved"/> declares (locals, pattern and <c>out var</c> variables,
    /// nested lambda parameters) can move out of <paramref name="lambda"/> to <paramref name="anchor"/>'s member:
    /// no identifier outside the lambda in that member has the same name.
    /// </summary>
    private static bool CanDeclareHere(SyntaxNode moved, SyntaxNode anchor, LambdaExpressionSyntax lambda)
    {
        var declared = new HashSet<string>();
        foreach (var token in moved.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                    or CatchDeclarationSyntax or LocalFunctionStatementSyntax or ParameterSyntax)
            {
                declared.Add(token.ValueText);
            }
        }

        if (declared.Count == 0)
        {
            return true;
        }

        var scope = anchor.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax)
                    ?? anchor.Ancestors().OfType<CompilationUnitSyntax>().FirstOrDefault();
        if (scope is null)
        {
            return false;
        }

        foreach (var token in scope.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && !lambda.Span.Contains(token.Span) && declared.Contains(token.ValueText))
            {
                return false;
            }
        }

        return true;
    }
}
