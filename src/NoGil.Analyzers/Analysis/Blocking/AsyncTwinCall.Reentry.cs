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

        return AsymmetricOverride(currentType, method.Name, twin.Name);
    }

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
