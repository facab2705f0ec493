namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>How <see cref="AsyncTwinCall"/> picks the cancellation token to forward.</summary>
public sealed partial class AsyncTwinCall
{
    private static readonly string[] PreferredTokenNames = { "cancellationToken", "ct", "token" };

    /// <summary>
    /// The one <see cref="System.Threading.CancellationToken"/> the call site can forward: a parameter of the enclosing
    /// functions, or an initialized local declared before the call. Several candidates: the one with a conventional
    /// name, if exactly one has it; otherwise none (ambiguous).
    /// </summary>
    private static ISymbol? FindTokenInScope(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        if (types.CancellationToken is null)
        {
            return null;
        }

        var position = invocation.Syntax.SpanStart;
        var candidates = new List<ISymbol>();
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case IBlockOperation block:
                    AddLocals(block.Locals);
                    break;
                case ILoopOperation loop:
                    AddLocals(loop.Locals);
                    break;
                case IUsingOperation usingOperation:
                    AddLocals(usingOperation.Locals);
                    break;
                case ISwitchCaseOperation switchCase:
                    AddLocals(switchCase.Locals);
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    AddParameters(current is IAnonymousFunctionOperation lambda ? lambda.Symbol : ((ILocalFunctionOperation)current).Symbol);
                    if (IsStaticFunction(current.Syntax))
                    {
                        // A static function sees nothing of the functions around it.
                        return Pick(candidates);
                    }

                    break;
            }
        }

        if (owningSymbol is IMethodSymbol owner)
        {
            AddParameters(owner);
        }

        return Pick(candidates);

        void AddParameters(IMethodSymbol function)
        {
            foreach (var parameter in function.Parameters)
            {
                if (parameter.RefKind == RefKind.None && KnownTypes.Is(parameter.Type, types.CancellationToken))
                {
                    candidates.Add(parameter);
                }
            }
        }

        void AddLocals(ImmutableArray<ILocalSymbol> locals)
        {
            foreach (var local in locals)
            {
                if (KnownTypes.Is(local.Type, types.CancellationToken) && local.RefKind == RefKind.None && IsAssignedBefore(local, position))
                {
                    candidates.Add(local);
                }
            }
        }
    }

    private static bool IsStaticFunction(SyntaxNode syntax)
        => syntax is AnonymousFunctionExpressionSyntax { Modifiers: var lambdaModifiers } && lambdaModifiers.Any(SyntaxKind.StaticKeyword)
           || syntax is LocalFunctionStatementSyntax { Modifiers: var localModifiers } && localModifiers.Any(SyntaxKind.StaticKeyword);

    /// <summary>Declared (with a value) entirely before <paramref name="position"/>.</summary>
    private static bool IsAssignedBefore(ILocalSymbol local, int position)
    {
        if (local.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = local.DeclaringSyntaxReferences[0].GetSyntax();
        switch (declaration)
        {
            case VariableDeclaratorSyntax { Initializer: not null } declarator:
                return declarator.Span.End <= position;
            case ForEachStatementSyntax forEach:
                return forEach.Statement.Span.Contains(position);
            case SingleVariableDesignationSyntax { Parent: DeclarationExpressionSyntax { Parent: ArgumentSyntax argument } }
                when argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword):
                return argument.Span.End <= position && argument.Parent?.Parent is { } call && call.Span.End <= position;
            default:
                return false;
        }
    }

    private static ISymbol? Pick(List<ISymbol> candidates)
    {
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var preferred = candidates.Where(c => PreferredTokenNames.Contains(c.Name)).ToList();
        return preferred.Count == 1 ? preferred[0] : null;
    }
}
