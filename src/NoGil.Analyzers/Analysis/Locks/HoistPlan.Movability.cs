namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>What may move: statements without jumps or captured writes, outside lazy-initialization guards, whose declarations can take a wider scope.</summary>
public sealed partial class HoistPlan
{
    /// <summary>CPU work in a call whose receiver is shared, outside lazy-initialization guards.</summary>
    private static IOperation? FindSharedObjectWork(IOperation statement, SectionAccess access, PurityCache cache, CancellationToken cancellationToken)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { Instance: { } receiver, TargetMethod: { } method } call
                && access.SharedRoot(receiver) is not null
                && Purity.IsInSource(method)
                && !IsUnderSharedCondition(call, statement, access)
                && CpuWork.Find(call, cache, skip: o => o != call, cancellationToken) is not null)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>True for the branch of an <c>if</c> on shared state, or the value of <c>shared ??= …</c> (a subtree to skip).</summary>
    public static bool IsLazyBranch(IOperation operation, SectionAccess access)
        => (operation.Parent is IConditionalOperation conditional && conditional.Condition != operation && access.Classify(conditional.Condition).TouchesShared)
           || (operation.Parent is ICoalesceAssignmentOperation coalesce && coalesce.Value == operation && access.Classify(coalesce.Target).TouchesShared);

    /// <summary>Lazy initialization: code under <c>if (_x == null)</c> or <c>_x ??= …</c> runs once, not every time.</summary>
    public static bool IsUnderSharedCondition(IOperation operation, IOperation statement, SectionAccess access)
    {
        for (var current = operation; current is not null && current != statement.Parent; current = current.Parent)
        {
            if (IsLazyBranch(current, access))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>No jumps out of the statement, no local functions, no writes to locals that a lambda captures.</summary>
    private static bool IsMovable(IOperation statement, HashSet<ISymbol> captured)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IReturnOperation when !IsInsideLambda(operation, statement):
                case ILocalFunctionOperation:
                case IAnonymousFunctionOperation { Symbol.IsAsync: true }:
                case IAwaitOperation:
                case ILabeledOperation:
                    return false;
                case IBranchOperation branch when branch.BranchKind == BranchKind.GoTo || !HasLoopOrSwitchBetween(branch, statement):
                    return false;
                case ILocalReferenceOperation local when captured.Contains(local.Local):
                    return false;
                case IParameterReferenceOperation parameter when captured.Contains(parameter.Parameter):
                    return false;
            }
        }

        return true;
    }

    private static bool IsInsideLambda(IOperation operation, IOperation statement)
    {
        for (var current = operation.Parent; current is not null && current != statement; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoopOrSwitchBetween(IOperation branch, IOperation statement)
    {
        for (var current = branch.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation or ISwitchOperation)
            {
                return true;
            }

            if (current == statement)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Locals and parameters of <paramref name="function"/> referenced inside nested lambdas or local functions.</summary>
    private static HashSet<ISymbol> CapturedSymbols(IOperation function)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var nested in function.Descendants())
        {
            if (nested is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
            {
                continue;
            }

            foreach (var reference in nested.Descendants())
            {
                if (reference is ILocalReferenceOperation local && !Purity.IsDeclaredWithin(local.Local, nested.Syntax))
                {
                    result.Add(local.Local);
                }
                else if (reference is IParameterReferenceOperation parameter && !Purity.IsDeclaredWithin(parameter.Parameter, nested.Syntax))
                {
                    result.Add(parameter.Parameter);
                }
            }
        }

        return result;
    }

    /// <summary>The syntax of the statements the hoist moves, in order.</summary>
    public ImmutableArray<StatementSyntax> PrefixStatements
        => Section.Statements.Take(PrefixLength).Select(s => s.Syntax).OfType<StatementSyntax>().ToImmutableArray();

    /// <summary>
    /// Can the moved statements leave the section's scope? Each must be a statement of its own, and the names they
    /// declare must occur nowhere else in the member: in the wider scope they would clash with, or hide, another use.
    /// </summary>
    private bool CanWidenPrefixScope()
    {
        var prefix = PrefixStatements;
        if (prefix.Length != PrefixLength)
        {
            return false;
        }

        var sectionNodes = Section.Statements.Select(s => s.Syntax).ToList();
        foreach (var declared in prefix.SelectMany(DeclaredNames))
        {
            foreach (var token in Section.Member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == declared && !sectionNodes.Any(n => n.Span.Contains(token.Span)))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static IEnumerable<string> DeclaredNames(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    yield return declarator.Identifier.ValueText;
                    break;
                case SingleVariableDesignationSyntax designation:
                    yield return designation.Identifier.ValueText;
                    break;
                case ForEachStatementSyntax forEach:
                    yield return forEach.Identifier.ValueText;
                    break;
            }
        }
    }
}
