using System.Collections.Generic;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Analysis.Locks;
using NoGil.Analyzers.Infrastructure;
using NoGil.CodeFixes.Infrastructure;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL104 fix "Lock a private object around the shared-state part": removes
/// <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>, adds a private readonly lock object, runs the lock-free prefix
/// of the body before taking it, and locks the rest. It renders the method's <see cref="SynchronizedMethod"/> model,
/// the same the analyzer announced the fix from.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnlySharedStateFixer)), Shared]
public sealed class LockOnlySharedStateFixer : NoGilCodeFixProvider
{
    public LockOnlySharedStateFixer()
        : base(RuleIdentifiers.LockOnlySharedState)
    {
    }

    /// <summary>Each fix adds a member to the type, so Fix All applies the fixes one after another on the updated document.</summary>
    protected override FixAllMode FixAllMode => FixAllMode.Sequential;

    protected override string GetTitle(Diagnostic diagnostic, FixKind kind) => "Lock a private object around the shared-state part";

    protected override Task<SyntaxNode?> RenderAsync(FixRequest request)
    {
        var model = request.Model;
        var cancellationToken = request.CancellationToken;
        if (request.Node.FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax { Parent: MethodDeclarationSyntax method } }
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
            || model.GetOperation(method, cancellationToken) is not { } body
            || SynchronizedMethod.Find(symbol, body, request.Types, PurityCache.For(model.Compilation), cancellationToken) is not { CanUsePrivateLock: true } synchronized)
        {
            // An earlier fix of a Fix All changed the method: the code no longer matches the diagnostic.
            return Task.FromResult<SyntaxNode?>(null);
        }

        return Task.FromResult<SyntaxNode?>(Render(request.Root, method, synchronized));
    }

    /// <summary>The attribute goes, a lock field joins the type before the method, and the body keeps its prefix outside <c>lock (field)</c>.</summary>
    private static SyntaxNode Render(SyntaxNode root, MethodDeclarationSyntax method, SynchronizedMethod synchronized)
    {
        var attribute = (AttributeSyntax)synchronized.Section.Acquire;
        var attributeList = (AttributeListSyntax)attribute.Parent!;
        var type = (ClassDeclarationSyntax)method.Parent!;
        var body = method.Body!;
        var isStatic = synchronized.Method.IsStatic;
        var used = new HashSet<string>(body.DescendantTokens().Select(t => t.ValueText));
        used.UnionWith(synchronized.Method.ContainingType.GetMembers().Select(m => m.Name));
        var fieldName = FreshNames.Next(used, isStatic ? "s_syncRoot" : "_syncRoot");

        // The body: hoisted statements, then the rest under lock (_syncRoot).
        var hoist = SectionHoister.Prepare(synchronized.Plan);
        var remaining = body.Statements.Skip(synchronized.Plan.PrefixLength).ToList();
        if (hoist.Extracted is { } extracted)
        {
            remaining = remaining.Select(s => s.Contains(extracted) ? s.ReplaceNode(extracted, IdentifierName(hoist.Name!).WithTriviaFrom(extracted)) : s).ToList();
        }

        var statements = hoist.Statements();
        statements.Add(LockStatement(IdentifierName(fieldName), Block(remaining)).WithAdditionalAnnotations(Formatter.Annotation));
        var withoutAttribute = attributeList.Attributes.Count == 1
            ? method.RemoveNode(attributeList, SyntaxRemoveOptions.KeepLeadingTrivia)!
            : method.ReplaceNode(attributeList, attributeList.RemoveNode(attribute, SyntaxRemoveOptions.KeepNoTrivia)!);
        var newMethod = withoutAttribute.WithBody(body.WithStatements(List(statements)));

        var modifiers = isStatic
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
}
