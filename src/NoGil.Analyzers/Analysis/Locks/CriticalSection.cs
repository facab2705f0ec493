namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>How a critical section is entered.</summary>
public enum CriticalSectionKind
{
    /// <summary><c>lock (x) { … }</c> (on any object, including a <c>System.Threading.Lock</c>).</summary>
    Lock,

    /// <summary><c>using (x.EnterScope()) { … }</c> or <c>using var _ = x.EnterScope();</c> on a <c>System.Threading.Lock</c>.</summary>
    LockScope,

    /// <summary><c>Monitor.Enter(x[, ref taken])</c> … <c>finally { Monitor.Exit(x); }</c>.</summary>
    Monitor,

    /// <summary><c>Monitor.TryEnter(x, …, ref taken)</c> … <c>finally { if (taken) Monitor.Exit(x); }</c>: the section may not run at all.</summary>
    MonitorTryEnter,

    /// <summary><c>s.Wait()</c> / <c>await s.WaitAsync()</c> … <c>finally { s.Release(); }</c> on a <c>SemaphoreSlim</c> created with count 1.</summary>
    Semaphore,

    /// <summary><c>rw.EnterWriteLock()</c> … <c>finally { rw.ExitWriteLock(); }</c>.</summary>
    WriteLock,

    /// <summary><c>m.WaitOne()</c> … <c>finally { m.ReleaseMutex(); }</c>.</summary>
    Mutex,

    /// <summary>A method marked <c>[MethodImpl(MethodImplOptions.Synchronized)]</c>: its whole body.</summary>
    SynchronizedMethod,
}

/// <summary>
/// One critical section: the lock it takes, the statements it runs while holding it, where code could be moved
/// to run before it, and whether it runs inside a concurrently executed body.
/// </summary>
public sealed class CriticalSection
{
    internal CriticalSection(
        CriticalSectionKind kind,
        IOperation? lockExpression,
        SyntaxNode acquire,
        SyntaxNode? insertionPoint,
        ImmutableArray<IOperation> statements,
        bool isEmbeddedStatement,
        IOperation function,
        ImmutableArray<ISymbol> protocolSymbols,
        KnownTypes types)
    {
        Kind = kind;
        LockExpression = lockExpression;
        LockSymbol = CriticalSections.GetLockSymbol(lockExpression);
        Acquire = acquire;
        InsertionPoint = insertionPoint;
        Statements = statements;
        IsEmbeddedStatement = isEmbeddedStatement;
        Function = function;
        ProtocolSymbols = protocolSymbols;
        Concurrent = ConcurrentBody.Find(statements.IsDefaultOrEmpty ? function : statements[0], types);
    }

    public CriticalSectionKind Kind { get; }

    /// <summary>The expression naming the lock (null for a synchronized method).</summary>
    public IOperation? LockExpression { get; }

    /// <summary>The field, local, parameter or property holding the lock; the type for <c>this</c>/<c>typeof</c>; null when unknown.</summary>
    public ISymbol? LockSymbol { get; }

    /// <summary>The syntax that takes the lock: the <c>lock (x)</c> statement, the acquiring call, or the attribute.</summary>
    public SyntaxNode Acquire { get; }

    /// <summary>The statement before which code may be hoisted to run outside the lock; null when there is none.</summary>
    public SyntaxNode? InsertionPoint { get; }

    /// <summary>The statements run while the lock is held, in order.</summary>
    public ImmutableArray<IOperation> Statements { get; }

    /// <summary>True for <c>lock (x) statement;</c> without braces.</summary>
    public bool IsEmbeddedStatement { get; }

    /// <summary>The method, lambda or local function body that holds the section.</summary>
    public IOperation Function { get; }

    /// <summary>Locals that belong to the locking protocol (e.g. <c>lockTaken</c>); hoisted code must not touch them.</summary>
    public ImmutableArray<ISymbol> ProtocolSymbols { get; }

    /// <summary>The concurrently executed body the section runs in (Parallel.For, PLINQ, workers started in a loop), or null.</summary>
    public ConcurrentBody? Concurrent { get; }

    /// <summary>Where diagnostics about the section are reported.</summary>
    public Location Location => Acquire is LockStatementSyntax lockStatement ? HeaderLocation(lockStatement) : Acquire.GetLocation();

    /// <summary>
    /// The declaration of the member that holds the section (for a lambda or local function, of the member around it):
    /// the scope in which names a fix introduces must be fresh.
    /// </summary>
    public SyntaxNode Member => Function.Syntax.AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault() ?? Function.Syntax;

    /// <summary>A short text naming the lock, for messages.</summary>
    public string LockDisplay => LockExpression?.Syntax.ToString() ?? "this";

    /// <summary>The <c>lock (x)</c> header of a lock statement, from the keyword to the closing parenthesis: where a diagnostic about it is reported.</summary>
    public static Location HeaderLocation(LockStatementSyntax lockStatement)
        => Location.Create(lockStatement.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lockStatement.LockKeyword.SpanStart, lockStatement.CloseParenToken.Span.End));

    /// <summary>Is the lock one object shared by every execution of the concurrent body (not created inside it)?</summary>
    public bool IsSharedByConcurrentBody
    {
        get
        {
            if (Concurrent is null)
            {
                return false;
            }

            return LockSymbol switch
            {
                ILocalSymbol local => !Purity.IsDeclaredWithin(local, Concurrent.Body.Syntax),
                IParameterSymbol parameter => !Purity.IsDeclaredWithin(parameter, Concurrent.Body.Syntax),
                null => false,
                _ => true,
            };
        }
    }
}
