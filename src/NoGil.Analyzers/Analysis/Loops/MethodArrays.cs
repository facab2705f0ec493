namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Per function body (the outermost operation, lambdas and local functions included): the array locals the code
/// creates itself and never points elsewhere, and the variables it writes. Unlike
/// <see cref="ArrayAliasing.IsFreshInMethod"/>, a created array may be handed out (an argument, a return, a
/// constructor): what is known is where the array came from, not who else holds it.
/// </summary>
internal sealed class MethodArrays
{
    private readonly HashSet<ILocalSymbol> _created = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _written = new(SymbolEqualityComparer.Default);

    private MethodArrays(IOperation root)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } declarator
                    when declarator.GetVariableInitializer()?.Value.UnwrapConversions() is IArrayCreationOperation:
                    _created.Add(declared);
                    break;

                case ILocalReferenceOperation or IParameterReferenceOperation when operation.Syntax.Parent is RefExpressionSyntax:
                    // 'ref x' hands out a reference through which the variable may be written.
                    if (WriteTargets.SymbolOf(operation) is { } referenced)
                    {
                        _written.Add(referenced);
                    }

                    break;
            }

            if (WriteTargets.IsWriteTarget(operation, out var target) && target is not null)
            {
                AddWritten(target);
            }
        }
    }

    /// <summary>The facts of the function body around <paramref name="operation"/>.</summary>
    public static MethodArrays Around(IOperation operation)
    {
        var facts = FunctionFacts.Of(operation);
        return Volatile.Read(ref facts.Arrays) ?? FunctionFacts.Publish(ref facts.Arrays, new MethodArrays(operation.Root()));
    }

    /// <summary>
    /// A local initialized with an array creation (<c>var w = new double[n]</c>) and never assigned again, nor passed by
    /// <c>ref</c>/<c>out</c>: wherever it is used, it holds the array this code created.
    /// </summary>
    public bool IsCreatedHere(ISymbol symbol) => symbol is ILocalSymbol local && _created.Contains(local) && !_written.Contains(local);

    /// <summary>
    /// <paramref name="created"/> is an array this code created (<see cref="IsCreatedHere"/>) inside the function that
    /// owns the by-value parameter <paramref name="parameter"/>, which that function never assigns nor passes by
    /// reference: the parameter holds what it held on entry, which existed before the array was created — they are two
    /// different objects, whatever happens to the created array afterwards.
    /// </summary>
    public bool IsCreatedAfterEntryOf(ISymbol created, ISymbol parameter)
    {
        if (parameter is not IParameterSymbol { RefKind: RefKind.None } byValue
            || _written.Contains(byValue)
            || !IsCreatedHere(created)
            || byValue.ContainingSymbol?.DeclaringSyntaxReferences is not { Length: 1 } owners)
        {
            return false;
        }

        var owner = owners[0];
        return created.DeclaringSyntaxReferences.Any(r => r.SyntaxTree == owner.SyntaxTree && owner.Span.Contains(r.Span));
    }

    private void AddWritten(IOperation target)
    {
        switch (target.UnwrapConversions())
        {
            case ITupleOperation tuple:
                foreach (var element in tuple.Elements)
                {
                    AddWritten(element);
                }

                break;

            case var other when WriteTargets.SymbolOf(other) is { } symbol:
                _written.Add(symbol);
                break;
        }
    }
}
