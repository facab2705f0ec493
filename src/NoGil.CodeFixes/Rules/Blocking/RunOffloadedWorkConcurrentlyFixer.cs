using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Blocking;
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL204 fixes: "Call the work directly" for <c>Task.Run(work).Result</c>, and "Start all items, then await
/// Task.WhenAll" for a loop that awaits <c>Task.Run</c> per item.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunOffloadedWorkConcurrentlyFixer)), Shared]
public sealed class RunOffloadedWorkConcurrentlyFixer : CodeFixProvider
{
    public const string DirectCallKey = RuleIdentifiers.RunOffloadedWorkConcurrently + ".CallDirectly";
    public const string WhenAllKey = RuleIdentifiers.RunOffloadedWorkConcurrently + ".WhenAll";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.RunOffloadedWorkConcurrently);

    /// <summary>
    /// Fix All applies the fixes one after another to each document. The batch fixer merges independently computed
    /// text changes and drops the ones that collide — and every loop fix may add the same <c>using</c> directive.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var wanted = context.CodeActionEquivalenceKey switch
        {
            DirectCallKey => RunOffloadedWorkConcurrentlyAnalyzer.BlockedCase,
            WhenAllKey => RunOffloadedWorkConcurrentlyAnalyzer.LoopCase,
            _ => null,
        };

        if (wanted is null)
        {
            return Task.FromResult<Document?>(null);
        }

        var targets = diagnostics.Where(d => d.Properties.TryGetValue(RunOffloadedWorkConcurrentlyAnalyzer.CaseProperty, out var kind) && kind == wanted);
        return SequentialFixAll.FixInOrderAsync(
            document,
            targets,
            (_, root, model, target, _, cancellationToken) =>
            {
                var types = new KnownTypes(model.Compilation);
                return Task.FromResult(wanted == RunOffloadedWorkConcurrentlyAnalyzer.LoopCase
                    ? FixLoop(root, model, target, types, cancellationToken)
                    : FixBlocked(root, model, target, types, cancellationToken));
            },
            context.CancellationToken);
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var types = new KnownTypes(model.Compilation);
        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            diagnostic.Properties.TryGetValue(RunOffloadedWorkConcurrentlyAnalyzer.CaseProperty, out var kind);
            SyntaxNode? newRoot = kind switch
            {
                RunOffloadedWorkConcurrentlyAnalyzer.BlockedCase => FixBlocked(root, model, node, types, context.CancellationToken),
                RunOffloadedWorkConcurrentlyAnalyzer.LoopCase => FixLoop(root, model, node, types, context.CancellationToken),
                _ => null,
            };

            if (newRoot is null)
            {
                continue;
            }

            var isLoop = kind == RunOffloadedWorkConcurrentlyAnalyzer.LoopCase;
            context.RegisterCodeFix(
                CodeAction.Create(
                    isLoop ? "Start all items, then await Task.WhenAll" : "Call the work directly",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)),
                    equivalenceKey: isLoop ? WhenAllKey : DirectCallKey),
                diagnostic);
        }
    }

    // ----- Case A: Task.Run(work).Result → work -----

    private static SyntaxNode? FixBlocked(SyntaxNode root, SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
    {
        if (node is not ExpressionSyntax waitSyntax
            || model.GetOperation(waitSyntax, cancellationToken) is not { } operation
            || BlockedOffload.TryCreateFromWait(operation, types) is not { } blocked)
        {
            return null;
        }

        var offload = blocked.Offload;
        var valueUsed = blocked.Wait.Kind == BlockingWaitKind.Result
                        || (blocked.Wait.Kind == BlockingWaitKind.GetResult && offload.ResultType is not null && !IsDiscarded(waitSyntax));
        var inStatement = waitSyntax.Parent is ExpressionStatementSyntax;

        if (offload.MethodGroup is { } group)
        {
            if (offload.ResultType is not null && !SymbolEqualityComparer.Default.Equals(group.Method.ReturnType, offload.ResultType))
            {
                return null;
            }

            if (group.Syntax is not ExpressionSyntax groupSyntax)
            {
                return null;
            }

            var call = InvocationExpression(groupSyntax.WithoutTrivia(), ArgumentList());
            return ReplaceExpression(root, waitSyntax, call);
        }

        if (offload.Lambda is not { Syntax: LambdaExpressionSyntax lambdaSyntax } lambda)
        {
            return null;
        }

        if (lambdaSyntax.ExpressionBody is { } expressionBody)
        {
            if (offload.ResultType is not null && ReturnConverts(lambda))
            {
                return null;
            }

            if ((!valueUsed && !IsStatementExpression(expressionBody)) || !CanDeclareHere(expressionBody, waitSyntax, lambdaSyntax))
            {
                return null;
            }

            return ReplaceExpression(root, waitSyntax, expressionBody.WithoutTrivia());
        }

        if (lambdaSyntax.Block is not { } block)
        {
            return null;
        }

        if (block.Statements.Count == 1 && block.Statements[0] is ReturnStatementSyntax { Expression: { } returned })
        {
            if (ReturnConverts(lambda) || (!valueUsed && !IsStatementExpression(returned)) || !CanDeclareHere(returned, waitSyntax, lambdaSyntax))
            {
                return null;
            }

            return ReplaceExpression(root, waitSyntax, returned.WithoutTrivia());
        }

        // A void wait on a statement block: inline the statements where that cannot change their meaning.
        if (valueUsed || !inStatement || waitSyntax.Parent is not ExpressionStatementSyntax statement || !CanInline(block, statement, lambdaSyntax))
        {
            return null;
        }

        // Each statement on its own line; the formatter re-indents them for their new place.
        var statements = block.Statements
            .Select(s => (s.GetTrailingTrivia().Any(SyntaxKind.EndOfLineTrivia) ? s : s.WithTrailingTrivia(s.GetTrailingTrivia().Add(ElasticLineFeed)))
                .WithAdditionalAnnotations(Formatter.Annotation))
            .ToList();
        if (statements.Count == 0)
        {
            return root.RemoveNode(statement, SyntaxRemoveOptions.KeepExteriorTrivia);
        }

        statements[0] = statements[0].WithLeadingTrivia(statement.GetLeadingTrivia());
        statements[statements.Count - 1] = statements[statements.Count - 1].WithTrailingTrivia(statement.GetTrailingTrivia());
        if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.ReplaceNode(statement, statements);
        }

        return root.ReplaceNode(statement, Block(statements).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static bool IsDiscarded(SyntaxNode node) => node.Parent is ExpressionStatementSyntax;

    /// <summary>True when the lambda's returned value is converted to the delegate's result type (so the bare expression has another type).</summary>
    private static bool ReturnConverts(IAnonymousFunctionOperation lambda)
    {
        foreach (var operation in lambda.Body.Descendants())
        {
            if (operation is IReturnOperation { ReturnedValue: { } value } && !IsInNestedFunction(operation, lambda))
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

    private static bool IsInNestedFunction(IOperation operation, IAnonymousFunctionOperation lambda)
    {
        for (var current = operation.Parent; current is not null && current != lambda; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsStatementExpression(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax or AssignmentExpressionSyntax or ObjectCreationExpressionSyntax or AwaitExpressionSyntax
           || expression.IsKind(SyntaxKind.PostIncrementExpression) || expression.IsKind(SyntaxKind.PostDecrementExpression)
           || expression.IsKind(SyntaxKind.PreIncrementExpression) || expression.IsKind(SyntaxKind.PreDecrementExpression);

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

        var statement = anchor;
        SyntaxNode? scope = statement.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax)
                            ?? statement.Ancestors().OfType<CompilationUnitSyntax>().FirstOrDefault();
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

    private static SyntaxNode ReplaceExpression(SyntaxNode root, ExpressionSyntax original, ExpressionSyntax replacement)
    {
        if (!IsPrimary(replacement) && NeedsParentheses(original, replacement))
        {
            replacement = ParenthesizedExpression(replacement).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        return root.ReplaceNode(original, replacement.WithTriviaFrom(original));
    }

    /// <summary>
    /// The inlined work replaces a primary expression (<c>Task.Run(…).Result</c>), so anything that binds less
    /// tightly is parenthesized unless it fills a whole expression slot; the simplifier then drops parentheses the
    /// surrounding operators make redundant.
    /// </summary>
    private static bool NeedsParentheses(ExpressionSyntax original, ExpressionSyntax replacement)
    {
        if (original.Parent is InterpolationSyntax)
        {
            return replacement is ConditionalExpressionSyntax;
        }

        return !AwaitRewriter.FillsExpressionSlot(original);
    }

    /// <summary>Expressions that bind at least as tightly as the member access / invocation they replace.</summary>
    private static bool IsPrimary(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax or GenericNameSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax or InvocationExpressionSyntax
               or ElementAccessExpressionSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax or TupleExpressionSyntax
               or BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax
               or AnonymousObjectCreationExpressionSyntax or InterpolatedStringExpressionSyntax or ThisExpressionSyntax or BaseExpressionSyntax
               or DefaultExpressionSyntax or TypeOfExpressionSyntax or SizeOfExpressionSyntax or CheckedExpressionSyntax or PredefinedTypeSyntax
               or PostfixUnaryExpressionSyntax
           || (expression is MemberAccessExpressionSyntax access && access.IsKind(SyntaxKind.SimpleMemberAccessExpression));

    // ----- Case B: loop awaiting Task.Run per item → await Task.WhenAll -----

    private static SyntaxNode? FixLoop(SyntaxNode root, SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
    {
        var loopSyntax = node.AncestorsAndSelf().FirstOrDefault(a => a is ForEachStatementSyntax or ForStatementSyntax) as StatementSyntax;
        if (loopSyntax is null
            || model.GetOperation(loopSyntax, cancellationToken) is not ILoopOperation loop
            || SequentialOffloadLoop.TryCreate(loop, types) is not { } sequential
            || sequential.Await.Syntax is not AwaitExpressionSyntax awaitSyntax
            || sequential.Offload.Invocation.Syntax is not InvocationExpressionSyntax offloadSyntax)
        {
            return null;
        }

        var position = loopSyntax.SpanStart;
        var usings = new List<string>();

        // Task.WhenAll
        var taskName = TypeName(model, position, "Task", types.Task, "System.Threading.Tasks", usings);
        if (taskName is null)
        {
            return null;
        }

        // The sequence of items: the collection itself, or Enumerable.Range(lo, count).
        string source;
        if (sequential.Collection is { Syntax: ExpressionSyntax collectionSyntax } collection)
        {
            if (!SelectBindsToLinq(model, position, collection.Type, usings))
            {
                return null;
            }

            source = Parenthesize(collectionSyntax.WithoutTrivia());
        }
        else if (sequential.Lower is { Syntax: ExpressionSyntax lowerSyntax } && sequential.Upper is { Syntax: ExpressionSyntax upperSyntax })
        {
            var enumerableName = TypeName(model, position, "Enumerable", types.Enumerable, "System.Linq", usings);
            if (enumerableName is null)
            {
                return null;
            }

            var lower = Parenthesize(lowerSyntax.WithoutTrivia());
            var count = sequential.Lower.ConstantValue is { HasValue: true, Value: 0 }
                ? upperSyntax.WithoutTrivia().ToFullString()
                : Parenthesize(upperSyntax.WithoutTrivia()) + " - " + lower;
            if (!sequential.CountIsNonNegative)
            {
                var mathName = TypeName(model, position, "Math", types.Math, namespaceName: null, usings) ?? "System.Math";
                count = mathName + ".Max(0, " + count + ")";
            }

            source = enumerableName + ".Range(" + lower + ", " + count + ")";
        }
        else
        {
            return null;
        }

        var whenAll = taskName + ".WhenAll(" + source + ".Select(" + sequential.Variable.Name + " => " + offloadSyntax.WithoutTrivia().ToFullString() + "))";
        if (sequential.ConfigureAwait is { Arguments.Length: 1 } configure && configure.Arguments[0].Syntax is ArgumentSyntax configureArgument)
        {
            whenAll += ".ConfigureAwait(" + configureArgument.WithoutTrivia().ToFullString() + ")";
        }

        var awaited = "await " + whenAll;
        StatementSyntax replacement;
        if (sequential.Add is not { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax addAccess } addSyntax } add)
        {
            replacement = ParseStatement(awaited + ";");
        }
        else if (!sequential.AddConvertsValue && IsList(add.Instance?.Type, types) && KnownTypes.Is(add.TargetMethod.ContainingType?.OriginalDefinition, types.ListOfT))
        {
            replacement = ParseStatement(addAccess.Expression.WithoutTrivia().ToFullString() + ".AddRange(" + awaited + ");");
        }
        else
        {
            var resultName = FreshName(model, loopSyntax, "result");
            var newBody = ((StatementSyntax)(loopSyntax is ForEachStatementSyntax fe ? fe.Statement : ((ForStatementSyntax)loopSyntax).Statement))
                .ReplaceNode(awaitSyntax, IdentifierName(resultName).WithTriviaFrom(awaitSyntax));
            replacement = ForEachStatement(
                    Token(SyntaxKind.ForEachKeyword).WithTrailingTrivia(Space),
                    Token(SyntaxKind.OpenParenToken),
                    IdentifierName("var").WithTrailingTrivia(Space),
                    Identifier(resultName).WithTrailingTrivia(Space),
                    Token(SyntaxKind.InKeyword).WithTrailingTrivia(Space),
                    ParseExpression(awaited),
                    Token(SyntaxKind.CloseParenToken).WithTrailingTrivia(LoopHeaderTrailingTrivia(loopSyntax)),
                    newBody);
        }

        if (replacement.ContainsDiagnostics)
        {
            return null;
        }

        replacement = replacement.WithLeadingTrivia(loopSyntax.GetLeadingTrivia()).WithTrailingTrivia(loopSyntax.GetTrailingTrivia());
        var newRoot = root.ReplaceNode(loopSyntax, replacement);
        return AddUsings(newRoot, usings);
    }

    private static SyntaxTriviaList LoopHeaderTrailingTrivia(StatementSyntax loop)
        => loop switch
        {
            ForEachStatementSyntax forEach => forEach.CloseParenToken.TrailingTrivia,
            ForStatementSyntax @for => @for.CloseParenToken.TrailingTrivia,
            _ => TriviaList(Space),
        };

    private static string Parenthesize(ExpressionSyntax expression)
        => IsPrimary(expression) ? expression.ToFullString() : "(" + expression.ToFullString() + ")";

    private static bool IsList(ITypeSymbol? type, KnownTypes types)
        => type is INamedTypeSymbol named && KnownTypes.Is(named.OriginalDefinition, types.ListOfT);

    /// <summary>
    /// How to spell <paramref name="type"/> at <paramref name="position"/>: its simple name when that binds to it, or when
    /// nothing binds and a using directive for its namespace can be added; its qualified name when the simple name means something else.
    /// </summary>
    private static string? TypeName(SemanticModel model, int position, string name, INamedTypeSymbol? type, string? namespaceName, List<string> usings)
    {
        if (type is null)
        {
            return null;
        }

        // Generic types of the same name (Task<TResult>) do not compete with the non-generic one.
        var found = model.LookupNamespacesAndTypes(position, name: name).Where(s => s is not INamedTypeSymbol { Arity: > 0 }).ToList();
        if (found.Count == 1 && SymbolEqualityComparer.Default.Equals(found[0], type))
        {
            return name;
        }

        if (found.Count == 0 && namespaceName is not null)
        {
            usings.Add(namespaceName);
            return name;
        }

        return type.ToDisplayString();
    }

    /// <summary>True when <c>collection.Select</c> binds (or will bind, once <c>using System.Linq;</c> is added) to LINQ.</summary>
    private static bool SelectBindsToLinq(SemanticModel model, int position, ITypeSymbol? collectionType, List<string> usings)
    {
        if (collectionType is null)
        {
            return false;
        }

        var candidates = model.LookupSymbols(position, container: collectionType, name: "Select", includeReducedExtensionMethods: true);
        var linq = false;
        foreach (var candidate in candidates)
        {
            if (candidate is not IMethodSymbol { IsExtensionMethod: true } method
                || method.ContainingNamespace?.ToDisplayString() != "System.Linq")
            {
                // An instance Select, or an extension from another library, could win overload resolution.
                return false;
            }

            linq = true;
        }

        if (!linq)
        {
            usings.Add("System.Linq");
        }

        return true;
    }

    /// <summary>A name that no identifier of the enclosing member uses and that binds to nothing at the loop.</summary>
    private static string FreshName(SemanticModel model, SyntaxNode loop, string baseName)
    {
        var scope = loop.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax and not GlobalStatementSyntax)
                    ?? loop.SyntaxTree.GetRoot();
        var used = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        for (var i = 0; ; i++)
        {
            var candidate = i == 0 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!used.Contains(candidate) && model.LookupSymbols(loop.SpanStart, name: candidate).IsEmpty)
            {
                return candidate;
            }
        }
    }

    private static SyntaxNode AddUsings(SyntaxNode root, List<string> namespaces)
    {
        foreach (var name in namespaces.Distinct())
        {
            root = Imports.AddUsing(root, name);
        }

        return root;
    }
}
