namespace NoGil.CodeFixes.Rules.Locks;

/// <summary>
/// NOGIL104 fix "Lock a private object around the shared-state part": removes
/// <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>, adds a private readonly lock object, runs the lock-free prefix
/// of the body before taking it, and locks the rest. It renders the method's <see cref="SynchronizedMethod"/> model,
/// the same the analyzer announced the fix from.
/// </summary>
/// <remarks>Fix All: each fix adds a member to the type, so Fix All applies the fixes one after another on the updated
/// document.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnlySharedStateFixer)), Shared]
public sealed class LockOnlySharedStateFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.LockOnlySharedState)
{
    protected override SyntaxNode? Render(FixRequest request)
    {
        var model = request.Model;
        var cancellationToken = request.CancellationToken;
        if (request.Node.FirstAncestorOrSelf<AttributeSyntax>() is not { Parent: AttributeListSyntax { Parent: MethodDeclarationSyntax method } }
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol
            || model.GetOperation(method, cancellationToken) is not { } body
            || SynchronizedMethod.Find(symbol, body, request.Types, PurityCache.For(model.Compilation), cancellationToken) is not { CanUsePrivateLock: true } synchronized)
        {
            // An earlier fix of a Fix All changed the method: the code no longer matches the diagnostic.
            return null;
        }

        return Render(request.Root, method, synchronized);
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
