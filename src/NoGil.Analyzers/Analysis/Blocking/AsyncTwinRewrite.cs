using System.Runtime.CompilerServices;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// The call that replaces a NOGIL202 call — <c>recv.MAsync(args[, token])</c>, or <c>Task.Delay(x[, token])</c> for
/// <c>Thread.Sleep(x)</c> — described by what the analyzer found (<see cref="AsyncTwinCall"/>) and carried to the
/// fixer as diagnostic facts. The analyzer announces the fix only when <see cref="CanReplace"/> holds; the fixer
/// builds the call with the same <see cref="BuildCall"/>.
/// </summary>
public sealed class AsyncTwinRewrite
{
    private static readonly ConditionalWeakTable<SyntaxNode, object> RefLocalsByFunction = new();

    private AsyncTwinRewrite(string twinName, string twinDisplayText, bool isDelay, AsyncTwinTokenArgument tokenArgument, string? tokenName, string? tokenParameterName, bool configureAwaitFalse)
    {
        ConfigureAwaitFalse = configureAwaitFalse;
        TwinName = twinName;
        TwinDisplayText = twinDisplayText;
        IsDelay = isDelay;
        TokenArgument = tokenArgument;
        TokenName = tokenName;
        TokenParameterName = tokenParameterName;
    }

    /// <summary>The twin's name (<c>ReadAllTextAsync</c>, <c>Delay</c>).</summary>
    public string TwinName { get; }

    /// <summary>The twin as titles show it (<c>File.ReadAllTextAsync</c>).</summary>
    public string TwinDisplayText { get; }

    /// <summary>True for <c>Thread.Sleep</c> → <c>Task.Delay</c>: the callee is another type's method.</summary>
    public bool IsDelay { get; }

    public AsyncTwinTokenArgument TokenArgument { get; }

    /// <summary>The local or parameter forwarded as the token (<see cref="AsyncTwinTokenArgument.Forward"/>).</summary>
    public string? TokenName { get; }

    /// <summary>The token parameter's name when the added argument must be named; null for a positional one.</summary>
    public string? TokenParameterName { get; }

    /// <summary>
    /// True when the fix writes <c>await twin(…).ConfigureAwait(false)</c>: the code around the call awaits that way
    /// (<see cref="AwaitConvention"/>) and the twin returns a <c>Task</c> or a <c>ValueTask</c>.
    /// </summary>
    public bool ConfigureAwaitFalse { get; }

    public static AsyncTwinRewrite From(AsyncTwinCall call, KnownTypes types, SyntaxNode at)
        => new(
            call.Twin.Name,
            call.TwinDisplayText,
            call.IsSleep,
            call.TokenArgument,
            call.TokenArgument == AsyncTwinTokenArgument.Forward ? call.Token?.Name : null,
            !call.IsSleep && call.TokenArgumentNeedsName ? call.TokenParameter?.Name : null,
            call.Twin.ReturnType.OriginalDefinition is INamedTypeSymbol returned
            && (KnownTypes.Is(returned, types.Task) || KnownTypes.Is(returned, types.TaskOfT) || KnownTypes.Is(returned, types.ValueTask) || KnownTypes.Is(returned, types.ValueTaskOfT))
            && AwaitConvention.ConfiguresAwaitFalse(at));

