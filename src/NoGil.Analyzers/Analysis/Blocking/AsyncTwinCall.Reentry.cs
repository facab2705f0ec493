using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>
/// Virtual re-entry: a call on <c>base</c> or <c>this</c> whose twin would run different code of the current type —
/// <c>base.Write(b, o, c)</c> in a <c>Stream</c> subclass deliberately skips the subclass's <c>Write</c>, but
/// <c>base.WriteAsync(b, o, c)</c> calls the virtual <c>WriteAsync(b, o, c, token)</c>, which the subclass overrides, so
/// the subclass's own work (a checksum, a length) would run twice.
/// </summary>
public sealed partial class AsyncTwinCall
{
    /// <summary>Why awaiting <paramref name="twin"/> on the call's <c>base</c>/<c>this</c> receiver could run different code; null when it cannot.</summary>
    private static string? VirtualReentry(IInvocationOperation invocation, IMethodSymbol twin, ISymbol? owningSymbol)
    {
        if (twin.IsStatic
            || invocation.Instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } receiver
            || (owningSymbol as INamedTypeSymbol ?? owningSymbol?.ContainingType) is not { } currentType)
        {
            return null;
        }

        var method = invocation.TargetMethod;
        if (receiver.Syntax is BaseExpressionSyntax)
        {
            if (Overrides(currentType, method.Name) || Overrides(currentType, twin.Name))
            {
                return "'base." + twin.Name + "' can dispatch to this type's overrides of '" + method.Name + "' or '" + twin.Name
                       + "', which 'base." + method.Name + "' skips, and run their work twice";
            }

            if (currentType.BaseType is { } baseType && AsymmetricOverride(baseType, method.Name, twin.Name) is { } baseReason)
            {
                return baseReason;
            }

            return currentType.IsSealed || currentType.IsValueType
                ? null
                : "'base." + twin.Name + "' can dispatch to a derived type's overrides, which 'base." + method.Name + "' skips";
        }

        return AsymmetricOverride(currentType, method.Name, twin.Name) ?? DerivedDispatch(currentType, method, twin, invocation.SemanticModel?.Compilation);
    }

    /// <summary>
    /// Why awaiting <paramref name="twin"/> on another receiver (<c>entry.OpenEntryStream()</c>) could run different code
    /// than the call; null when it cannot. The receiver's static type may be a base of the object's type: a type in
    /// source from the receiver's type up that overrides one of the two methods but not the other, or a type in source
    /// deriving from it that does, makes the twin skip (or add) an override's work — a writable entry overriding a
    /// virtual <c>OpenEntryStream</c> while the non-virtual <c>OpenEntryStreamAsync</c> reads the base entry's parts.
    /// </summary>
    private static string? ReceiverDispatch(IInvocationOperation invocation, IMethodSymbol twin)
    {
        var method = invocation.TargetMethod;
        if (twin.IsStatic || method.IsStatic || twin.IsExtensionMethod || method.IsExtensionMethod
            || invocation.Instance is null or IInstanceReferenceOperation
            || invocation.Instance.Type is not INamedTypeSymbol { TypeKind: TypeKind.Class } receiverType)
        {
            return null;
        }

        return AsymmetricOverride(receiverType, method.Name, twin.Name) ?? DerivedDispatch(receiverType, method, twin, invocation.SemanticModel?.Compilation);
    }

    /// <summary>
    /// The object behind a receiver of <paramref name="receiverType"/> may be of a derived type: when the method or its
    /// twin is declared in source and can be overridden, a type in source that derives from the receiver's type and
    /// overrides one of them but not the other — or, with none known, one of the two that can be overridden while the
    /// other cannot (a derived type elsewhere may override it) — means the twin could run different code. Methods
    /// declared in referenced assemblies are trusted to keep their overloads consistent, as above.
    /// </summary>
    private static string? DerivedDispatch(INamedTypeSymbol receiverType, IMethodSymbol method, IMethodSymbol twin, Compilation? compilation)
    {
        var methodOverridable = IsOverridable(method);
        var twinOverridable = IsOverridable(twin);
        if (receiverType.IsSealed || receiverType.IsValueType || (!methodOverridable && !twinOverridable)
            || (!DeclaredInSource(RootDefinition(method)) && !DeclaredInSource(RootDefinition(twin))))
        {
            return null;
        }

        foreach (var derived in compilation is null ? ImmutableArray<INamedTypeSymbol>.Empty : SourceClasses(compilation))
        {
            if (DerivesFrom(derived, receiverType) && AsymmetricOverride(derived, method.Name, twin.Name) is { } reason)
            {
                return reason;
            }
        }

        return methodOverridable == twinOverridable
            ? null
            : "'" + (methodOverridable ? method : twin).Name + "' can be overridden but '" + (methodOverridable ? twin : method).Name
              + "' cannot, so on a type deriving from '" + receiverType.Name + "' the twin could run different code";
    }

    private static bool IsOverridable(IMethodSymbol method) => (method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed;

    private static IMethodSymbol RootDefinition(IMethodSymbol method)
    {
        var root = method.OriginalDefinition;
        while (root.OverriddenMethod is { } overridden)
        {
            root = overridden.OriginalDefinition;
        }

        return root;
    }

    private static bool DeclaredInSource(ISymbol symbol) => symbol.DeclaringSyntaxReferences.Length > 0;

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every class declared in the compilation's source, nested ones included (once per compilation).</summary>
    private static ImmutableArray<INamedTypeSymbol> SourceClasses(Compilation compilation)
        => (ImmutableArray<INamedTypeSymbol>)SourceClassesByCompilation.GetValue(compilation, static c =>
        {
            var classes = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(c.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                foreach (var member in pending.Pop().GetMembers())
                {
                    if (member is INamespaceSymbol ns)
                    {
                        pending.Push(ns);
                    }
                    else if (member is INamedTypeSymbol type)
                    {
                        pending.Push(type);
                        if (type.TypeKind == TypeKind.Class && DeclaredInSource(type))
                        {
                            classes.Add(type);
                        }
                    }
                }
            }

            return classes.ToImmutable();
        });

    private static readonly ConditionalWeakTable<Compilation, object> SourceClassesByCompilation = new();

    /// <summary>
    /// A type declared in source, from <paramref name="type"/> up, overrides a method named <paramref name="name"/> but
    /// none named <paramref name="twinName"/> (or the reverse): the two calls would run different code. Types from
    /// referenced assemblies are trusted to keep their overloads consistent.
    /// </summary>
    private static string? AsymmetricOverride(INamedTypeSymbol type, string name, string twinName)
    {
        for (var current = type; current is not null && current.DeclaringSyntaxReferences.Length > 0; current = current.BaseType)
        {
            var overridesMethod = Overrides(current, name);
            var overridesTwin = Overrides(current, twinName);
            if (overridesMethod && overridesTwin)
            {
                // Both overridden here: whatever the base types do, the two calls run this type's code.
                return null;
            }

            if (overridesMethod != overridesTwin)
            {
                return "'" + current.Name + "' overrides '" + (overridesMethod ? name : twinName) + "' but not '" + (overridesMethod ? twinName : name)
                       + "', so the twin would run different code";
            }
        }

        return null;
    }

    private static bool Overrides(INamedTypeSymbol type, string name) => type.GetMembers(name).Any(m => m.IsOverride);
}
