namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL205 fix: <c>using</c> becomes <c>await using</c>; <c>CreateScope()</c> becomes <c>CreateAsyncScope()</c> (its local
/// declared <c>var</c>); where the diagnostic says so, the resource gets <c>.ConfigureAwait(false)</c>.
/// </summary>
/// <remarks>Fix All: each fix changes only its own statement's header. Fix All goes by fix kind, so a document with both kinds takes two rounds.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAwaitUsingFixer)), Shared]
public sealed class UseAwaitUsingFixer() : NoGilCodeFixProvider(FixAllMode.Batch, RuleIdentifiers.UseAwaitUsing)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var resource = request.Node;
        var configureAwait = DiagnosticProperties.GetBoolean(request.Diagnostic, DiagnosticProperties.ConfigureAwaitFalseKey, defaultValue: false);
        var asyncScope = request.Kind == FixKind.AwaitUsingAsyncScope;
        switch (resource.Parent)
        {
            case UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(SyntaxKind.None):
            {
                var newStatement = statement.WithUsingKeyword(statement.UsingKeyword.WithLeadingTrivia())
                    .WithAwaitKeyword(AwaitKeyword(statement.UsingKeyword));
                if (statement.Declaration == resource && Declaration(statement.Declaration, asyncScope, configureAwait) is { } declaration)
                {
                    newStatement = newStatement.WithDeclaration(declaration);
                }
                else if (statement.Expression == resource && Resource(statement.Expression, asyncScope, configureAwait) is { } expression)
                {
                    newStatement = newStatement.WithExpression(expression);
                }
                else
                {
                    return null;
                }

                return request.Root.ReplaceNode(statement, newStatement);
            }

            case LocalDeclarationStatementSyntax local
                when local.Declaration == resource && local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) && local.AwaitKeyword.IsKind(SyntaxKind.None):
            {
                if (Declaration(local.Declaration, asyncScope, configureAwait) is not { } declaration)
                {
                    return null;
                }

                var newLocal = local.WithUsingKeyword(local.UsingKeyword.WithLeadingTrivia())
                    .WithAwaitKeyword(AwaitKeyword(local.UsingKeyword))
                    .WithDeclaration(declaration);
                return request.Root.ReplaceNode(local, newLocal);
            }

            default:
                return null;
        }
    }

    private static SyntaxToken AwaitKeyword(SyntaxToken usingKeyword)
        => Token(usingKeyword.LeadingTrivia, SyntaxKind.AwaitKeyword, TriviaList(Space));

    /// <summary>The declaration with each initializer rewritten; its type becomes <c>var</c> when the initializer's type changes.</summary>
    private static VariableDeclarationSyntax? Declaration(VariableDeclarationSyntax declaration, bool asyncScope, bool configureAwait)
    {
        if (!asyncScope && !configureAwait)
        {
            return declaration;
        }

        if (declaration.Variables.Count != 1 || declaration.Variables[0].Initializer is not { } initializer
            || Resource(initializer.Value, asyncScope, configureAwait) is not { } value)
        {
            return null;
        }

        var type = declaration.Type.IsVar ? declaration.Type : IdentifierName("var").WithTriviaFrom(declaration.Type);
        return declaration.WithType(type)
            .WithVariables(SingletonSeparatedList(declaration.Variables[0].WithInitializer(initializer.WithValue(value))));
    }

    /// <summary>The resource expression: <c>CreateScope</c> renamed, <c>.ConfigureAwait(false)</c> appended, as announced.</summary>
    private static ExpressionSyntax? Resource(ExpressionSyntax expression, bool asyncScope, bool configureAwait)
    {
        var result = expression;
        if (asyncScope)
        {
            if (expression is not InvocationExpressionSyntax invocation)
            {
                return null;
            }

            ExpressionSyntax? callee = invocation.Expression switch
            {
                MemberAccessExpressionSyntax access => access.WithName(IdentifierName("CreateAsyncScope").WithTriviaFrom(access.Name)),
                IdentifierNameSyntax name => IdentifierName("CreateAsyncScope").WithTriviaFrom(name),
                _ => null,
            };
            if (callee is null)
            {
                return null;
            }

            result = invocation.WithExpression(callee);
        }

        if (configureAwait)
        {
            result = ParseExpression(SyntaxShapes.Parenthesize(result.WithoutTrivia()) + ".ConfigureAwait(false)").WithTriviaFrom(expression);
        }

        return result;
    }
}
