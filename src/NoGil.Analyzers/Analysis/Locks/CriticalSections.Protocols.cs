namespace NoGil.Analyzers.Analysis.Locks;

/// <summary>
/// The sections made of statements of one block: an acquiring call, then <c>try { … } finally { release; }</c>
/// (<c>Monitor</c>, a <c>SemaphoreSlim</c> used as a mutex, <c>ReaderWriterLockSlim</c> write locks, <c>Mutex</c>), and
/// <c>using var _ = l.EnterScope();</c>.
/// </summary>
public static partial class CriticalSections
{
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

        return LockCall(statement, types, monitor: "Enter", semaphore: "Wait", writeLock: "EnterWriteLock", mutex: "WaitOne");
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

        return LockCall(statement, types, monitor: "Exit", semaphore: "Release", writeLock: "ExitWriteLock", mutex: "ReleaseMutex");
    }

    /// <summary>
    /// A statement that calls one side (acquire or release) of a protocol: <c>Monitor.<paramref name="monitor"/>(x)</c>,
    /// or a parameterless call of the named method on a <c>SemaphoreSlim</c>, a <c>ReaderWriterLockSlim</c> or a <c>Mutex</c>.
    /// </summary>
    private static LockStep? LockCall(IOperation statement, KnownTypes types, string monitor, string semaphore, string writeLock, string mutex)
    {
        if (AsCall(statement) is not { } call)
        {
            return null;
        }

        if (IsMethod(call, types.Monitor, monitor) && call.Arguments.Length == 1)
        {
            return new LockStep(CriticalSectionKind.Monitor, call.Arguments[0].Value, call);
        }

        if (call.Instance is not { } instance || call.Arguments.Length != 0)
        {
            return null;
        }

        if (IsMethod(call, types.SemaphoreSlim, semaphore))
        {
            return new LockStep(CriticalSectionKind.Semaphore, instance, call);
        }

        if (IsMethod(call, types.ReaderWriterLockSlim, writeLock))
        {
            return new LockStep(CriticalSectionKind.WriteLock, instance, call);
        }

        if (call.TargetMethod.Name == mutex && KnownTypes.InheritsFromOrEquals(instance.Type, types.Mutex))
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

        return resource.UnwrapConversions() is IInvocationOperation { TargetMethod.Name: "EnterScope", Arguments.Length: 0, Instance: { } instance }
               && IsLockType(instance.Type, types)
            ? instance
            : null;
    }

    private static bool IsLockType(ITypeSymbol? type, KnownTypes types)
        => types.Lock is not null
            ? KnownTypes.Is(type, types.Lock)
            : type is { Name: "Lock", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static IInvocationOperation? AsCall(IOperation statement)
        => (statement as IExpressionStatementOperation)?.Operation.UnwrapConversions() as IInvocationOperation;

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
