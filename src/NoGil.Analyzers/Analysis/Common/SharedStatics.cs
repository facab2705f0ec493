namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Does code read mutable static state, itself or through the source methods it calls (at most
/// <see cref="Purity.MaxCallDepth"/> calls deep)? <see cref="Purity"/> proves that code writes nothing shared but lets
/// it read anything; code moved out of a lock must also not read what other threads write under that lock. Static
/// fields that are not constants or <c>readonly</c> fields of immutable type, and static properties defined in source
/// without a body to inspect, count as mutable. Past the depth bound the answer is "reads" (conservative).
/// </summary>
public static class SharedStatics
{
    public static bool AreRead(IOperation code, PurityCache cache, CancellationToken cancellationToken)
        => AreRead(code, cache, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    private static bool AreRead(IOperation code, PurityCache cache, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        foreach (var operation in code.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IFieldReferenceOperation { Field: { IsStatic: true } field }
                    when !field.IsConst && !(field.IsReadOnly && Purity.IsImmutable(field.Type)):
                    return true;

                case IInvocationOperation invocation when CalleeReads(invocation.TargetMethod, cache, depth, inProgress, cancellationToken):
                case IObjectCreationOperation { Constructor: { } constructor } when CalleeReads(constructor, cache, depth, inProgress, cancellationToken):
                case IMethodReferenceOperation reference when CalleeReads(reference.Method, cache, depth, inProgress, cancellationToken):
                case IPropertyReferenceOperation { Property.GetMethod: { } getter } when CalleeReads(getter, cache, depth, inProgress, cancellationToken):
                    return true;
            }
        }

        return false;
    }

    private static bool CalleeReads(IMethodSymbol method, PurityCache cache, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
        if (!Purity.IsInSource(definition))
        {
            // BCL members are judged by Purity (side effects) and CpuWork (cost); their own statics are not this program's shared state.
            return false;
        }

        if (depth == 0 && cache.TryGetStaticReads(definition, out var known))
        {
            return known;
        }

        if (!inProgress.Add(definition))
        {
            return false;
        }

        bool reads;
        try
        {
            if (depth + 1 > Purity.MaxCallDepth)
            {
                reads = true;
            }
            else
            {
                var references = definition.DeclaringSyntaxReferences;
                if (references.Length != 1)
                {
                    reads = true;
                }
                else
                {
                    var syntax = references[0].GetSyntax(cancellationToken);
                    var body = cache.GetModel(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken);
                    reads = body is null
                        ? definition.IsStatic || definition.AssociatedSymbol is not IPropertySymbol // a static auto-property reads its (mutable) backing field
                        : AreRead(body, cache, depth + 1, inProgress, cancellationToken);
                }
            }
        }
        finally
        {
            inProgress.Remove(definition);
        }

        if (depth == 0)
        {
            cache.SetStaticReads(definition, reads);
        }

        return reads;
    }
}
