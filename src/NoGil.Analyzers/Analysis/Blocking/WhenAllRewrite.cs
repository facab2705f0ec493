using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// NOGIL204 case B's fix, decided once: the loop that awaits <c>Task.Run</c> per item becomes one
/// <c>await Task.WhenAll(items.Select(x =&gt; Task.Run(…)))</c> — as a statement, an <c>AddRange</c> of the results,
/// or a <c>foreach</c> over them that runs the loop's own body. Null where the names it needs do not bind as
/// intended (another <c>Select</c> than LINQ's could win) or the rewritten loop would not parse.
/// </summary>
public sealed class WhenAllRewrite
{
    private readonly string _awaited;
    private readonly ExpressionSyntax? _addRangeReceiver;
    private readonly AwaitExpressionSyntax _await;

    private WhenAllRewrite(StatementSyntax loop, AwaitExpressionSyntax awaitSyntax, string awaited, bool addsResults, ExpressionSyntax? addRangeReceiver, ImmutableArray<string> usings)
    {
        Loop = loop;
        _await = awaitSyntax;
        _awaited = awaited;
        NeedsResultName = addsResults && addRangeReceiver is null;
        _addRangeReceiver = addRangeReceiver;
        Usings = usings;
    }

    /// <summary>The loop statement the rewrite replaces.</summary>
    public StatementSyntax Loop { get; }

    /// <summary>The namespaces whose using directives the rewrite needs (so that <c>Task</c>, <c>Enumerable</c> and <c>Select</c> bind).</summary>
    public ImmutableArray<string> Usings { get; }

    /// <summary>True when the rewrite is a <c>foreach</c> over the results, whose variable needs a fresh name.</summary>
    public bool NeedsResultName { get; }

    /// <summary>The rewrite of the loop whose awaited offload is at <paramref name="node"/> (the fixer's entry point).</summary>
    public static WhenAllRewrite? Find(SemanticModel model, SyntaxNode node, KnownTypes types, CancellationToken cancellationToken)
        => node.AncestorsAndSelf().FirstOrDefault(a => a is ForEachStatementSyntax or ForStatementSyntax) is StatementSyntax loopSyntax
           && model.GetOperation(loopSyntax, cancellationToken) is ILoopOperation loop
            ? TryCreate(loop, model, types)
            : null;

    public static WhenAllRewrite? TryCreate(ILoopOperation loop, SemanticModel model, KnownTypes types)
    {
        if (SequentialOffloadLoop.TryCreate(loop, types) is not { } sequential
            || sequential.Await.Syntax is not AwaitExpressionSyntax awaitSyntax
            || sequential.Offload.Invocation.Syntax is not InvocationExpressionSyntax offloadSyntax)
        {
            return null;
        }

        var loopSyntax = sequential.LoopSyntax;
        var usings = new List<string>();
        if (TypeName(model, loopSyntax.SpanStart, "Task", types.Task, "System.Threading.Tasks", usings) is not { } taskName
            || Source(sequential, model, types, usings) is not { } source)
        {
            return null;
        }

        var whenAll = taskName + ".WhenAll(" + source + ".Select(" + sequential.Variable.Name + " => " + offloadSyntax.WithoutTrivia().ToFullString() + "))";
        if (sequential.ConfigureAwait is { Arguments.Length: 1 } configure && configure.Arguments[0].Syntax is ArgumentSyntax configureArgument)
        {
            whenAll += ".ConfigureAwait(" + configureArgument.WithoutTrivia().ToFullString() + ")";
        }

        ExpressionSyntax? addRangeReceiver = null;
        if (sequential.Add is { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax addAccess } } add
            && !sequential.AddConvertsValue && IsList(add.Instance?.Type, types) && KnownTypes.Is(add.TargetMethod.ContainingType?.OriginalDefinition, types.ListOfT))
        {
            addRangeReceiver = addAccess.Expression;
        }

