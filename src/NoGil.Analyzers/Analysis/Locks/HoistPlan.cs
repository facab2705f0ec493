using System.Runtime.CompilerServices;

namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>
/// Which work of a critical section needs no lock, and how much of it can provably be moved to run before the
/// section: the longest prefix of statements that touch only thread-private state and make only pure calls
/// (<see cref="Purity"/>), then — in the first statement that stays — one pure, private sub-expression
/// (<c>results.Add(Heavy(i))</c> → <c>var value = Heavy(i); … results.Add(value)</c>).
/// <para>
/// Why the prefix hoist keeps behaviour: the hoisted code reads nothing another thread can write and writes only
/// locals of this function that no lambda captures, so running it before the lock is taken instead of just after
/// gives the same values; if it throws, the original threw while holding the lock (and released it) before any
/// other statement of the section had run, so the final state is the same.
/// </para>
/// <para>
/// The plan is the one decision of the hoist fix (NOGIL101, NOGIL102, and the hoisted part of NOGIL104's fix):
/// <see cref="CanFix"/> says whether it is offered, and the fixer renders <see cref="PrefixLength"/> and
/// <see cref="Extracted"/> of the plan <see cref="For"/> returns for the same section.
/// </para>
/// </summary>
public sealed partial class HoistPlan
{
    private static readonly ConditionalWeakTable<CriticalSection, HoistPlan> BySection = new();

    private HoistPlan(
        CriticalSection section,
        ImmutableArray<StatementAccess> accesses,
        ImmutableArray<bool> lockFree,
        int prefixLength,
        IOperation? extracted,
        IOperation? lockFreeWork,
        IOperation? sharedObjectWork,
        IOperation? movableWork)
    {
        Section = section;
        Accesses = accesses;
        LockFree = lockFree;
        PrefixLength = prefixLength;
        Extracted = extracted;
        LockFreeWork = lockFreeWork;
        SharedObjectWork = sharedObjectWork;
        MovableWork = movableWork;
        CanFix = DecideCanFix();
    }

    public CriticalSection Section { get; }

    /// <summary>What each statement touches, in order.</summary>
    public ImmutableArray<StatementAccess> Accesses { get; }

    /// <summary>For each statement: does it need no lock at all (private state, pure calls, no jumps)?</summary>
    public ImmutableArray<bool> LockFree { get; }

    /// <summary>How many leading statements can move before the section.</summary>
    public int PrefixLength { get; }

    /// <summary>A pure, private expression of the first remaining statement that can be computed before the section, or null.</summary>
    public IOperation? Extracted { get; }

    /// <summary>The first CPU work found in code that needs no lock (in a lock-free statement or the extracted expression), or null.</summary>
    public IOperation? LockFreeWork { get; }

    /// <summary>CPU work done by a call on a shared object (the object needs the lock, so the work cannot move), or null.</summary>
    public IOperation? SharedObjectWork { get; }

    /// <summary>CPU work inside what the hoist moves (the prefix or the extracted expression), or null.</summary>
    public IOperation? MovableWork { get; }

    /// <summary>
    /// Is the hoist offered? It moves the lock-free CPU work out, leaves something inside, has a statement in a block to
    /// insert before (a synchronized method's body is wrapped instead), and moves statements whose declarations can take
    /// the wider scope.
    /// </summary>
    public bool CanFix { get; }

    /// <summary>True when every statement of the section needs no lock.</summary>
    public bool NothingNeedsTheLock => PrefixLength == Section.Statements.Length && Section.Statements.Length > 0;

    /// <summary>The plan of <paramref name="section"/>, computed once per section: the analyzers and the fixer read the same one.</summary>
    public static HoistPlan For(CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
    {
        if (BySection.TryGetValue(section, out var cached))
        {
            return cached;
        }

        var plan = Create(section, cache, cancellationToken);
        return BySection.GetValue(section, _ => plan);
    }

    private static HoistPlan Create(CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
    {
        var access = new SectionAccess(section);
        var statements = section.Statements;
        var accesses = ImmutableArray.CreateBuilder<StatementAccess>(statements.Length);
        var lockFree = ImmutableArray.CreateBuilder<bool>(statements.Length);
        var captured = CapturedSymbols(section.Function);
        IOperation? lockFreeWork = null;
        IOperation? sharedObjectWork = null;
        var prefix = 0;
        var inPrefix = true;
        for (var i = 0; i < statements.Length; i++)
        {
            var statement = statements[i];
            var statementAccess = access.Classify(statement);
            accesses.Add(statementAccess);
            var free = !statementAccess.TouchesShared
                       && IsMovable(statement, captured)
                       && Purity.IsIndependent(statement, section.Function.Syntax, cache, cancellationToken)
                       && !SharedStatics.AreRead(statement, cache, cancellationToken);
            lockFree.Add(free);
            if (free)
            {
                lockFreeWork ??= CpuWork.Find(statement, cache, skip: null, cancellationToken);
                if (inPrefix)
                {
                    prefix++;
                }
            }
            else
            {
                inPrefix = false;
                sharedObjectWork ??= FindSharedObjectWork(statement, access, cache, cancellationToken);
            }
        }

        IOperation? extracted = null;
        if (prefix < statements.Length && section.Kind != CriticalSectionKind.MonitorTryEnter)
        {
            extracted = FindExtractable(statements[prefix], access, captured, section, cache, cancellationToken);
            if (extracted is not null && lockFreeWork is null)
            {
                lockFreeWork = CpuWork.Find(extracted, cache, skip: null, cancellationToken);
            }
        }

        IOperation? movableWork = null;
        for (var i = 0; i < prefix && movableWork is null; i++)
        {
            movableWork = CpuWork.Find(statements[i], cache, skip: null, cancellationToken);
        }

        if (movableWork is null && extracted is not null)
        {
            movableWork = CpuWork.Find(extracted, cache, skip: null, cancellationToken);
        }

        return new HoistPlan(section, accesses.MoveToImmutable(), lockFree.MoveToImmutable(), prefix, extracted, lockFreeWork, sharedObjectWork, movableWork);
    }

    private bool DecideCanFix()
    {
        if (Section.Kind is CriticalSectionKind.MonitorTryEnter || LockFreeWork is null || PrefixLength >= Section.Statements.Length)
        {
            return false;
        }

        if (Section.Kind != CriticalSectionKind.SynchronizedMethod && Section.InsertionPoint?.Parent is not BlockSyntax)
        {
            return false;
        }

        return MovableWork is not null && CanWidenPrefixScope();
    }
}
