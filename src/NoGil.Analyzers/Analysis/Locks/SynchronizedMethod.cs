namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>
/// NOGIL104's model of a method marked <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>: its whole body as a
/// critical section, the CPU work that runs under the lock, and whether a private lock object can replace the
/// attribute (<see cref="CanUsePrivateLock"/>) — the one decision the analyzer announces and the fixer renders.
/// </summary>
public sealed class SynchronizedMethod
{
    /// <summary>The <c>MethodImplOptions.Synchronized</c> flag.</summary>
    public const int SynchronizedFlag = 0x20;

    private SynchronizedMethod(IMethodSymbol method, CriticalSection section, IOperation work, HoistPlan plan, bool canUsePrivateLock)
    {
        Method = method;
        Section = section;
        Work = work;
        Plan = plan;
        CanUsePrivateLock = canUsePrivateLock;
    }

    public IMethodSymbol Method { get; }

    /// <summary>The method's body as one critical section; its <see cref="CriticalSection.Acquire"/> is the attribute.</summary>
    public CriticalSection Section { get; }

    /// <summary>The first CPU work of the body outside lazy-initialization branches.</summary>
    public IOperation Work { get; }

    /// <summary>What of the body can run before the private lock is taken.</summary>
    public HoistPlan Plan { get; }

    /// <summary>
    /// Is the fix offered? The attribute asks for <c>Synchronized</c> alone and is the only argument; the method is a
    /// synchronous, non-iterator method of a class, with a block body; nothing else in the type takes the same lock; and
    /// the lock-free prefix of the body can move before the private lock (<see cref="HoistPlan.CanFix"/>).
    /// </summary>
    public bool CanUsePrivateLock { get; }

    /// <summary>The model of <paramref name="method"/> with body <paramref name="body"/>, or null when it is not synchronized or does no CPU work.</summary>
    public static SynchronizedMethod? Find(IMethodSymbol method, IOperation body, KnownTypes types, PurityCache cache, CancellationToken cancellationToken)
    {
        if (CriticalSections.ForSynchronizedMethod(method, body, types) is not { } section
            || FindWork(section, cache, cancellationToken) is not { } work)
        {
            return null;
        }

        var plan = HoistPlan.For(section, cache, cancellationToken);
        var canUsePrivateLock = plan.CanFix && RewritableClass(method, section, types) is { } type && !SharesTheMethodLock(method, type, types);
        return new SynchronizedMethod(method, section, work, plan, canUsePrivateLock);
    }

    private static IOperation? FindWork(CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
    {
        var access = new SectionAccess(section);
        foreach (var statement in section.Statements)
        {
            if (CpuWork.Find(statement, cache, skip: o => HoistPlan.IsLazyBranch(o, access), cancellationToken) is { } work)
            {
                return work;
            }
        }

        return null;
    }

    /// <summary>
    /// The class declaration around the method when the attribute and the method have the shapes the fix rewrites (see
    /// <see cref="CanUsePrivateLock"/>), or null.
    /// </summary>
    private static ClassDeclarationSyntax? RewritableClass(IMethodSymbol method, CriticalSection section, KnownTypes types)
        => section.Acquire is AttributeSyntax { Parent: AttributeListSyntax { Parent: MethodDeclarationSyntax { Body: { } body, Parent: ClassDeclarationSyntax type } } } attribute
           && !method.IsAsync
           && !body.DescendantNodes().OfType<YieldStatementSyntax>().Any()
           && attribute.ArgumentList is { Arguments.Count: 1 }
           && CriticalSections.GetSynchronizedAttribute(method, types)?.ConstructorArguments[0].Value is { } flags
           && System.Convert.ToInt64(flags, System.Globalization.CultureInfo.InvariantCulture) == SynchronizedFlag
            ? type
            : null;

    /// <summary>Other code of the type that takes the same lock (another synchronized method, <c>lock (this)</c>, <c>lock (typeof(T))</c>), or a partial type that may.</summary>
    private static bool SharesTheMethodLock(IMethodSymbol method, ClassDeclarationSyntax type, KnownTypes types)
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
