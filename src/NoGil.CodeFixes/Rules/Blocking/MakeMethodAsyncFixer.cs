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
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL203 fix "Make method async": the method becomes <c>async</c>, returns <c>Task</c>/<c>Task&lt;T&gt;</c>,
/// awaits every task it blocked on, and its callers in the same document await it. Offered only when the
/// signature can change and every caller can await; in top-level statements the waits simply become awaits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeMethodAsyncFixer)), Shared]
public sealed class MakeMethodAsyncFixer : CodeFixProvider
{
    private const string Title = "Make method async";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.MakeMethodAsync);

    // Each fix rewrites a whole method and its callers, so fixes are applied one after another on the
    // updated document; diagnostics whose method was already made async simply disappear.
    public override FixAllProvider? GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        => SequentialFixAll.FixInOrderAsync(
            document,
            diagnostics,
            async (current, root, model, node, _, cancellationToken) =>
                root is CompilationUnitSyntax compilationUnit
                && await PlanAsync(current, compilationUnit, model, node, cancellationToken).ConfigureAwait(false) is { } plan
                    ? Apply(compilationUnit, model, plan, cancellationToken)
                    : null,
            context.CancellationToken);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var cancellationToken = context.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax compilationUnit || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var plan = await PlanAsync(document, compilationUnit, model, node, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    plan.IsTopLevel ? "Await the task" : Title,
                    ct => Task.FromResult(document.WithSyntaxRoot(Apply(compilationUnit, model, plan, ct))),
                    equivalenceKey: RuleIdentifiers.MakeMethodAsync),
                diagnostic);
        }
    }

    private sealed class Plan
    {
        public Plan(SyntaxNode function, IMethodSymbol? method, bool isTopLevel)
        {
            Function = function;
            Method = method;
            IsTopLevel = isTopLevel;
        }

        public SyntaxNode Function { get; }

        public IMethodSymbol? Method { get; }

        public bool IsTopLevel { get; }

        public Dictionary<SyntaxNode, System.Func<ExpressionSyntax, ExpressionSyntax?>> Waits { get; } = new();

        public List<InvocationExpressionSyntax> Callers { get; } = new();
    }

    private static async Task<Plan?> PlanAsync(Document document, CompilationUnitSyntax root, SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var function = node.AncestorsAndSelf().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or GlobalStatementSyntax
            or AnonymousFunctionExpressionSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax);
        Plan plan;
        switch (function)
        {
            case GlobalStatementSyntax:
                plan = new Plan(root, model.GetEnclosingSymbol(node.SpanStart, cancellationToken) as IMethodSymbol, isTopLevel: true);
                break;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                if (model.GetDeclaredSymbol(function, cancellationToken) is not IMethodSymbol method || !CanBecomeAsync(method, function, model, cancellationToken))
                {
                    return null;
                }

                plan = new Plan(function, method, isTopLevel: false);
                break;
            default:
                return null;
        }

        if (plan.Method is null || !CollectWaits(plan, model, node, cancellationToken) || !plan.Waits.ContainsKey(node))
        {
            return null;
        }

        if (!plan.IsTopLevel && !await CollectCallersAsync(plan, document, root, model, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return plan;
    }

    private static bool CanBecomeAsync(IMethodSymbol method, SyntaxNode declaration, SemanticModel model, CancellationToken cancellationToken)
    {
        if (method.IsAsync || method.IsOverride || method.IsVirtual || method.IsAbstract || method.IsExtern
            || method.ReturnsByRef || method.ReturnsByRefReadonly || method.IsGenericMethod && method.PartialDefinitionPart is not null
            || method.PartialImplementationPart is not null || method.PartialDefinitionPart is not null
            || !method.ExplicitInterfaceImplementations.IsEmpty
            || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction)
            || method.Name is "Dispose" or "DisposeAsync"
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType)
            || method.ReturnType.IsRefLikeType
            || IsTaskLikeOrAwaitable(method.ReturnType))
        {
            return false;
        }

        if (declaration is MethodDeclarationSyntax { Modifiers: var modifiers } && modifiers.Any(SyntaxKind.UnsafeKeyword)
            || declaration is LocalFunctionStatementSyntax { Modifiers: var localModifiers } && localModifiers.Any(SyntaxKind.UnsafeKeyword))
        {
            return false;
        }

        // Implicit interface implementations keep their signature.
        foreach (var @interface in method.ContainingType?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType!.FindImplementationForInterfaceMember(member), method))
                {
                    return false;
                }
            }
        }

        // Iterators, ref locals and ref-like locals cannot live in an async method.
        var body = (SyntaxNode?)(declaration as MethodDeclarationSyntax)?.Body ?? (declaration as MethodDeclarationSyntax)?.ExpressionBody
                   ?? (SyntaxNode?)(declaration as LocalFunctionStatementSyntax)?.Body ?? (declaration as LocalFunctionStatementSyntax)?.ExpressionBody;
        if (body is null)
        {
            return false;
        }

        foreach (var inner in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (inner)
            {
                case YieldStatementSyntax:
                case UnsafeStatementSyntax:
                case RefTypeSyntax:
                case RefExpressionSyntax:
                case StackAllocArrayCreationExpressionSyntax:
                case ImplicitStackAllocArrayCreationExpressionSyntax:
                    return false;
                case VariableDeclaratorSyntax declarator
                    when model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol { Type.IsRefLikeType: true }:
                    return false;
            }
        }

        return true;
    }

    private static bool IsTaskLikeOrAwaitable(ITypeSymbol type)
        => type.GetMembers("GetAwaiter").Any(m => m is IMethodSymbol { Parameters.Length: 0 });

    /// <summary>Every wait this rule reports in the function; all must have an await form.</summary>
    private static bool CollectWaits(Plan plan, SemanticModel model, SyntaxNode reported, CancellationToken cancellationToken)
    {
        var types = new KnownTypes(model.Compilation);
        var operation = model.GetOperation(reported, cancellationToken);
        var rootOperation = operation;
        while (rootOperation?.Parent is not null)
        {
            rootOperation = rootOperation.Parent;
        }

        if (rootOperation is null)
        {
            return false;
        }

        ControlFlowGraph graph;
        try
        {
            graph = rootOperation switch
            {
                IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
                IBlockOperation block => ControlFlowGraph.Create(block, cancellationToken),
                _ => null!,
            };
        }
        catch (System.ArgumentException)
        {
            return false;
        }

        if (graph is null)
        {
            return false;
        }

        var owner = model.GetDeclaredSymbol(rootOperation.Syntax, cancellationToken) as IMethodSymbol;
        if (owner is null)
        {
            // Top-level statements: the synthesized entry point encloses the statements.
            var symbol = model.GetEnclosingSymbol(reported.SpanStart, cancellationToken);
            while (symbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction })
            {
                symbol = symbol.ContainingSymbol;
            }

            owner = symbol as IMethodSymbol;
        }
        foreach (var site in TaskCompletionFlow.Analyze(graph, rootOperation, owner, types, cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (site.IsTaskKnownComplete || site.IsOffloadedWork || !SymbolEqualityComparer.Default.Equals(site.Function, plan.Method))
            {
                continue;
            }

            if (AwaitRewriter.CreateRewrite(site.Wait) is not { } rewrite)
            {
                return false;
            }

            plan.Waits[site.Syntax] = rewrite;
        }

        return plan.Waits.Count > 0;
    }

    /// <summary>Every reference must be a call, in this document, from a function that can await it.</summary>
    private static async Task<bool> CollectCallersAsync(Plan plan, Document document, CompilationUnitSyntax root, SemanticModel model, CancellationToken cancellationToken)
    {
        var references = await SymbolFinder.FindReferencesAsync(plan.Method!, document.Project.Solution, cancellationToken).ConfigureAwait(false);
        foreach (var reference in references)
        {
            foreach (var location in reference.Locations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (location.Document.Id != document.Id || location.IsImplicit)
                {
                    return false;
                }

                var name = root.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true);
                if (name.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation || !IsCallee(invocation, name))
                {
                    if (name.Ancestors().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" }))
                    {
                        continue;
                    }

                    return false;
                }

                var caller = AwaitRewriter.EnclosingFunction(invocation);
                var callerIsAsync = caller switch
                {
                    AnonymousFunctionExpressionSyntax lambda => lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
                    LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.AsyncKeyword),
                    MethodDeclarationSyntax method => method.Modifiers.Any(SyntaxKind.AsyncKeyword),
                    _ => false,
                };

                if (caller == plan.Function)
                {
                    callerIsAsync = true;
                }

                if (!callerIsAsync || BlockingWaitScanner.IsAwaitForbiddenAt(invocation)
                    || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation)
                {
                    return false;
                }

                plan.Callers.Add(invocation);
            }
        }

        return true;
    }

    private static bool IsCallee(InvocationExpressionSyntax invocation, SyntaxNode name)
        => invocation.Expression == name
           || invocation.Expression is MemberAccessExpressionSyntax access && access.Name == name
           || invocation.Expression is MemberBindingExpressionSyntax binding && binding.Name == name;

    private static SyntaxNode Apply(CompilationUnitSyntax root, SemanticModel model, Plan plan, CancellationToken cancellationToken)
    {
        var needsTasksUsing = !plan.IsTopLevel && !Imports.Binds(model, plan.Function.SpanStart, "Task", "System.Threading.Tasks.Task");
        var callerParentheses = plan.Callers.ToDictionary(c => (SyntaxNode)c, c => AwaitRewriter.NeedsParentheses(c));

        var nodes = new List<SyntaxNode>(plan.Waits.Keys);
        nodes.AddRange(plan.Callers);
        if (!plan.IsTopLevel)
        {
            nodes.Add(plan.Function);
        }

        var newRoot = root.ReplaceNodes(nodes.Distinct(), (original, current) =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = current;
            if (plan.Waits.TryGetValue(original, out var rewrite) && rewrite((ExpressionSyntax)current) is { } awaited)
            {
                result = awaited;
            }

            if (callerParentheses.TryGetValue(original, out var parenthesize) && result is ExpressionSyntax call)
            {
                ExpressionSyntax awaitedCall = AwaitExpression(call.WithoutTrivia());
                if (parenthesize)
                {
                    awaitedCall = ParenthesizedExpression(awaitedCall);
                }

                result = awaitedCall.WithTriviaFrom(call);
            }

            if (original == plan.Function)
            {
                result = MakeAsync(result, plan.Method!);
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
            : GenericName(Identifier("Task"), TypeArgumentList(SingletonSeparatedList(returnType.WithoutTrivia())));
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

        return modifiers.Add(Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(Space));
    }
}
