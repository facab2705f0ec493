using Microsoft.CodeAnalysis.Simplification;

namespace NoGil.CodeFixes.Rules.Blocking;

/// <summary>
/// NOGIL202 fix: <c>recv.M(args)</c> becomes <c>await recv.MAsync(args[, token])</c>, and <c>Thread.Sleep(x)</c>
/// becomes <c>await Task.Delay(x[, token])</c> — the <see cref="AsyncTwinRewrite"/> the diagnostic carries.
/// </summary>
/// <remarks>Fix All: each fix replaces only its own call (and may add the same using directive, which the merge keeps once).</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAsyncTwinFixer)), Shared]
public sealed class UseAsyncTwinFixer() : NoGilCodeFixProvider(FixAllMode.Batch, RuleIdentifiers.UseAsyncTwin)
{
    private const string TasksNamespace = "System.Threading.Tasks";

    protected override string GetTitle(Diagnostic diagnostic, FixKind kind)
        => $"Await '{DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TwinDisplayKey)}'";

    protected override SyntaxNode? Render(FixRequest request)
    {
        if (request.Node is not InvocationExpressionSyntax node || AsyncTwinRewrite.FromDiagnostic(request.Diagnostic) is not { } rewrite)
        {
            return null;
        }

        var addUsing = false;
        var delayReceiver = rewrite.IsDelay ? TaskTypeExpression(request, out addUsing) : IdentifierName("Task");
        var tokenNone = ParseExpression("System.Threading.CancellationToken.None").WithAdditionalAnnotations(Simplifier.Annotation);
        if (rewrite.BuildCall(node, delayReceiver, tokenNone) is not { } newCall)
        {
            return null;
        }

        ExpressionSyntax awaited = newCall.WithoutTrivia();
        if (rewrite.ConfigureAwaitFalse)
        {
            awaited = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, awaited, IdentifierName("ConfigureAwait")),
                ArgumentList(SingletonSeparatedList(Argument(LiteralExpression(SyntaxKind.FalseLiteralExpression)))));
        }

        ExpressionSyntax replacement = AwaitRewriter.Await(awaited);
        if (AwaitRewriter.NeedsParentheses(node))
        {
            replacement = AwaitRewriter.Parenthesize(replacement);
        }

        var newRoot = request.Root.ReplaceNode(node, replacement.WithTriviaFrom(node));
        return addUsing ? Imports.AddUsing(newRoot, TasksNamespace) : newRoot;
    }

    /// <summary>
    /// <c>Task</c> when it binds to System.Threading.Tasks.Task here; when nothing named <c>Task</c> is in scope, <c>Task</c>
    /// plus a using directive; when another <c>Task</c> is in scope, the qualified name.
    /// </summary>
    private static ExpressionSyntax TaskTypeExpression(FixRequest request, out bool addUsing)
    {
        var types = request.Types;
        addUsing = false;
        var found = request.Model.LookupNamespacesAndTypes(request.Node.SpanStart, name: "Task");
        if (found.IsEmpty && request.Root is CompilationUnitSyntax)
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
