using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;

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
/// </summary>
public sealed class HoistPlan
{
    private HoistPlan(
        CriticalSection section,
        ImmutableArray<StatementAccess> accesses,
        ImmutableArray<bool> lockFree,
        int prefixLength,
        IOperation? extracted,
        IOperation? lockFreeWork,
        IOperation? sharedObjectWork)
    {
        Section = section;
        Accesses = accesses;
        LockFree = lockFree;
        PrefixLength = prefixLength;
        Extracted = extracted;
        LockFreeWork = lockFreeWork;
        SharedObjectWork = sharedObjectWork;
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

    /// <summary>Does the hoist move the lock-free CPU work out and leave something inside?</summary>
    public bool CanFix
    {
        get
        {
            if (Section.Kind is CriticalSectionKind.MonitorTryEnter || LockFreeWork is null || PrefixLength >= Section.Statements.Length)
            {
                return false;
            }

            if (Section.Kind != CriticalSectionKind.SynchronizedMethod && Section.InsertionPoint?.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.BlockSyntax)
            {
                return false;
            }

            return MovableWork is not null;
        }
    }

    /// <summary>CPU work inside what the hoist moves (the prefix or the extracted expression), or null.</summary>
    public IOperation? MovableWork { get; private set; }

    /// <summary>True when every statement of the section needs no lock.</summary>
    public bool NothingNeedsTheLock => PrefixLength == Section.Statements.Length && Section.Statements.Length > 0;

    public static HoistPlan Create(CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
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

        return new HoistPlan(section, accesses.MoveToImmutable(), lockFree.MoveToImmutable(), prefix, extracted, lockFreeWork, sharedObjectWork) { MovableWork = movableWork };
    }

    /// <summary>
    /// In the first statement that stays inside: the argument of a call (<c>shared.Add(Heavy(i))</c>) or the value of an
    /// assignment (<c>_cache[key] = Hash(data)</c>) that is CPU work, private and pure, and evaluated after nothing with effects.
    /// </summary>
    private static IOperation? FindExtractable(IOperation statement, SectionAccess access, HashSet<ISymbol> captured, CriticalSection section, PurityCache cache, CancellationToken cancellationToken)
    {
        if (statement is not IExpressionStatementOperation { Operation: { } expression })
        {
            return null;
        }

        IOperation? candidate = null;
        switch (expression)
        {
            case IInvocationOperation { Instance: { } receiver } call when IsSimpleReference(receiver):
                foreach (var argument in call.Arguments)
                {
                    if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter?.RefKind != RefKind.None)
                    {
                        return null;
                    }

                    var value = Unwrap(argument.Value);
                    if (candidate is null && value is IInvocationOperation or IObjectCreationOperation)
                    {
                        candidate = value;
                    }
                    else if (!IsSimpleReference(value))
                    {
                        return null;
                    }
                }

                break;

            case ISimpleAssignmentOperation { IsRef: false } assignment when IsSimpleTarget(assignment.Target):
                candidate = Unwrap(assignment.Value);
                break;

            case ICompoundAssignmentOperation { OperatorMethod: null } compound when IsSimpleTarget(compound.Target):
                candidate = Unwrap(compound.Value);
                break;
        }

        if (candidate is not (IInvocationOperation or IObjectCreationOperation) || candidate.Type is null
            || candidate.Type.SpecialType == SpecialType.System_Void || candidate.Type.IsRefLikeType || candidate.Type.TypeKind == TypeKind.Error)
        {
            return null;
        }

        if (candidate is IConversionOperation { OperatorMethod: not null } || access.Classify(candidate).TouchesShared
            || !IsMovable(candidate, captured) || !Purity.IsIndependent(candidate, section.Function.Syntax, cache, cancellationToken)
            || SharedStatics.AreRead(candidate, cache, cancellationToken)
            || CpuWork.Find(candidate, cache, skip: null, cancellationToken) is null)
        {
            return null;
        }

        return candidate;
    }

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>A reference whose evaluation has no effect: literal, local, parameter, field chain, <c>this</c>.</summary>
    private static bool IsSimpleReference(IOperation operation)
    {
        operation = Unwrap(operation);
        return operation switch
        {
            ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
            IFieldReferenceOperation field => field.Instance is null || IsSimpleReference(field.Instance),
            _ => operation.ConstantValue.HasValue,
        };
    }

