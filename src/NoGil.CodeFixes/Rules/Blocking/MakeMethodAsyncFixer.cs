namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL203 fix "Make method async": renders the <see cref="AsyncConversion"/> the analyzer announced — the method
/// becomes <c>async</c>, returns <c>Task</c>/<c>Task&lt;T&gt;</c>, awaits every task it blocked on, and its callers in
/// the document await it; in top-level statements the waits simply become awaits.
/// </summary>
/// <remarks>Fix All: each fix rewrites a whole method and its callers, so fixes are applied one after another on the updated
/// document; diagnostics whose method was already made async simply disappear.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodAsyncFixer)), Shared]
public sealed class MakeMethodAsyncFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.MakeMethodAsync)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        // The conversion the analyzer announced, from the sites the shared scanner computed for this tree.
        var sites = BlockingWaitScanner.GetSites(request.Model, request.Node, request.Types, request.CancellationToken);
        var site = sites.FirstOrDefault(s => s.Syntax.Span == request.Node.Span && s.Syntax.RawKind == request.Node.RawKind);
        var conversion = site is null ? null : AsyncConversion.TryCreate(site, sites, request.Model, request.CancellationToken);
        return conversion is not null && conversion.Kind == request.Kind && request.Root is CompilationUnitSyntax root
            ? Apply(root, request.Model, conversion, request.CancellationToken)
            : null;
    }

    private static SyntaxNode Apply(CompilationUnitSyntax root, SemanticModel model, AsyncConversion conversion, CancellationToken cancellationToken)
    {
        var needsTasksUsing = !conversion.IsTopLevel && !TypeNames.Binds(model, conversion.Function.SpanStart, "Task", "System.Threading.Tasks.Task");
        var waits = new Dictionary<SyntaxNode, System.Func<ExpressionSyntax, ExpressionSyntax?>>();
        foreach (var wait in conversion.Waits)
        {
            waits[wait.Syntax] = AwaitRewriter.CreateRewrite(wait);
        }

        var callerParentheses = new Dictionary<SyntaxNode, bool>();
        foreach (var caller in conversion.Callers)
        {
            callerParentheses[caller] = AwaitRewriter.NeedsParentheses(caller);
        }

        var nodes = new List<SyntaxNode>(waits.Keys);
        nodes.AddRange(callerParentheses.Keys);
        if (!conversion.IsTopLevel)
        {
            nodes.Add(conversion.Function);
        }

        var newRoot = root.ReplaceNodes(nodes.Distinct(), (original, current) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = current;
            if (waits.TryGetValue(original, out var rewrite) && rewrite((ExpressionSyntax)current) is { } awaited)
            {
                result = awaited;
            }

            if (callerParentheses.TryGetValue(original, out var parenthesize) && result is ExpressionSyntax call)
            {
                ExpressionSyntax awaitedCall = AwaitRewriter.Await(call.WithoutTrivia());
                if (parenthesize)
                {
                    awaitedCall = AwaitRewriter.Parenthesize(awaitedCall);
                }

                result = awaitedCall.WithTriviaFrom(call);
            }

            if (original == conversion.Function)
            {
                result = MakeAsync(result, conversion.Method);
            }

            return result;
        });

        return needsTasksUsing ? Imports.AddUsing(newRoot, "System.Threading.Tasks") : newRoot;
    }

    private static SyntaxNode MakeAsync(SyntaxNode declaration, IMethodSymbol method)
    {
        switch (declaration)
        {
            case MethodDeclarationSyntax methodDeclaration:
                return methodDeclaration
                    .WithReturnType(AsyncReturnType(methodDeclaration.ReturnType, method, methodDeclaration.Modifiers.Count > 0))
                    .WithModifiers(AddAsync(methodDeclaration.Modifiers, methodDeclaration.ReturnType));
            case LocalFunctionStatementSyntax local:
                return local
                    .WithReturnType(AsyncReturnType(local.ReturnType, method, local.Modifiers.Count > 0))
                    .WithModifiers(AddAsync(local.Modifiers, local.ReturnType));
            default:
                return declaration;
        }
    }

    private static TypeSyntax AsyncReturnType(TypeSyntax returnType, IMethodSymbol method, bool keepLeadingTrivia)
    {
        TypeSyntax task = method.ReturnsVoid
            ? IdentifierName("Task")
            : GenericName(
                Identifier("Task"),
                TypeArgumentList(Token(TriviaList(), SyntaxKind.LessThanToken, TriviaList()), SingletonSeparatedList(returnType.WithoutTrivia()), Token(TriviaList(), SyntaxKind.GreaterThanToken, TriviaList())));
        task = task.WithTriviaFrom(returnType);
        return keepLeadingTrivia ? task : task.WithoutLeadingTrivia();
    }

    private static SyntaxTokenList AddAsync(SyntaxTokenList modifiers, TypeSyntax returnType)
    {
        if (modifiers.Count == 0)
        {
            // `void M()` → `async Task M()`: the return type's leading trivia moves to the new first token.
            return TokenList(Token(returnType.GetLeadingTrivia(), SyntaxKind.AsyncKeyword, TriviaList(Space)));
        }

        // Plain trivia: elastic trivia would let the formatting pass respace the declaration around it.
        return modifiers.Add(Token(TriviaList(), SyntaxKind.AsyncKeyword, TriviaList(Space)));
    }
}
