using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>
/// Finds the critical sections of a piece of code: <c>lock</c> statements and <c>EnterScope</c> blocks here, the
/// acquire/try/finally-release protocols in the other part of this class.
/// </summary>
public static partial class CriticalSections
{
    private static readonly ConditionalWeakTable<IOperation, StrongBox<ImmutableArray<CriticalSection>>> ByRoot = new();

    /// <summary>
    /// Every critical section inside <paramref name="root"/> (a method body, lambda, …), outermost first. The lock
    /// rules all ask for the sections of the same operation trees, so the result is computed once per tree.
    /// </summary>
    public static ImmutableArray<CriticalSection> FindAll(IOperation root, KnownTypes types, CancellationToken cancellationToken)
    {
        if (ByRoot.TryGetValue(root, out var cached))
        {
            return cached.Value;
        }

        var sections = Compute(root, types, cancellationToken);
        return ByRoot.GetValue(root, _ => new StrongBox<ImmutableArray<CriticalSection>>(sections)).Value;
    }

    private static ImmutableArray<CriticalSection> Compute(IOperation root, KnownTypes types, CancellationToken cancellationToken)
    {
        var builder = ImmutableArray.CreateBuilder<CriticalSection>();
        foreach (var operation in root.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case ILockOperation lockOperation:
                    builder.Add(new CriticalSection(
                        CriticalSectionKind.Lock,
                        lockOperation.LockedValue,
                        lockOperation.Syntax,
                        lockOperation.Syntax,
                        BodyStatements(lockOperation.Body, out var embedded),
                        embedded,
                        FunctionOf(lockOperation),
                        ImmutableArray<ISymbol>.Empty,
                        types));
                    break;

                case IUsingOperation { Resources: { } resources } usingOperation when EnterScopeTarget(resources, types) is { } scopeLock:
                    builder.Add(new CriticalSection(
                        CriticalSectionKind.LockScope,
                        scopeLock,
                        resources.Syntax,
                        usingOperation.Syntax,
                        BodyStatements(usingOperation.Body, out var embeddedUsing),
                        embeddedUsing,
                        FunctionOf(usingOperation),
                        ImmutableArray<ISymbol>.Empty,
                        types));
                    break;

                case IBlockOperation block:
                    AddBlockSections(block, types, builder);
                    break;
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>The whole body of a method marked <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>, or null.</summary>
    public static CriticalSection? ForSynchronizedMethod(IMethodSymbol method, IOperation body, KnownTypes types)
    {
        if (body is IBlockOperation { Parent: IMethodBodyOperation methodBody })
        {
            body = methodBody;
        }

        if (GetSynchronizedAttribute(method, types) is not { } attribute
            || attribute.ApplicationSyntaxReference?.GetSyntax() is not { } attributeSyntax
            || body is not IMethodBodyOperation { BlockBody: { } block })
        {
            return null;
        }

        return new CriticalSection(
            CriticalSectionKind.SynchronizedMethod,
            null,
            attributeSyntax,
            null,
            block.Operations,
            false,
            body,
            ImmutableArray<ISymbol>.Empty,
            types);
    }

    /// <summary>The <c>MethodImpl</c> attribute of <paramref name="method"/> when it asks for <c>MethodImplOptions.Synchronized</c>.</summary>
    public static AttributeData? GetSynchronizedAttribute(IMethodSymbol method, KnownTypes types)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (KnownTypes.Is(attribute.AttributeClass, types.MethodImplAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is { } value
                && (System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & SynchronizedMethod.SynchronizedFlag) != 0)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The symbol naming a lock: a field, local, parameter or property; the containing type for <c>this</c> or <c>typeof(T)</c>.</summary>
    public static ISymbol? GetLockSymbol(IOperation? expression)
        => expression.UnwrapConversionsOrNull() switch
        {
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property,
            IInstanceReferenceOperation instance => instance.Type,
            ITypeOfOperation typeOf => typeOf.TypeOperand,
            _ => null,
        };

    /// <summary>The method body, lambda or local function that directly contains <paramref name="operation"/>.</summary>
    public static IOperation FunctionOf(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    private static ImmutableArray<IOperation> BodyStatements(IOperation body, out bool embedded)
    {
        if (body is IBlockOperation block && body.Syntax is BlockSyntax)
        {
            embedded = false;
            return block.Operations;
        }

        embedded = true;
        return ImmutableArray.Create(body);
    }

    /// <summary>Do two lock expressions name the same lock (same symbol and the same text)?</summary>
    public static bool SameLock(IOperation a, IOperation b)
    {
        var symbolA = GetLockSymbol(a);
        var symbolB = GetLockSymbol(b);
        return symbolA is not null && SymbolEqualityComparer.Default.Equals(symbolA, symbolB)
               && a.UnwrapConversions().Syntax.ToString() == b.UnwrapConversions().Syntax.ToString();
    }
}
