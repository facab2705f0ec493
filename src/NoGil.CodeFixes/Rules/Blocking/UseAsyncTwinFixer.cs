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
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using NoGil.Analyzers.Analysis.Blocking;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL202 fix: <c>recv.M(args)</c> becomes <c>await recv.MAsync(args[, token])</c>, and <c>Thread.Sleep(x)</c>
/// becomes <c>await Task.Delay(x[, token])</c>. Not offered where <c>await</c> is not allowed, inside a conditional
/// access, or when the rewritten call would not bind to the twin the analyzer found.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAsyncTwinFixer)), Shared]
public sealed class UseAsyncTwinFixer : CodeFixProvider
{
    private const string TasksNamespace = "System.Threading.Tasks";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.UseAsyncTwin);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax node
                || model.GetOperation(node, context.CancellationToken) is not IInvocationOperation invocation
                || AsyncTwinCall.TryCreate(invocation, types, OwningMember(model, node, context.CancellationToken), context.CancellationToken) is not { } call
                || Rewrite(root, model, node, call, types, context.CancellationToken) is not { } newRoot)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Await '{call.TwinDisplayText}'",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)),
                    equivalenceKey: RuleIdentifiers.UseAsyncTwin),
                diagnostic);
        }
    }

    /// <summary>The member whose body holds <paramref name="node"/> (what an operation action sees as its containing symbol).</summary>
    private static ISymbol? OwningMember(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var symbol = model.GetEnclosingSymbol(node.SpanStart, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private static SyntaxNode? Rewrite(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax node, AsyncTwinCall call, KnownTypes types, CancellationToken cancellationToken)
    {
        if (BlockingWaitScanner.IsAwaitForbiddenAt(node) || IsInConditionalAccess(node) || DeclaresRefLocals(model, node, cancellationToken))
        {
            return null;
        }

        var addUsing = false;
        InvocationExpressionSyntax newCall;
        if (call.IsSleep)
        {
            if (node.ArgumentList.Arguments.Count != 1)
            {
                return null;
            }

            var task = TaskTypeExpression(root, model, node.SpanStart, types, out addUsing);
            var delay = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, task, IdentifierName("Delay"));
            var argument = node.ArgumentList.Arguments[0].WithNameColon(null);
            newCall = node.WithExpression(delay.WithTriviaFrom(node.Expression))
                .WithArgumentList(node.ArgumentList.WithArguments(SingletonSeparatedList(argument)));
        }
        else
        {
            if (Rename(node.Expression, call.Twin.Name) is not { } callee)
            {
                return null;
            }

            newCall = node.WithExpression(callee);
        }

        newCall = newCall.WithArgumentList(AppendToken(newCall.ArgumentList, call));

        // Check the overload the new call binds to (for Task.Delay, through its full name: the using may not exist yet).
        var checkedCall = call.IsSleep
            ? newCall.WithExpression(ParseExpression("global::" + TasksNamespace + ".Task.Delay"))
            : newCall;
        if (!BindsTo(model, node.SpanStart, checkedCall, call.Twin))
        {
            return null;
        }

        ExpressionSyntax replacement = AwaitExpression(newCall.WithoutTrivia());
        if (AwaitRewriter.NeedsParentheses(node))
        {
            replacement = ParenthesizedExpression(replacement);
        }

        var newRoot = root.ReplaceNode(node, replacement.WithTriviaFrom(node));
        return addUsing ? Imports.AddUsing(newRoot, TasksNamespace) : newRoot;
    }

    /// <summary>
    /// Ref locals and locals of ref struct type (C# 13 allows them in async functions) must not live across an
    /// <c>await</c>; a new await could break that, so the fix stays out of such functions.
    /// </summary>
    private static bool DeclaresRefLocals(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (AwaitRewriter.EnclosingFunction(node) is not { } function)
        {
            return false;
        }

        foreach (var descendant in function.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (descendant is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                && model.GetDeclaredSymbol(descendant, cancellationToken) is ILocalSymbol local
                && (local.IsRef || local.Type.IsRefLikeType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInConditionalAccess(InvocationExpressionSyntax node)
    {
        for (SyntaxNode? current = node; current?.Parent is ExpressionSyntax parent; current = parent)
        {
            if (parent is ConditionalAccessExpressionSyntax conditional && conditional.WhenNotNull.Span.Contains(node.Span))
            {
                return true;
            }
        }

        return node.Expression is MemberBindingExpressionSyntax;
    }

    private static ExpressionSyntax? Rename(ExpressionSyntax expression, string newName)
        => expression switch
        {
            MemberAccessExpressionSyntax access => RenameSimple(access.Name, newName) is { } name ? access.WithName(name) : null,
            SimpleNameSyntax simple => RenameSimple(simple, newName),
            _ => null,
        };

    private static SimpleNameSyntax? RenameSimple(SimpleNameSyntax name, string newName)
        => name switch
        {
            IdentifierNameSyntax identifier => identifier.WithIdentifier(Identifier(newName).WithTriviaFrom(identifier.Identifier)),
            GenericNameSyntax generic => generic.WithIdentifier(Identifier(newName).WithTriviaFrom(generic.Identifier)),
            _ => null,
        };

    private static ArgumentListSyntax AppendToken(ArgumentListSyntax arguments, AsyncTwinCall call)
    {
        ExpressionSyntax value;
        switch (call.TokenArgument)
        {
            case AsyncTwinTokenArgument.Forward when call.Token is { } token:
                value = IdentifierName(EscapeIdentifier(token.Name));
                break;
            case AsyncTwinTokenArgument.CancellationTokenNone:
                value = ParseExpression("System.Threading.CancellationToken.None").WithAdditionalAnnotations(Simplifier.Annotation);
                break;
            default:
                return arguments;
        }

        var argument = Argument(value);
        if (!call.IsSleep && call.TokenArgumentNeedsName && call.TokenParameter is { } parameter)
        {
            argument = argument.WithNameColon(NameColon(IdentifierName(EscapeIdentifier(parameter.Name))));
        }

        var items = new List<SyntaxNodeOrToken>();
        foreach (var item in arguments.Arguments.GetWithSeparators())
        {
            items.Add(item);
        }

        if (items.Count > 0)
        {
            // Keep any trivia that followed the last argument (e.g. a comment) after the new one.
            var last = items[items.Count - 1];
            var trailing = last.GetTrailingTrivia();
            items[items.Count - 1] = last.WithTrailingTrivia();
            items.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
            argument = argument.WithTrailingTrivia(trailing);
        }

        items.Add(argument);
        return arguments.WithArguments(SeparatedList<ArgumentSyntax>(items));
    }

    private static SyntaxToken EscapeIdentifier(string name)
        => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword
            ? VerbatimIdentifier(default, "@" + name, name, default)
            : Identifier(name);

    /// <summary>The rewritten call binds, at the original position, to the twin the analyzer chose (same overload).</summary>
    private static bool BindsTo(SemanticModel model, int position, InvocationExpressionSyntax newCall, IMethodSymbol twin)
    {
        var info = model.GetSpeculativeSymbolInfo(position, newCall, SpeculativeBindingOption.BindAsExpression);
        return info.Symbol is IMethodSymbol bound
               && SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, twin.OriginalDefinition);
    }

    /// <summary>
    /// <c>Task</c> when it binds to System.Threading.Tasks.Task here; when nothing named <c>Task</c> is in scope, <c>Task</c>
    /// plus a using directive; when another <c>Task</c> is in scope, the qualified name.
    /// </summary>
    private static ExpressionSyntax TaskTypeExpression(SyntaxNode root, SemanticModel model, int position, KnownTypes types, out bool addUsing)
    {
        addUsing = false;
        var found = model.LookupNamespacesAndTypes(position, name: "Task");
        if (found.IsEmpty && root is CompilationUnitSyntax)
        {
            addUsing = true;
            return IdentifierName("Task");
        }

        var onlyTasks = found.All(s => s is INamedTypeSymbol named
                                       && (KnownTypes.Is(named.OriginalDefinition, types.Task) || KnownTypes.Is(named.OriginalDefinition, types.TaskOfT)));
        if (onlyTasks && found.Any(s => KnownTypes.Is(s as INamedTypeSymbol, types.Task)))
        {
            return IdentifierName("Task");
        }

        return ParseExpression("global::" + TasksNamespace + ".Task").WithAdditionalAnnotations(Simplifier.Annotation);
    }
}
