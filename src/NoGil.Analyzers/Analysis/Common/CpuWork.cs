namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// A cheap, conservative estimate of CPU work: does a piece of code run a loop that is not trivially small, call a
/// source method that loops (at most <see cref="Purity.MaxCallDepth"/> calls deep, memoized in
/// <see cref="PurityCache"/>), or call a known compute-heavy BCL member (hashing, sorting, regular expressions,
/// serialization, LINQ over a collection)?
/// </summary>
public static class CpuWork
{
    /// <summary>A <c>for</c> loop whose bound is a constant at most this large is trivially small.</summary>
    public const int TrivialLoopBound = 16;

    /// <summary>
    /// The first operation inside <paramref name="code"/> that is CPU work, or null. Subtrees for which
    /// <paramref name="skip"/> answers true are not looked into.
    /// </summary>
    public static IOperation? Find(IOperation code, PurityCache cache, System.Func<IOperation, bool>? skip, CancellationToken cancellationToken)
        => Find(code, cache, skip, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    /// <summary>
    /// Is <paramref name="operation"/> itself CPU work, its children not looked into: the same answer as
    /// <c>Find(operation, cache, skip: o =&gt; o != operation, …) is not null</c>, without the walk's allocations.
    /// </summary>
    public static bool IsHeavyItself(IOperation operation, PurityCache cache, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return operation switch
        {
            ILoopOperation or IInvocationOperation or IObjectCreationOperation
                => IsHeavy(operation, cache, depth: 0, inProgress: null, cancellationToken),
            _ => false,
        };
    }

    private static IOperation? Find(IOperation code, PurityCache cache, System.Func<IOperation, bool>? skip, int depth, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var stack = new Stack<IOperation>(16);
        stack.Push(code);
        while (stack.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var operation = stack.Pop();
            if (skip is not null && skip(operation))
            {
                continue;
            }

            if (IsHeavy(operation, cache, depth, inProgress, cancellationToken))
            {
                return operation;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push(child);
            }
        }

        return null;
    }

    private static bool IsHeavy(IOperation operation, PurityCache cache, int depth, HashSet<IMethodSymbol>? inProgress, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case ILoopOperation loop:
                return !IsTriviallySmall(loop);
            case IInvocationOperation invocation:
                return IsKnownHeavy(invocation.TargetMethod) || CallsLoopingSource(invocation.TargetMethod, cache, depth, inProgress, cancellationToken);
            case IObjectCreationOperation { Constructor: { } constructor }:
                return Purity.IsInSource(constructor) && CallsLoopingSource(constructor, cache, depth, inProgress, cancellationToken);
            default:
                return false;
        }
    }

    /// <summary>A short description of a piece of CPU work for messages: "a loop", "the call to 'SHA256.HashData'".</summary>
    public static string Describe(IOperation work) => work switch
    {
        ILoopOperation => "a loop",
        IInvocationOperation invocation => "the call to '" + (invocation.TargetMethod.ContainingType is { } type ? type.Name + "." : string.Empty) + invocation.TargetMethod.Name + "'",
        IObjectCreationOperation creation => "'new " + creation.Type?.Name + "'",
        _ => "CPU work",
    };

    /// <summary>
    /// A loop that runs at most <see cref="TrivialLoopBound"/> times: a constant bound, or a trip count the code fixes by
    /// construction (<see cref="Loops.TripBound.IsSmall"/>, the one test the kernel rules share); or a <c>while</c> that
    /// runs at most once (<see cref="WrapAroundLoop"/>: <c>h %= 360; while (h &lt; 0) h += 360;</c>).
    /// </summary>
    public static bool IsTriviallySmall(ILoopOperation loop) => WrapAroundLoop.RunsAtMostOnce(loop) || Loops.TripBound.IsSmall(loop);

    /// <summary>Known compute-heavy BCL members.</summary>
    public static bool IsKnownHeavy(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null)
        {
            return false;
        }

        var ns = NamespaceName.Of(type) ?? string.Empty;
        switch (ns)
        {
            case "System.Security.Cryptography":
                return method.Name is "HashData" or "TryHashData" or "ComputeHash" or "TryComputeHash" or "Pbkdf2" or "Encrypt" or "Decrypt" or "SignData" or "VerifyData";
            case "System.Text.RegularExpressions":
                return type.Name == "Regex" && method.MethodKind != MethodKind.PropertyGet;
            case "System.Text.Json":
                return type.Name == "JsonSerializer";
            case "System.Xml.Serialization":
                return method.Name is "Serialize" or "Deserialize";
            case "System.IO.Compression":
                return method.Name is "Compress" or "Decompress" or "TryCompress" or "TryDecompress";
            case "System":
                return type.Name == "Array" && method.Name == "Sort";
            case "System.Collections.Generic":
                return type.Name is "List" && method.Name is "Sort";
            case "System.Linq":
                return type.Name is "Enumerable" or "ParallelEnumerable"
                       && method.Name is not ("First" or "FirstOrDefault" or "Single" or "SingleOrDefault" or "ElementAt" or "ElementAtOrDefault"
                           or "Empty" or "Range" or "Repeat" or "AsEnumerable" or "Cast" or "OfType" or "Take" or "Skip" or "Append" or "Prepend"
                           or "DefaultIfEmpty" or "TryGetNonEnumeratedCount")
                       && !(method.Name is "Any" or "Count" or "LongCount" && method.Parameters.Length <= 1);
            default:
                return false;
        }
    }

    /// <summary>Does a call to this source method run a loop, itself or through its source callees (bounded depth)?</summary>
    private static bool CallsLoopingSource(IMethodSymbol method, PurityCache cache, int depth, HashSet<IMethodSymbol>? inProgress, CancellationToken cancellationToken)
    {
        var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
        if (!Purity.IsInSource(definition) || definition.IsAbstract)
        {
            return false;
        }

        if (depth == 0 && cache.TryGetCpuWork(definition, out var known))
        {
            return known;
        }

        inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (depth + 1 > Purity.MaxCallDepth || !inProgress.Add(definition))
        {
            return false;
        }

        IOperation? work = null;
        try
        {
            var references = definition.DeclaringSyntaxReferences;
            if (references.Length == 1)
            {
                var syntax = references[0].GetSyntax(cancellationToken);
                if (cache.GetModel(syntax.SyntaxTree)?.GetOperation(syntax, cancellationToken) is { } body)
                {
                    work = Find(body, cache, skip: null, depth + 1, inProgress, cancellationToken);
                }
            }
        }
        finally
        {
            inProgress.Remove(definition);
        }

        if (depth == 0)
        {
            // Only top-level answers are free of depth-bound assumptions.
            cache.SetCpuWork(definition, work);
        }

        return work is not null;
    }
}