    private static bool IsSimpleTarget(IOperation target) => target switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation => IsSimpleReference(target),
        IArrayElementReferenceOperation element => IsSimpleReference(element.ArrayReference) && AllSimple(element.Indices),
        IPropertyReferenceOperation { Instance: { } instance } property => IsSimpleReference(instance) && AllSimpleArguments(property.Arguments),
        _ => false,
    };

    private static bool AllSimple(ImmutableArray<IOperation> operations)
    {
        foreach (var operation in operations)
        {
            if (!IsSimpleReference(operation))
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllSimpleArguments(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (!IsSimpleReference(argument.Value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>CPU work in a call whose receiver is shared, outside lazy-initialization guards.</summary>
    private static IOperation? FindSharedObjectWork(IOperation statement, SectionAccess access, PurityCache cache, CancellationToken cancellationToken)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { Instance: { } receiver, TargetMethod: { } method } call
                && access.SharedRoot(receiver) is not null
                && IsInSource(method)
                && !IsUnderSharedCondition(call, statement, access)
                && CpuWork.Find(call, cache, skip: o => o != call, cancellationToken) is not null)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>True for the branch of an <c>if</c> on shared state, or the value of <c>shared ??= …</c> (a subtree to skip).</summary>
    public static bool IsLazyBranch(IOperation operation, SectionAccess access)
        => (operation.Parent is IConditionalOperation conditional && conditional.Condition != operation && access.Classify(conditional.Condition).TouchesShared)
           || (operation.Parent is ICoalesceAssignmentOperation coalesce && coalesce.Value == operation && access.Classify(coalesce.Target).TouchesShared);

    /// <summary>Lazy initialization: code under <c>if (_x == null)</c> or <c>_x ??= …</c> runs once, not every time.</summary>
    public static bool IsUnderSharedCondition(IOperation operation, IOperation statement, SectionAccess access)
    {
        for (var current = operation; current is not null && current != statement.Parent; current = current.Parent)
        {
            if (current.Parent is IConditionalOperation conditional && conditional.Condition != current && access.Classify(conditional.Condition).TouchesShared)
            {
                return true;
            }

            if (current.Parent is ICoalesceAssignmentOperation coalesce && coalesce.Value == current && access.Classify(coalesce.Target).TouchesShared)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>No jumps out of the statement, no local functions, no writes to locals that a lambda captures.</summary>
    private static bool IsMovable(IOperation statement, HashSet<ISymbol> captured)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IReturnOperation when !IsInsideLambda(operation, statement):
                case ILocalFunctionOperation:
                case IAnonymousFunctionOperation { Symbol.IsAsync: true }:
                case IAwaitOperation:
                case ILabeledOperation:
                    return false;
                case IBranchOperation branch when branch.BranchKind == BranchKind.GoTo || !HasLoopOrSwitchBetween(branch, statement):
                    return false;
                case ILocalReferenceOperation local when captured.Contains(local.Local):
                    return false;
                case IParameterReferenceOperation parameter when captured.Contains(parameter.Parameter):
                    return false;
            }
        }

        return true;
    }

    private static bool IsInsideLambda(IOperation operation, IOperation statement)
    {
        for (var current = operation.Parent; current is not null && current != statement; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasLoopOrSwitchBetween(IOperation branch, IOperation statement)
    {
        for (var current = branch.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation or ISwitchOperation)
            {
                return true;
            }

            if (current == statement)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Locals and parameters of <paramref name="function"/> referenced inside nested lambdas or local functions.</summary>
    private static HashSet<ISymbol> CapturedSymbols(IOperation function)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var nested in function.Descendants())
        {
            if (nested is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
            {
                continue;
            }

            foreach (var reference in nested.Descendants())
            {
                if (reference is ILocalReferenceOperation local && !Purity.IsDeclaredWithin(local.Local, nested.Syntax))
                {
                    result.Add(local.Local);
                }
                else if (reference is IParameterReferenceOperation parameter && !Purity.IsDeclaredWithin(parameter.Parameter, nested.Syntax))
                {
                    result.Add(parameter.Parameter);
                }
            }
        }

        return result;
    }

    private static bool IsInSource(ISymbol symbol)
    {
        foreach (var location in symbol.Locations)
        {
            if (location.IsInSource)
            {
                return true;
            }
        }

        return false;
    }
}
