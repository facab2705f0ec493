namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// NOGIL203's fix, decided once per function: the method or local function that blocks becomes <c>async</c>, awaits
/// every task it blocked on, and its callers in the document await it; in top-level statements the waits simply
/// become awaits. <see cref="TryCreate"/> returns null where the result would not compile — the analyzer then
/// reports without a fix, and the fixer renders exactly what it returns.
/// </summary>
public sealed class AsyncConversion
{
    private AsyncConversion(SyntaxNode function, IMethodSymbol method, bool isTopLevel, ImmutableArray<AwaitForm> waits, ImmutableArray<InvocationExpressionSyntax> callers)
    {
        Function = function;
        Method = method;
        IsTopLevel = isTopLevel;
        Waits = waits;
        Callers = callers;
    }

    /// <summary>The method or local function declaration that becomes async; the compilation unit for top-level statements.</summary>
    public SyntaxNode Function { get; }

    public IMethodSymbol Method { get; }

    public bool IsTopLevel { get; }

    public FixKind Kind => IsTopLevel ? FixKind.AwaitInTopLevelCode : FixKind.MakeMethodAsync;

    /// <summary>Every wait NOGIL203 reports in the function, each with its await form.</summary>
    public ImmutableArray<AwaitForm> Waits { get; }

    /// <summary>The calls of the method in its document; each becomes an <c>await</c>.</summary>
    public ImmutableArray<InvocationExpressionSyntax> Callers { get; }

    /// <summary>
    /// The conversion of the function that holds <paramref name="site"/> (one of <paramref name="sites"/>, the
    /// scanner's sites of its operation tree), or null when the function cannot become async.
    /// </summary>
    public static AsyncConversion? TryCreate(BlockingWaitSite site, IReadOnlyList<BlockingWaitSite> sites, SemanticModel model, CancellationToken cancellationToken)
    {
        var node = site.Syntax;
        var function = node.AncestorsAndSelf().FirstOrDefault(a => a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or GlobalStatementSyntax
            or AnonymousFunctionExpressionSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or BasePropertyDeclarationSyntax);
        IMethodSymbol? method;
        switch (function)
        {
            case GlobalStatementSyntax:
                function = node.SyntaxTree.GetRoot(cancellationToken);
                method = model.GetEnclosingSymbol(node.SpanStart, cancellationToken) as IMethodSymbol;
                break;
            case MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                method = model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol;
                if (method is null || !CanBecomeAsync(method, function, model, cancellationToken))
                {
                    return null;
                }

                break;
            default:
                return null;
        }

        if (method is null || !SymbolEqualityComparer.Default.Equals(site.Function, method) || WaitsOf(method, sites) is not { } waits)
        {
            return null;
        }

        var isTopLevel = function is CompilationUnitSyntax;
        var callers = isTopLevel ? ImmutableArray<InvocationExpressionSyntax>.Empty : AsyncCallers.Find(method, function, model, cancellationToken);
        return callers is { } found ? new AsyncConversion(function, method, isTopLevel, waits, found) : null;
    }

    /// <summary>Every wait NOGIL203 reports in <paramref name="method"/>; null when one of them has no await form.</summary>
    private static ImmutableArray<AwaitForm>? WaitsOf(IMethodSymbol method, IReadOnlyList<BlockingWaitSite> sites)
    {
        var waits = ImmutableArray.CreateBuilder<AwaitForm>();
        foreach (var site in sites)
        {
            if (!site.IsSyncOverAsync || !SymbolEqualityComparer.Default.Equals(site.Function, method))
            {
                continue;
            }

            if (site.AwaitForm is not { } form)
            {
                return null;
            }

            waits.Add(form);
        }

        return waits.ToImmutable();
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

        return !ImplementsAnInterface(method, cancellationToken) && BodyCanBeAsync(declaration, model, cancellationToken);
    }

    private static bool IsTaskLikeOrAwaitable(ITypeSymbol type)
        => type.GetMembers("GetAwaiter").Any(m => m is IMethodSymbol { Parameters.Length: 0 });

    /// <summary>Implicit interface implementations keep their signature.</summary>
    private static bool ImplementsAnInterface(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var @interface in method.ContainingType?.AllInterfaces ?? ImmutableArray<INamedTypeSymbol>.Empty)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType!.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Iterators, ref locals and ref-like locals cannot live in an async method.</summary>
    private static bool BodyCanBeAsync(SyntaxNode declaration, SemanticModel model, CancellationToken cancellationToken)
    {
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
}