        var addsResults = sequential.Add is { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax } };
        var rewrite = new WhenAllRewrite(loopSyntax, awaitSyntax, "await " + whenAll, addsResults, addRangeReceiver, usings.Distinct().ToImmutableArray());
        return rewrite.BuildStatement("result").ContainsDiagnostics ? null : rewrite;
    }

    /// <summary>The statement that replaces the loop, with the loop's trivia; <paramref name="resultName"/> names the results' variable.</summary>
    public StatementSyntax BuildReplacement(string resultName)
        => BuildStatement(resultName).WithLeadingTrivia(Loop.GetLeadingTrivia()).WithTrailingTrivia(Loop.GetTrailingTrivia());

    private StatementSyntax BuildStatement(string resultName)
    {
        StatementSyntax replacement;
        if (_addRangeReceiver is { } receiver)
        {
            replacement = ParseStatement(receiver.WithoutTrivia().ToFullString() + ".AddRange(" + _awaited + ");");
        }
        else if (!NeedsResultName)
        {
            replacement = ParseStatement(_awaited + ";");
        }
        else
        {
            var body = Loop switch
            {
                ForEachStatementSyntax forEach => forEach.Statement,
                ForStatementSyntax @for => @for.Statement,
                _ => Loop,
            };
            replacement = ForEachStatement(
                Token(SyntaxKind.ForEachKeyword).WithTrailingTrivia(Space),
                Token(SyntaxKind.OpenParenToken),
                IdentifierName("var").WithTrailingTrivia(Space),
                Identifier(resultName).WithTrailingTrivia(Space),
                Token(SyntaxKind.InKeyword).WithTrailingTrivia(Space),
                ParseExpression(_awaited),
                Token(SyntaxKind.CloseParenToken).WithTrailingTrivia(LoopHeaderTrailingTrivia(Loop)),
                body.ReplaceNode(_await, IdentifierName(resultName).WithTriviaFrom(_await)));
        }

        return replacement;
    }

    /// <summary>The sequence of items: the collection itself, or <c>Enumerable.Range(lo, count)</c>.</summary>
    private static string? Source(SequentialOffloadLoop sequential, SemanticModel model, KnownTypes types, List<string> usings)
    {
        var position = sequential.LoopSyntax.SpanStart;
        if (sequential.Collection is { Syntax: ExpressionSyntax collectionSyntax } collection)
        {
            return SelectBindsToLinq(model, position, collection.Type, usings) ? SyntaxShapes.Parenthesize(collectionSyntax.WithoutTrivia()) : null;
        }

        if (sequential.Lower is not { Syntax: ExpressionSyntax lowerSyntax } || sequential.Upper is not { Syntax: ExpressionSyntax upperSyntax }
            || TypeName(model, position, "Enumerable", types.Enumerable, "System.Linq", usings) is not { } enumerableName)
        {
            return null;
        }

        var lower = SyntaxShapes.Parenthesize(lowerSyntax.WithoutTrivia());
        var count = sequential.Lower.ConstantValue is { HasValue: true, Value: 0 }
            ? upperSyntax.WithoutTrivia().ToFullString()
            : SyntaxShapes.Parenthesize(upperSyntax.WithoutTrivia()) + " - " + lower;
        if (!sequential.CountIsNonNegative)
        {
            var mathName = TypeName(model, position, "Math", types.Math, namespaceName: null, usings) ?? "System.Math";
            count = mathName + ".Max(0, " + count + ")";
        }

        return enumerableName + ".Range(" + lower + ", " + count + ")";
    }

    private static SyntaxTriviaList LoopHeaderTrailingTrivia(StatementSyntax loop)
        => loop switch
        {
            ForEachStatementSyntax forEach => forEach.CloseParenToken.TrailingTrivia,
            ForStatementSyntax @for => @for.CloseParenToken.TrailingTrivia,
            _ => TriviaList(Space),
        };

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
}
