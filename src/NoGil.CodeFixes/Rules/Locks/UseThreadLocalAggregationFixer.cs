namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL103 fix "Aggregate per worker": the <c>Parallel.For</c>/<c>ForEach</c> overload with <c>localInit</c> and
/// <c>localFinally</c>. Each worker folds its iterations into a local partial result (starting from the operation's
/// identity) and merges it into the shared accumulator once, with the original lock or <c>Interlocked.Add</c>. It
/// renders the loop's <see cref="ParallelReduction"/>, the same the analyzer announced the fix from.
/// </summary>
/// <remarks>Fix All: each fix replaces only its own loop call.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseThreadLocalAggregationFixer)), Shared]
public sealed class UseThreadLocalAggregationFixer() : NoGilCodeFixProvider(FixAllMode.Batch, RuleIdentifiers.UseThreadLocalAggregation)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var span = request.Diagnostic.Location.SourceSpan;
        var purity = PurityCache.For(request.Model.Compilation);
        foreach (var invocation in request.Node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (request.Model.GetOperation(invocation, request.CancellationToken) is IInvocationOperation loop
                && ParallelReduction.For(loop, request.Types, purity, request.CancellationToken) is { CanFix: true } reduction
                && reduction.Update.Syntax.Span.Contains(span))
            {
                return Rewrite(invocation, reduction) is { } replacement
                    ? request.Root.ReplaceNode(invocation, replacement.WithTriviaFrom(invocation).WithAdditionalAnnotations(Formatter.Annotation))
                    : null;
            }
        }

        // The loop no longer holds the reduction the diagnostic was reported on.
        return null;
    }

    /// <summary>
    /// The call with the three delegates in place of the body. Null only where <see cref="ParallelReduction.CanFix"/>
    /// already said no (an inexact sum, a body that is not a lambda argument): never for an announced fix.
    /// </summary>
    private static InvocationExpressionSyntax? Rewrite(InvocationExpressionSyntax invocation, ParallelReduction reduction)
    {
        if (reduction.Body.Syntax is not LambdaExpressionSyntax lambda || Identity(reduction) is not { } identity)
        {
            return null;
        }

        var member = invocation.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? (SyntaxNode)invocation;
        var used = SectionHoister.IdentifiersIn(member);
        var local = FreshNames.Next(used, reduction.Kind switch
        {
            ReductionKind.Count => "localCount",
            ReductionKind.Max => "localMax",
            ReductionKind.Min => "localMin",
            _ => "localSum",
        });
        var state = FreshNames.Next(used, "loopState");
        var item = reduction.Body.Symbol.Parameters[0].Name;
        var accumulator = reduction.AccumulatorReference.Syntax.ToString();
        var mathCall = MathCall(reduction);
        if ((reduction.Kind is ReductionKind.Max or ReductionKind.Min && mathCall is null) || Body(lambda, reduction, local, mathCall) is not { } body)
        {
            return null;
        }

        var merge = reduction.Lock is { } lockOperation
            ? $"{local} => {{ lock ({lockOperation.LockedValue.Syntax}) {{ {MergeStatement(reduction, accumulator, local, mathCall)} }} }}"
            : $"{local} => {InterlockedType(reduction)}.Add(ref {accumulator}, {local})";

        var arguments = new List<string>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.Expression == lambda)
            {
                arguments.Add($"() => {identity}");
                arguments.Add($"({item}, {state}, {local}) => {body}");
                arguments.Add(merge);
            }
            else
            {
                arguments.Add(argument.ToString());
            }
        }

        var text = invocation.Expression + "(" + string.Join(", ", arguments) + ")";
        return ParseExpression(text) as InvocationExpressionSyntax;
    }

    /// <summary>The value a worker's partial result starts from: 0 for sums and counts, the type's lowest value for a max, its highest for a min.</summary>
    private static string? Identity(ParallelReduction reduction)
    {
        var typeName = reduction.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var isFloatingPoint = reduction.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single;
        return reduction.Kind switch
        {
            ReductionKind.Sum or ReductionKind.Count => reduction.Type.SpecialType switch
            {
                SpecialType.System_Int32 => "0",
                SpecialType.System_Int64 => "0L",
                SpecialType.System_UInt32 => "0U",
                SpecialType.System_UInt64 => "0UL",
                _ => null,
            },
            ReductionKind.Max => isFloatingPoint ? typeName + ".NegativeInfinity" : typeName + ".MinValue",
            _ => isFloatingPoint ? typeName + ".PositiveInfinity" : typeName + ".MaxValue",
        };
    }

    /// <summary>The <c>Math.Max</c>/<c>Math.Min</c> of a max or min reduction, as written under the lock; null for sums and counts.</summary>
    private static string? MathCall(ParallelReduction reduction)
        => reduction.Kind is ReductionKind.Max or ReductionKind.Min && reduction.Lock?.Body is { } lockBody
            ? lockBody.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault()?.Expression.ToString()
            : null;

    /// <summary>The new body: the update folds into the worker's partial result, which every exit returns.</summary>
    private static string? Body(LambdaExpressionSyntax lambda, ParallelReduction reduction, string local, string? mathCall)
    {
        var value = reduction.Value?.Syntax.ToString();
        if (lambda.ExpressionBody is not null)
        {
            return reduction.Kind == ReductionKind.Count ? $"{local} + 1" : $"{local} + ({value})";
        }

        if (lambda.Block is not { } block)
        {
            return null;
        }

        var update = reduction.Kind switch
        {
            ReductionKind.Sum => $"{local} += {value};",
            ReductionKind.Count => $"{local}++;",
            _ => $"{local} = {mathCall}({local}, {value});",
        };
        var updateSyntax = reduction.Update.Syntax;
        var returns = block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .ToList();
        var newBlock = block.ReplaceNodes(
            returns.Cast<SyntaxNode>().Append(updateSyntax),
            (original, _) => original == updateSyntax
                ? ParseStatement(update).WithTriviaFrom(updateSyntax)
                : ParseStatement($"return {local};").WithTriviaFrom(original));
        if (newBlock.Statements.LastOrDefault() is not ReturnStatementSyntax)
        {
            newBlock = newBlock.AddStatements(ParseStatement($"return {local};"));
        }

        return newBlock.ToFullString();
    }

    private static string MergeStatement(ParallelReduction reduction, string accumulator, string local, string? mathCall)
        => reduction.Kind is ReductionKind.Max or ReductionKind.Min
            ? $"{accumulator} = {mathCall}({accumulator}, {local});"
            : $"{accumulator} += {local};";

    private static string InterlockedType(ParallelReduction reduction)
        => reduction.Update.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault()?.Expression is MemberAccessExpressionSyntax access
            ? access.Expression.ToString()
            : "System.Threading.Interlocked";
}
