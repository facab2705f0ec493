using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Infrastructure;

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
    public Location Location
    {
        get
        {
            if (Acquire is LockStatementSyntax lockStatement)
            {
                return Location.Create(lockStatement.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(lockStatement.LockKeyword.SpanStart, lockStatement.CloseParenToken.Span.End));
            }

            return Acquire.GetLocation();
        }
    }

    /// <summary>A short text naming the lock, for messages.</summary>
    public string LockDisplay => LockExpression?.Syntax.ToString() ?? "this";

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

/// <summary>Finds the critical sections of a piece of code.</summary>
public static class CriticalSections
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
        const int Synchronized = 0x20;
        foreach (var attribute in method.GetAttributes())
        {
            if (KnownTypes.Is(attribute.AttributeClass, types.MethodImplAttribute)
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is { } value
                && (System.Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) & Synchronized) != 0)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>The symbol naming a lock: a field, local, parameter or property; the containing type for <c>this</c> or <c>typeof(T)</c>.</summary>
    public static ISymbol? GetLockSymbol(IOperation? expression)
    {
        while (expression is IConversionOperation { IsImplicit: true } conversion)
        {
            expression = conversion.Operand;
        }

        return expression switch
        {
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property,
            IInstanceReferenceOperation instance => instance.Type,
            ITypeOfOperation typeOf => typeOf.TypeOperand,
            _ => null,
        };
    }

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

    /// <summary>Sections made of statements of one block: <c>using var _ = l.EnterScope();</c> and the acquire/try/finally-release shapes.</summary>
    private static void AddBlockSections(IBlockOperation block, KnownTypes types, ImmutableArray<CriticalSection>.Builder builder)
    {
        var operations = block.Operations;
        for (var i = 0; i < operations.Length; i++)
        {
            var operation = operations[i];
            if (operation is IUsingDeclarationOperation usingDeclaration
                && usingDeclaration.DeclarationGroup.Declarations.Length == 1
                && usingDeclaration.DeclarationGroup.Declarations[0].Declarators.Length == 1
                && usingDeclaration.DeclarationGroup.Declarations[0].Declarators[0].GetVariableInitializer()?.Value is { } initializer
                && EnterScopeTarget(initializer, types) is { } scopeLock)
            {
                builder.Add(new CriticalSection(
                    CriticalSectionKind.LockScope,
                    scopeLock,
                    initializer.Syntax,
                    usingDeclaration.Syntax,
                    operations.RemoveRange(0, i + 1),
                    false,
                    FunctionOf(block),
                    ImmutableArray<ISymbol>.Empty,
                    types));
                continue;
            }

            if (operation is not ITryOperation { Finally: { } finallyBlock, Catches.Length: 0 } tryOperation
                || ReleasedLock(finallyBlock, types) is not { } release)
            {
                continue;
            }

            // Monitor.Enter(x, ref taken) / Monitor.TryEnter(x, …, ref taken) as the first statement of the try block.
            var body = tryOperation.Body.Operations;
            if (body.Length > 0 && AsCall(body[0]) is { } first
                && IsMethod(first, types.Monitor, "Enter", "TryEnter")
                && first.Arguments.Length >= 2
                && first.Arguments[first.Arguments.Length - 1] is { Parameter.RefKind: RefKind.Ref, Value: ILocalReferenceOperation taken }
                && release.Kind == CriticalSectionKind.Monitor
                && SameLock(first.Arguments[0].Value, release.Lock))
            {
                builder.Add(new CriticalSection(
                    first.TargetMethod.Name == "TryEnter" ? CriticalSectionKind.MonitorTryEnter : CriticalSectionKind.Monitor,
                    first.Arguments[0].Value,
                    first.Syntax,
                    tryOperation.Syntax,
                    body.RemoveAt(0),
                    false,
                    FunctionOf(block),
                    ImmutableArray.Create<ISymbol>(taken.Local),
                    types));
                continue;
            }

            // X.Enter/Wait/WaitOne/EnterWriteLock(); try { … } finally { X.Release…(); }
            if (i == 0 || AcquiredLock(operations[i - 1], types) is not { } acquire
                || acquire.Kind != release.Kind
                || !SameLock(acquire.Lock, release.Lock))
            {
                continue;
            }

            if (acquire.Kind == CriticalSectionKind.Semaphore && !IsCreatedAsMutex(acquire.Lock, types))
            {
                continue;
            }

            builder.Add(new CriticalSection(
                acquire.Kind,
                acquire.Lock,
                acquire.Call.Syntax,
                operations[i - 1].Syntax,
                body,
                false,
                FunctionOf(block),
                ImmutableArray<ISymbol>.Empty,
                types));
        }
    }

    private readonly struct LockStep
    {
        public LockStep(CriticalSectionKind kind, IOperation @lock, IInvocationOperation call)
        {
            Kind = kind;
            Lock = @lock;
            Call = call;
        }

        public CriticalSectionKind Kind { get; }

        public IOperation Lock { get; }

        public IInvocationOperation Call { get; }
    }

    /// <summary>An acquiring statement: <c>Monitor.Enter(x);</c>, <c>s.Wait();</c>, <c>await s.WaitAsync();</c>, <c>rw.EnterWriteLock();</c>, <c>m.WaitOne();</c>.</summary>
    private static LockStep? AcquiredLock(IOperation statement, KnownTypes types)
    {
        if (statement is IExpressionStatementOperation { Operation: IAwaitOperation awaited })
        {
            var operation = awaited.Operation;
            if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
            {
                operation = configured;
            }

            return operation is IInvocationOperation { Instance: { } semaphore, Arguments.Length: 0 } waitAsync
                   && IsMethod(waitAsync, types.SemaphoreSlim, "WaitAsync")
                ? new LockStep(CriticalSectionKind.Semaphore, semaphore, waitAsync)
                : null;
        }

        if (AsCall(statement) is not { } call)
        {
            return null;
        }

        if (IsMethod(call, types.Monitor, "Enter") && call.Arguments.Length == 1)
        {
            return new LockStep(CriticalSectionKind.Monitor, call.Arguments[0].Value, call);
        }

        if (call.Instance is not { } instance || call.Arguments.Length != 0)
        {
            return null;
        }

        if (IsMethod(call, types.SemaphoreSlim, "Wait"))
        {
            return new LockStep(CriticalSectionKind.Semaphore, instance, call);
        }

        if (IsMethod(call, types.ReaderWriterLockSlim, "EnterWriteLock"))
        {
            return new LockStep(CriticalSectionKind.WriteLock, instance, call);
        }

        if (call.TargetMethod.Name == "WaitOne" && KnownTypes.InheritsFromOrEquals(instance.Type, types.Mutex))
        {
            return new LockStep(CriticalSectionKind.Mutex, instance, call);
        }

        return null;
    }

    /// <summary>The lock released by a <c>finally</c> block made of one release statement (optionally under <c>if (taken)</c>).</summary>
    private static LockStep? ReleasedLock(IBlockOperation finallyBlock, KnownTypes types)
    {
        if (finallyBlock.Operations.Length != 1)
        {
            return null;
        }

        var statement = finallyBlock.Operations[0];
        if (statement is IConditionalOperation { WhenFalse: null, WhenTrue: { } whenTrue, Condition: ILocalReferenceOperation })
        {
            statement = whenTrue is IBlockOperation { Operations.Length: 1 } inner ? inner.Operations[0] : whenTrue;
        }

        if (AsCall(statement) is not { } call)
        {
            return null;
        }

        if (IsMethod(call, types.Monitor, "Exit") && call.Arguments.Length == 1)
        {
            return new LockStep(CriticalSectionKind.Monitor, call.Arguments[0].Value, call);
        }

        if (call.Instance is not { } instance || call.Arguments.Length != 0)
        {
            return null;
        }

        if (IsMethod(call, types.SemaphoreSlim, "Release"))
        {
            return new LockStep(CriticalSectionKind.Semaphore, instance, call);
        }

        if (IsMethod(call, types.ReaderWriterLockSlim, "ExitWriteLock"))
        {
            return new LockStep(CriticalSectionKind.WriteLock, instance, call);
        }

        if (call.TargetMethod.Name == "ReleaseMutex" && KnownTypes.InheritsFromOrEquals(instance.Type, types.Mutex))
        {
            return new LockStep(CriticalSectionKind.Mutex, instance, call);
        }

        return null;
    }

    /// <summary>The lock of <c>l.EnterScope()</c> on a <c>System.Threading.Lock</c>.</summary>
    private static IOperation? EnterScopeTarget(IOperation resource, KnownTypes types)
    {
        if (resource is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
            && group.Declarations[0].Declarators.Length == 1
            && group.Declarations[0].Declarators[0].GetVariableInitializer()?.Value is { } value)
        {
            resource = value;
        }

        while (resource is IConversionOperation { IsImplicit: true } conversion)
        {
            resource = conversion.Operand;
        }

        return resource is IInvocationOperation { TargetMethod.Name: "EnterScope", Arguments.Length: 0, Instance: { } instance }
               && IsLockType(instance.Type, types)
            ? instance
            : null;
    }

    private static bool IsLockType(ITypeSymbol? type, KnownTypes types)
        => types.Lock is not null
            ? KnownTypes.Is(type, types.Lock)
            : type is { Name: "Lock", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static IInvocationOperation? AsCall(IOperation statement)
    {
        var operation = statement is IExpressionStatementOperation expression ? expression.Operation : null;
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation as IInvocationOperation;
    }

    private static bool IsMethod(IInvocationOperation call, INamedTypeSymbol? type, params string[] names)
    {
        if (type is null || !KnownTypes.Is(call.TargetMethod.ContainingType?.OriginalDefinition, type))
        {
            return false;
        }

        foreach (var name in names)
        {
            if (call.TargetMethod.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Do two lock expressions name the same lock (same symbol and the same text)?</summary>
    public static bool SameLock(IOperation a, IOperation b)
    {
        var symbolA = GetLockSymbol(a);
        var symbolB = GetLockSymbol(b);
        return symbolA is not null && SymbolEqualityComparer.Default.Equals(symbolA, symbolB)
               && Unwrap(a).Syntax.ToString() == Unwrap(b).Syntax.ToString();
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>A SemaphoreSlim field or local whose creation <c>new SemaphoreSlim(1, 1)</c> or <c>new SemaphoreSlim(1)</c> is visible.</summary>
    private static bool IsCreatedAsMutex(IOperation semaphore, KnownTypes types)
    {
        var symbol = GetLockSymbol(semaphore);
        if (symbol is not (IFieldSymbol or ILocalSymbol))
        {
            return false;
        }

        if (symbol is IFieldSymbol { IsReadOnly: false } || symbol is IPropertySymbol)
        {
            // Anyone may replace it: only a readonly field's creations are all visible.
            return false;
        }

        var sawCreation = false;
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value })
            {
                if (!IsMutexCreation(value))
                {
                    return false;
                }

                sawCreation = true;
            }
        }

        if (symbol is IFieldSymbol field && field.ContainingType is { } type)
        {
            // Constructor assignments of a readonly field.
            foreach (var typeReference in type.DeclaringSyntaxReferences)
            {
                foreach (var assignment in typeReference.GetSyntax().DescendantNodes())
                {
                    if (assignment is AssignmentExpressionSyntax { Left: { } left, Right: { } right }
                        && (left is IdentifierNameSyntax { Identifier.ValueText: var name } ? name : (left as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText) == field.Name)
                    {
                        if (!IsMutexCreation(right))
                        {
                            return false;
                        }

                        sawCreation = true;
                    }
                }
            }
        }

        return sawCreation;
    }

    private static bool IsMutexCreation(ExpressionSyntax value)
    {
        var arguments = value switch
        {
            ObjectCreationExpressionSyntax creation => creation.ArgumentList,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
            _ => null,
        };

        if (arguments is null || arguments.Arguments.Count is < 1 or > 2)
        {
            return false;
        }

        foreach (var argument in arguments.Arguments)
        {
            if (argument.Expression is not LiteralExpressionSyntax { Token.ValueText: "1" })
            {
                return false;
            }
        }

        return true;
    }
}
