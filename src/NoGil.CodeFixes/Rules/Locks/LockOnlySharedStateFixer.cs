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
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL104 fix "Lock a private object around the shared-state part": removes
/// <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>, adds a private readonly lock object, runs the lock-free prefix
/// of the body before taking it, and locks the rest.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnlySharedStateFixer)), Shared]
public sealed class LockOnlySharedStateFixer : CodeFixProvider
{
    public const string EquivalenceKey = RuleIdentifiers.LockOnlySharedState + ".PrivateLock";

    private const int Synchronized = 0x20;

    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(RuleIdentifiers.LockOnlySharedState);

    /// <summary>Each fix adds a member to the type, so Fix All applies the fixes one after another on the updated document.</summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
        => SequentialFixAll.FixInOrderAsync(
            document,
            diagnostics,
            (_, root, model, _, diagnostic, cancellationToken) => Task.FromResult(Fix(root, model, diagnostic, cancellationToken)),
            context.CancellationToken);

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
            if (!diagnostic.Properties.TryGetValue(MoveWorkOutOfLockAnalyzer.FixableProperty, out var fixable) || fixable != "true"
                || Fix(root, model, diagnostic, context.CancellationToken) is not { } newRoot)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create("Lock a private object around the shared-state part", _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)), EquivalenceKey),
                diagnostic);
        }
    }

    private static SyntaxNode? Fix(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var span = diagnostic.Location.SourceSpan;
        if (!root.FullSpan.Contains(span)
            || root.FindNode(span, getInnermostNodeForTie: true).FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax attributeList } attribute
            || attributeList.Parent is not MethodDeclarationSyntax { Body: { } body } method
            || method.Parent is not ClassDeclarationSyntax type
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
            || symbol.IsAsync || body.DescendantNodes().OfType<YieldStatementSyntax>().Any()
            || attribute.ArgumentList is not { Arguments.Count: 1 } arguments
            || model.GetConstantValue(arguments.Arguments[0].Expression, cancellationToken) is not { HasValue: true, Value: { } flags }
            || System.Convert.ToInt64(flags, System.Globalization.CultureInfo.InvariantCulture) != Synchronized
            || model.GetOperation(method, cancellationToken) is not { } operation)
        {
            return null;
        }

        var types = new KnownTypes(model.Compilation);
        if (SharesTheMethodLock(type, symbol, model, types, cancellationToken)
            || CriticalSections.ForSynchronizedMethod(symbol, operation, types) is not { } section)
        {
            return null;
        }

        var plan = HoistPlan.Create(section, PurityCache.For(model.Compilation), cancellationToken);
        if (!plan.CanFix || SectionHoister.Prepare(plan, model) is not { } hoist)
        {
            return null;
        }

        var memberNames = new HashSet<string>(symbol.ContainingType.GetMembers().Select(m => m.Name));
        var baseName = symbol.IsStatic ? "s_syncRoot" : "_syncRoot";
        var fieldName = baseName;
        for (var i = 2; memberNames.Contains(fieldName) || body.DescendantTokens().Any(t => t.ValueText == fieldName); i++)
        {
            fieldName = baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The body: hoisted statements, then the rest under lock (_syncRoot).
        var remaining = body.Statements.Skip(plan.PrefixLength).ToList();
        if (hoist.Extracted is { } extracted)
        {
            remaining = remaining.Select(s => s.Contains(extracted) ? s.ReplaceNode(extracted, IdentifierName(hoist.Name!).WithTriviaFrom(extracted)) : s).ToList();
        }

        var statements = hoist.Statements();
        statements.Add(LockStatement(IdentifierName(fieldName), Block(remaining)).WithAdditionalAnnotations(Formatter.Annotation));
        var newBody = body.WithStatements(List(statements));

        var withoutAttribute = attributeList.Attributes.Count == 1
            ? method.RemoveNode(attributeList, SyntaxRemoveOptions.KeepLeadingTrivia)
            : method.ReplaceNode(attributeList, attributeList.RemoveNode(attribute, SyntaxRemoveOptions.KeepNoTrivia)!);
        if (withoutAttribute?.Body is null)
        {
            return null;
        }

        var newMethod = withoutAttribute.WithBody(newBody);

        var modifiers = symbol.IsStatic
            ? TokenList(Token(SyntaxKind.PrivateKeyword), Token(SyntaxKind.StaticKeyword), Token(SyntaxKind.ReadOnlyKeyword))
            : TokenList(Token(SyntaxKind.PrivateKeyword), Token(SyntaxKind.ReadOnlyKeyword));
        var field = FieldDeclaration(
                VariableDeclaration(PredefinedType(Token(SyntaxKind.ObjectKeyword)))
                    .WithVariables(SingletonSeparatedList(VariableDeclarator(Identifier(fieldName))
                        .WithInitializer(EqualsValueClause(ObjectCreationExpression(PredefinedType(Token(SyntaxKind.ObjectKeyword))).WithArgumentList(ArgumentList()))))))
            .WithModifiers(modifiers)
            .WithAdditionalAnnotations(Formatter.Annotation);

        var newType = type.ReplaceNode(method, newMethod);
        var index = type.Members.IndexOf(method);
        newType = newType.WithMembers(newType.Members.Insert(index < 0 ? 0 : index, field));
        return root.ReplaceNode(type, newType);
    }

    /// <summary>Other code of the type that takes the same lock (another synchronized method, <c>lock (this)</c>, <c>lock (typeof(T))</c>).</summary>
    private static bool SharesTheMethodLock(ClassDeclarationSyntax type, IMethodSymbol method, SemanticModel model, KnownTypes types, CancellationToken cancellationToken)
    {
        foreach (var member in method.ContainingType.GetMembers())
        {
            if (member is IMethodSymbol other && !SymbolEqualityComparer.Default.Equals(other, method) && CriticalSections.GetSynchronizedAttribute(other, types) is not null)
            {
                return true;
            }
        }

        foreach (var lockStatement in type.DescendantNodes().OfType<LockStatementSyntax>())
        {
            if (lockStatement.Expression is ThisExpressionSyntax or TypeOfExpressionSyntax)
            {
                return true;
            }
        }

        return type.Modifiers.Any(SyntaxKind.PartialKeyword);
    }
}