    /// <summary>The rewrite a NOGIL202 diagnostic carries, or null when it carries none.</summary>
    public static AsyncTwinRewrite? FromDiagnostic(Diagnostic diagnostic)
        => DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TwinNameKey) is { } twinName
            ? new AsyncTwinRewrite(
                twinName,
                DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TwinDisplayKey) ?? twinName,
                DiagnosticProperties.GetBoolean(diagnostic, DiagnosticProperties.TwinIsDelayKey, defaultValue: false),
                DiagnosticProperties.GetEnum<AsyncTwinTokenArgument>(diagnostic, DiagnosticProperties.TokenArgumentKey) ?? AsyncTwinTokenArgument.None,
                DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TokenKey),
                DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TokenParameterKey),
                DiagnosticProperties.GetBoolean(diagnostic, DiagnosticProperties.ConfigureAwaitFalseKey, defaultValue: false))
            : null;

    /// <summary>The diagnostic's properties: the fix when <paramref name="announce"/>, and always the facts that title and render it.</summary>
    public ImmutableDictionary<string, string?> ToProperties(bool announce)
        => DiagnosticProperties.Create(
            announce ? FixKind.AwaitTwin : null,
            (DiagnosticProperties.TwinDisplayKey, TwinDisplayText),
            (DiagnosticProperties.TwinNameKey, announce ? TwinName : null),
            (DiagnosticProperties.TwinIsDelayKey, announce && IsDelay ? "true" : null),
            (DiagnosticProperties.TokenArgumentKey, announce && TokenArgument != AsyncTwinTokenArgument.None ? TokenArgument.ToString() : null),
            (DiagnosticProperties.TokenKey, announce ? TokenName : null),
            (DiagnosticProperties.TokenParameterKey, announce ? TokenParameterName : null),
            (DiagnosticProperties.ConfigureAwaitFalseKey, announce && ConfigureAwaitFalse ? "true" : null));

    /// <summary>
    /// True when <paramref name="node"/> can become <c>await</c> of the twin call: <c>await</c> is allowed there, the call
    /// is not inside a conditional access, the function declares no ref or ref-like locals, and the new call binds,
    /// at the same position, to the twin the analyzer chose (the same overload).
    /// </summary>
    public bool CanReplace(InvocationExpressionSyntax node, IMethodSymbol twin, SemanticModel model, CancellationToken cancellationToken)
    {
        if (AwaitSyntax.IsAwaitForbiddenAt(node) || IsInConditionalAccess(node) || DeclaresRefLocals(model, node, cancellationToken))
        {
            return false;
        }

        // Task.Delay through its full name: a using directive may not exist yet.
        var newCall = BuildCall(node, ParseExpression("global::System.Threading.Tasks.Task"), ParseExpression("System.Threading.CancellationToken.None"));
        if (newCall is null)
        {
            return false;
        }

        var info = model.GetSpeculativeSymbolInfo(node.SpanStart, newCall, SpeculativeBindingOption.BindAsExpression);
        // An extension method binds in its reduced form (`query.ToListAsync()`); compare the declared method, and for a
        // generic twin of the same form the type arguments (the compiler's inference must agree with the analyzer's).
        return info.Symbol is IMethodSymbol bound
               && SymbolEqualityComparer.Default.Equals((bound.ReducedFrom ?? bound).OriginalDefinition, (twin.ReducedFrom ?? twin).OriginalDefinition)
               && (!twin.IsGenericMethod || bound.MethodKind != twin.MethodKind
                   || bound.TypeArguments.SequenceEqual<ITypeSymbol, ITypeSymbol>(twin.TypeArguments, SymbolEqualityComparer.Default));
    }

    /// <summary>
    /// The twin call that replaces <paramref name="node"/>: <paramref name="delayReceiver"/><c>.Delay(x)</c> for a sleep,
    /// the renamed callee otherwise, with the token argument added (<paramref name="cancellationTokenNone"/> where
    /// none can be forwarded); null when the call does not have a shape this rewrite handles.
    /// </summary>
    public InvocationExpressionSyntax? BuildCall(InvocationExpressionSyntax node, ExpressionSyntax delayReceiver, ExpressionSyntax cancellationTokenNone)
    {
        InvocationExpressionSyntax newCall;
        if (IsDelay)
        {
            if (node.ArgumentList.Arguments.Count != 1)
            {
                return null;
            }

            var delay = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, delayReceiver, IdentifierName("Delay"));
            var argument = node.ArgumentList.Arguments[0].WithNameColon(null);
            newCall = node.WithExpression(delay.WithTriviaFrom(node.Expression))
                .WithArgumentList(node.ArgumentList.WithArguments(SingletonSeparatedList(argument)));
        }
        else
        {
            if (Rename(node.Expression, TwinName) is not { } callee)
            {
                return null;
            }

            newCall = node.WithExpression(callee);
        }

        return newCall.WithArgumentList(AppendToken(newCall.ArgumentList, cancellationTokenNone));
    }

    private ArgumentListSyntax AppendToken(ArgumentListSyntax arguments, ExpressionSyntax cancellationTokenNone)
    {
        ExpressionSyntax value;
        switch (TokenArgument)
        {
            case AsyncTwinTokenArgument.Forward when TokenName is { } token:
                value = IdentifierName(EscapeIdentifier(token));
                break;
            case AsyncTwinTokenArgument.CancellationTokenNone:
                value = cancellationTokenNone;
                break;
            default:
                return arguments;
        }

        var argument = Argument(value);
        if (TokenParameterName is { } parameter)
        {
            argument = argument.WithNameColon(NameColon(IdentifierName(EscapeIdentifier(parameter))));
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

    /// <summary>
    /// Ref locals and locals of ref struct type (C# 13 allows them in async functions) must not live across an
    /// <c>await</c>; a new await could break that, so the fix stays out of such functions.
    /// </summary>
    private static bool DeclaresRefLocals(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (AwaitSyntax.EnclosingFunction(node) is not { } function)
        {
            return false;
        }

        // Once per function, however many calls it makes.
        if (RefLocalsByFunction.TryGetValue(function, out var known))
        {
            return (bool)known;
        }

        var declares = AnyRefLocal(model, function, cancellationToken);
        return (bool)RefLocalsByFunction.GetValue(function, _ => declares);
    }

    private static bool AnyRefLocal(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken)
    {
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
}
