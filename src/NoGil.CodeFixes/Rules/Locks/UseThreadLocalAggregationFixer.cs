using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;
using NoGil.Analyzers.Rules.Locks;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL103 fix "Aggregate per worker": the <c>Parallel.For</c>/<c>ForEach</c> overload with <c>localInit</c> and
/// <c>localFinally</c>. Each worker folds its iterations into a local partial result (starting from the operation's
/// identity) and merges it into the shared accumulator once, with the original lock or <c>Interlocked.Add</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseThreadLocalAggregationFixer)), Shared]
public sealed class UseThreadLocalAggregationFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.UseThreadLocalAggregation + ".LocalInitFinally";

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.UseThreadLocalAggregation);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!diagnostic.Properties.TryGetValue(UseThreadLocalAggregationAnalyzer.FixableProperty, out var fixable) || fixable != "true"
                || Fix(root, model, diagnostic, context.CancellationToken) is not { } newRoot)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Aggregate per worker (localInit/localFinally)", _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), EquivalenceKey),
                diagnostic);
        }
    }

    private static SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var span = diagnostic.Location.SourceSpan;
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var types = new KnownTypes(model.Compilation);
        var purity = PurityCache.For(model.Compilation);
        foreach (var invocation in root.FindNode(span, getInnermostNodeForTie: true).AncestorsAndSelf().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation loop
                && ParallelReduction.TryCreate(loop, types, purity, cancellationToken) is { CanFix: true } reduction
                && reduction.Update.Syntax.Span.Contains(span))
            {
                var replacement = Rewrite(invocation, reduction);
                return replacement is null ? null : root.ReplaceNode(invocation, replacement.WithTriviaFrom(invocation).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        return null;
    }

    private static InvocationExpressionSyntax? Rewrite(InvocationExpressionSyntax invocation, ParallelReduction reduction)
    {
        if (reduction.Body.Syntax is not LambdaExpressionSyntax lambda || reduction.Body.Symbol.Parameters.Length != 1)
        {
            return null;
        }

        var member = invocation.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? (SyntaxNode)invocation;
        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var local = Unique(used, reduction.Kind switch
        {
            ReductionKind.Count => "localCount",
            ReductionKind.Max => "localMax",
            ReductionKind.Min => "localMin",
            _ => "localSum",
        });
        var state = Unique(used, "loopState");
        var item = reduction.Body.Symbol.Parameters[0].Name;
        var accumulator = reduction.AccumulatorReference.Syntax.ToString();
        var typeName = reduction.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        var value = reduction.Value?.Syntax.ToString();
        var mathCall = reduction.Kind is ReductionKind.Max or ReductionKind.Min && reduction.Lock?.Body is { } lockBody
            ? lockBody.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault()?.Expression.ToString()
            : null;

        string? identity = reduction.Kind switch
        {
            ReductionKind.Sum or ReductionKind.Count => reduction.Type.SpecialType switch
            {
                SpecialType.System_Int32 => "0",
                SpecialType.System_Int64 => "0L",
                SpecialType.System_UInt32 => "0U",
                SpecialType.System_UInt64 => "0UL",
                _ => null,
            },
            ReductionKind.Max => reduction.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single ? typeName + ".NegativeInfinity" : typeName + ".MinValue",
            _ => reduction.Type.SpecialType is SpecialType.System_Double or SpecialType.System_Single ? typeName + ".PositiveInfinity" : typeName + ".MaxValue",
        };

        if (identity is null || (reduction.Kind is ReductionKind.Max or ReductionKind.Min && mathCall is null))
        {
            return null;
        }

        // The per-iteration update on the worker's local partial result.
        var update = reduction.Kind switch
        {
            ReductionKind.Sum => $"{local} += {value};",
            ReductionKind.Count => $"{local}++;",
            _ => $"{local} = {mathCall}({local}, {value});",
        };

        string body;
        if (lambda.ExpressionBody is not null)
        {
            if (reduction.Lock is not null)
            {
                return null;
            }

            body = reduction.Kind == ReductionKind.Count ? $"{local} + 1" : $"{local} + ({value})";
        }
        else if (lambda.Block is { } block)
        {
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

            body = newBlock.ToFullString();
        }
        else
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
            else if (argument.NameColon is not null)
            {
                return null;
            }
            else
            {
                arguments.Add(argument.ToString());
            }
        }

        var text = invocation.Expression + "(" + string.Join(", ", arguments) + ")";
        return ParseExpression(text) as InvocationExpressionSyntax;
    }

    private static string MergeStatement(ParallelReduction reduction, string accumulator, string local, string? mathCall)
        => reduction.Kind is ReductionKind.Max or ReductionKind.Min
            ? $"{accumulator} = {mathCall}({accumulator}, {local});"
            : $"{accumulator} += {local};";

    private static string InterlockedType(ParallelReduction reduction)
        => reduction.Update.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault()?.Expression is MemberAccessExpressionSyntax access
            ? access.Expression.ToString()
            : "System.Threading.Interlocked";

    private static string Unique(HashSet<string> used, string name)
    {
        var candidate = name;
        for (var i = 2; used.Contains(candidate); i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        used.Add(candidate);
        return candidate;
    }
}
