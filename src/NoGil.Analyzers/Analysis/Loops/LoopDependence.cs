using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Analysis.Common;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// The loop dependence analysis shared by the NOGIL3xx rules: for any loop, are its iterations independent, and if
/// not, why not?
/// <para>
/// Accepted shapes: <c>for (int i = lo; i &lt; hi; i++)</c> (also <c>&lt;=</c>, <c>++i</c>, <c>i += 1</c>, <c>long</c>
/// induction variables) whose bound is loop-invariant (a constant, a local, parameter or field not written in the body,
/// their <c>.Length</c>/<c>.Count</c>/<c>GetLength(d)</c>, and arithmetic over those), and <c>foreach</c> over a
/// one-dimensional array. Iterations are independent when every write goes to a body-local variable, to a recognized
/// reduction variable (<see cref="LoopReduction"/>), or to an array or span element owned by the iteration: 1-D
/// <c>a[i + c]</c>, a flattened row <c>a[i * w + j]</c> whose <c>j</c> is an inner loop over <c>[0, w)</c>, or
/// dimension 0 of <c>T[,]</c> and jagged arrays (<c>c[i, j]</c>, <c>c[i][j]</c>, also through <c>var row = c[i]</c>);
/// a written array is read only at the writing iteration's elements; arrays that may be the same object (same type,
/// neither created fresh in the method) are accessed only at the same elements; spans that may partially overlap
/// are reported as <see cref="LoopObstacleKind.SpanOverlap"/>; every call is pure (<see cref="Purity"/>); no exits,
/// exception handling, field/static writes or volatile reads. Rows of a jagged array are assumed to be distinct arrays
/// (as every row-by-row allocation makes them).
/// </para>
/// </summary>
public static class LoopDependence
{
    /// <summary>A body with at least this many operations pays for range scheduling on several cores.</summary>
    public const int ParallelOperationThreshold = 24;

    private static readonly ConditionalWeakTable<ILoopOperation, StrongBox<LoopModel?>> Cache = new();

    /// <summary>Per method body: the array locals no one else can reach (see <c>ComputeFreshLocals</c>).</summary>
    private static readonly ConditionalWeakTable<IOperation, HashSet<ILocalSymbol>> FreshLocals = new();

    /// <summary>
    /// The model of <paramref name="loop"/>, or null when it is not a canonical <c>for</c> loop or a <c>foreach</c> over an
    /// array. The result is cached per loop operation, so every rule may ask.
    /// </summary>
    public static LoopModel? Analyze(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (loop is null || types is null || purity is null)
        {
            return null;
        }

        if (Cache.TryGetValue(loop, out var cached))
        {
            return cached.Value;
        }

        var model = new Builder(loop, types, purity, cancellationToken).Build();
        return Cache.GetValue(loop, _ => new StrongBox<LoopModel?>(model)).Value;
    }

    /// <summary>True when <paramref name="operation"/> runs inside a lambda that is a concurrent body: Parallel.For/ForEach/ForEachAsync/Invoke, PLINQ, Task.Run, StartNew, new Thread, ThreadPool.</summary>
    public static bool IsInsideConcurrentBody(IOperation operation, KnownTypes types)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            var parent = lambda.Parent;
            while (parent is IDelegateCreationOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is not IArgumentOperation { Parent: { } starter })
            {
                continue;
            }

            if (starter is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var type = method.ContainingType?.OriginalDefinition;
                if (KnownTypes.Is(type, types.Parallel) || KnownTypes.Is(type, types.ParallelEnumerable)
                    || (KnownTypes.Is(type, types.Task) && method.Name == "Run")
                    || ((KnownTypes.Is(type, types.TaskFactory) || KnownTypes.Is(type, types.TaskFactoryOfT)) && method.Name == "StartNew")
                    || (KnownTypes.Is(type, types.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem"))
                {
                    return true;
                }
            }
            else if (starter is IObjectCreationOperation creation && KnownTypes.Is(creation.Type, types.Thread))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Builder
    {
        private readonly ILoopOperation _loop;
        private readonly KnownTypes _types;
        private readonly PurityCache _purity;
        private readonly CancellationToken _cancellationToken;
        private readonly List<LoopObstacle> _obstacles = new();
        private readonly List<ElementAccess> _accesses = new();
        private readonly Dictionary<ISymbol, List<IOperation>> _outerWrites = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, List<IOperation>> _outerReads = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ILocalSymbol, (ISymbol? Base, ImmutableArray<IOperation> Indices)> _rowAliases = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ILocalSymbol, IOperation?> _singleAssignment = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ILocalSymbol> _bodyWrittenLocals = new(SymbolEqualityComparer.Default);
        private readonly HashSet<ILocalSymbol> _freshBodyArrays = new(SymbolEqualityComparer.Default);
        private readonly List<IOperation> _pending = new();
        private readonly Dictionary<ISymbol, bool> _fresh = new(SymbolEqualityComparer.Default);
        private HashSet<ISymbol>? _writtenInBody;
        private Dictionary<ILocalSymbol, string?>? _innerRanges;
        private ILocalSymbol? _induction;
        private IOperation _body = null!;
        private int _operations;
        private bool _hasInnerLoop;
        private bool _hasTranscendental;
        private bool _callsLoopingMethod;
        private bool _callsSourceMethod;
        private bool _callsRecursiveMethod;
        private bool _usesSpans;
        private bool _checked;
        private bool _uncapturable;

        public Builder(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
        {
            _loop = loop;
            _types = types;
            _purity = purity;
            _cancellationToken = cancellationToken;
        }

        public LoopModel? Build()
        {
            LoopShape shape;
            IOperation? lower = null;
            IOperation? upper = null;
            var inclusive = false;
            long? tripCount = null;
            switch (_loop)
            {
                case IForLoopOperation forLoop:
                    if (!TryReadFor(forLoop, out _induction, out lower, out upper, out inclusive))
                    {
                        return null;
                    }

                    shape = LoopShape.For;
                    if (lower?.ConstantValue is { HasValue: true } lo && upper?.ConstantValue is { HasValue: true } hi
                        && TryToLong(lo.Value, out var low) && TryToLong(hi.Value, out var high))
                    {
                        tripCount = System.Math.Max(0, high - low + (inclusive ? 1 : 0));
                    }

                    break;

                case IForEachLoopOperation forEach:
                    if (forEach.Collection.UnwrapConversions().Type is not IArrayTypeSymbol { Rank: 1 }
                        || forEach.LoopControlVariable is not IVariableDeclaratorOperation { Symbol: { } variable }
                        || forEach.IsAsynchronous)
                    {
                        return null;
                    }

                    _induction = variable;
                    upper = forEach.Collection.UnwrapConversions();
                    shape = LoopShape.ForEachArray;
                    break;

                default:
                    return null;
            }

            _body = _loop.Body;
            if (_body?.Syntax is null)
            {
                return null;
            }

            if (shape == LoopShape.For && upper is not null && !IsInvariant(upper))
            {
                Add(LoopObstacleKind.BoundNotInvariant, upper, "the bound '" + upper.Syntax + "' may change inside the loop");
            }

            CollectLocals();
            Walk();
            CheckElementWrites();
            var reductions = ClassifyOuterWrites();

            var cost = new LoopCost(_operations, _hasInnerLoop, _hasTranscendental, _callsLoopingMethod, _callsSourceMethod, _callsRecursiveMethod);
            return new LoopModel(
                _loop,
                shape,
                _induction,
                lower,
                upper,
                inclusive,
                tripCount,
                _body,
                _obstacles.ToImmutableArray(),
                reductions,
                _accesses.ToImmutableArray(),
                cost,
                _usesSpans,
                _checked,
                IsInsideConcurrentBody(_loop, _types),
                !_uncapturable && !_usesSpans);
        }

        private void Add(LoopObstacleKind kind, IOperation operation, string reason)
        {
            if (_obstacles.Count < 16)
            {
                _obstacles.Add(new LoopObstacle(kind, operation, reason));
            }
        }

        // ---- Shape -------------------------------------------------------------------------------------------------

        private static bool TryReadFor(IForLoopOperation loop, out ILocalSymbol? induction, out IOperation? lower, out IOperation? upper, out bool inclusive)
        {
            induction = null;
            lower = null;
            upper = null;
            inclusive = false;
            if (loop.Before.Length != 1
                || loop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
                || group.Declarations[0].Declarators.Length != 1
                || group.Declarations[0].Declarators[0] is not { Symbol: { } symbol } declarator
                || symbol.Type.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64)
                || symbol.IsRef
                || declarator.GetVariableInitializer() is not { Value: { } initial })
            {
                return false;
            }

            if (loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual } condition
                || condition.LeftOperand.UnwrapConversions() is not ILocalReferenceOperation { Local: { } left }
                || !SymbolEqualityComparer.Default.Equals(left, symbol))
            {
                return false;
            }

            if (loop.AtLoopBottom.Length != 1 || !IsUnitIncrement(loop.AtLoopBottom[0], symbol))
            {
                return false;
            }

            induction = symbol;
            lower = initial;
            upper = condition.RightOperand.UnwrapConversions();
            inclusive = condition.OperatorKind == BinaryOperatorKind.LessThanOrEqual;
            return true;
        }

        private static bool IsUnitIncrement(IOperation step, ILocalSymbol induction)
        {
            var operation = step is IExpressionStatementOperation statement ? statement.Operation : step;
            switch (operation)
            {
                case IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target }:
                    return SymbolEqualityComparer.Default.Equals(target.Local, induction);
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target } compound:
                    return SymbolEqualityComparer.Default.Equals(target.Local, induction)
                           && compound.Value.ConstantValue is { HasValue: true } one && TryToLong(one.Value, out var step1) && step1 == 1;
                default:
                    return false;
            }
        }

        private static bool TryToLong(object? value, out long result)
        {
            switch (value)
            {
                case int v: result = v; return true;
                case long v: result = v; return true;
                case short v: result = v; return true;
                case byte v: result = v; return true;
                case uint v: result = v; return true;
                default: result = 0; return false;
            }
        }

        /// <summary>Loop-invariant: constants, locals/parameters/fields not written in the body, their Length/Count/GetLength, arithmetic of those.</summary>
        private bool IsInvariant(IOperation expression)
        {
            var operation = expression.UnwrapConversions();
            if (operation.ConstantValue.HasValue)
            {
                return true;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local:
                    return !IsWrittenInBody(local.Local) && !SymbolEqualityComparer.Default.Equals(local.Local, _induction);
                case IParameterReferenceOperation parameter:
                    return !IsWrittenInBody(parameter.Parameter);
                case IFieldReferenceOperation field:
                    return !field.Field.IsVolatile && (field.Instance is null || field.Instance is IInstanceReferenceOperation || IsInvariant(field.Instance));
                case IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "LongLength", Arguments.Length: 0 } property when property.Instance is not null:
                    return IsInvariant(property.Instance) && IsStableLength(property);
                case IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength", Instance: { } instance } invocation:
                    return instance.Type is IArrayTypeSymbol && IsInvariant(instance) && invocation.Arguments.All(a => IsInvariant(a.Value));
                case IBinaryOperation binary when binary.OperatorKind is BinaryOperatorKind.Add or BinaryOperatorKind.Subtract or BinaryOperatorKind.Multiply or BinaryOperatorKind.Divide or BinaryOperatorKind.RightShift:
                    return IsInvariant(binary.LeftOperand) && IsInvariant(binary.RightOperand);
                default:
                    return false;
            }
        }

        private bool IsStableLength(IPropertyReferenceOperation property)
        {
            var type = property.Instance?.Type;
            if (type is IArrayTypeSymbol || type?.SpecialType == SpecialType.System_String)
            {
                return true;
            }

            var definition = type?.OriginalDefinition;
            if (KnownTypes.Is(definition, _types.SpanOfT) || KnownTypes.Is(definition, _types.ReadOnlySpanOfT))
            {
                return true;
            }

            // A collection's Count is stable when the body calls nothing that could change it: every call must be pure,
            // which the walk checks; a List<T> is not otherwise written through.
            return Purity.IsKnownPureMember(property.Property);
        }

        private bool IsWrittenInBody(ISymbol symbol)
        {
            if (_writtenInBody is null)
            {
                _writtenInBody = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
                foreach (var operation in _body.DescendantsAndSelf())
                {
                    if (IsWriteTarget(operation, out var target) && target is not null && SymbolOf(target) is { } written)
                    {
                        _writtenInBody.Add(written);
                    }
                }
            }

            return _writtenInBody.Contains(symbol);
        }

        // ---- Locals ------------------------------------------------------------------------------------------------

        private bool IsBodyLocal(ISymbol symbol)
        {
            if (symbol is not ILocalSymbol local || SymbolEqualityComparer.Default.Equals(local, _induction))
            {
                return false;
            }

            foreach (var reference in local.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == _body.Syntax.SyntaxTree && _body.Syntax.Span.Contains(reference.Span))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Records body locals assigned once (for index substitution), row aliases (<c>var row = c[i]</c>) and fresh arrays.</summary>
        private void CollectLocals()
        {
            foreach (var operation in _body.DescendantsAndSelf())
            {
                if (IsWriteTarget(operation, out var target) && target is ILocalReferenceOperation written)
                {
                    _bodyWrittenLocals.Add(written.Local);
                }
            }

            foreach (var operation in _body.DescendantsAndSelf())
            {
                if (operation is not IVariableDeclaratorOperation { Symbol: { } local } declarator || _bodyWrittenLocals.Contains(local) || local.IsRef)
                {
                    continue;
                }

                var initializer = declarator.GetVariableInitializer()?.Value;
                _singleAssignment[local] = initializer;
                var value = initializer?.UnwrapConversions();
                if (value is IArrayCreationOperation)
                {
                    _freshBodyArrays.Add(local);
                }
                else if (value is IArrayElementReferenceOperation element && local.Type is IArrayTypeSymbol)
                {
                    var (arrayBase, indices) = Flatten(element);
                    _rowAliases[local] = (arrayBase, indices);
                }
            }
        }

        // ---- The walk ----------------------------------------------------------------------------------------------

        private void Walk()
        {
            var stack = new Stack<IOperation>();
            stack.Push(_body);
            while (stack.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                if (!Visit(operation))
                {
                    foreach (var pending in _pending)
                    {
                        stack.Push(pending);
                    }

                    _pending.Clear();
                    continue;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        /// <summary>Checks one operation; returns false when its children must not be visited.</summary>
        private bool Visit(IOperation operation)
        {
            switch (operation)
            {
                case IBranchOperation branch:
                    if (branch.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(branch.Target, _loop.ExitLabel))
                    {
                        Add(LoopObstacleKind.Exit, branch, "'break' leaves the loop early");
                    }
                    else if (branch.BranchKind == BranchKind.GoTo)
                    {
                        Add(LoopObstacleKind.Exit, branch, "'goto' in the body");
                    }

                    return true;

                case IReturnOperation ret:
                    Add(LoopObstacleKind.Exit, ret, ret.Kind == OperationKind.YieldReturn || ret.Kind == OperationKind.YieldBreak ? "'yield' in the body" : "'return' leaves the loop early");
                    return true;

                case IAwaitOperation:
                    Add(LoopObstacleKind.Exit, operation, "'await' in the body");
                    return true;

                case IThrowOperation:
                    Add(LoopObstacleKind.ExceptionSensitive, operation, "the body throws");
                    return true;

                case ITryOperation or IUsingOperation or ILockOperation or IUsingDeclarationOperation:
                    Add(LoopObstacleKind.ExceptionSensitive, operation, "the body has " + (operation is ILockOperation ? "a lock" : operation is ITryOperation ? "exception handling" : "a using statement"));
                    return true;

                case IAnonymousFunctionOperation or ILocalFunctionOperation or IDelegateCreationOperation:
                    Add(LoopObstacleKind.Unsupported, operation, "the body creates a lambda or local function");
                    return false;

                case IAddressOfOperation or IDynamicInvocationOperation or IDynamicMemberReferenceOperation or IDynamicIndexerAccessOperation or IDynamicObjectCreationOperation:
                    Add(LoopObstacleKind.Unsupported, operation, "the body uses pointers, dynamic or stackalloc");
                    return false;

                case IVariableDeclaratorOperation { Symbol.IsRef: true }:
                    Add(LoopObstacleKind.Unsupported, operation, "the body declares a ref local");
                    return false;

                case ILoopOperation inner:
                    if (!IsSmallInnerLoop(inner) && Computes(inner, _cancellationToken))
                    {
                        _hasInnerLoop = true;
                    }

                    return true;

                case IInvalidOperation:
                    Add(LoopObstacleKind.Unsupported, operation, "'" + operation.Syntax + "' does not compile");
                    return false;

                case IEventAssignmentOperation:
                    Add(LoopObstacleKind.FieldWrite, operation, "the body subscribes to an event");
                    return false;
            }

            if (operation.Syntax.IsKind(SyntaxKind.StackAllocArrayCreationExpression) || operation.Syntax.IsKind(SyntaxKind.FixedStatement)
                || operation.Syntax.IsKind(SyntaxKind.PointerIndirectionExpression) || operation.Syntax.IsKind(SyntaxKind.PointerMemberAccessExpression))
            {
                Add(LoopObstacleKind.Unsupported, operation, "the body uses pointers or stackalloc");
                return false;
            }

            CountCost(operation);
            if (IsWriteTarget(operation, out var target) && target is not null)
            {
                RecordWrite(target, operation);
            }

            switch (operation)
            {
                case IArrayElementReferenceOperation element:
                    RecordElement(element, KindOf(element));
                    // The array chain is handled here; its indices (and a non-symbol array expression) are walked next.
                    _pending.AddRange(IndicesOfChain(element));
                    return false;

                case IPropertyReferenceOperation property when IsSpanIndexer(property):
                    RecordSpan(property, KindOf(property));
                    return true;

                case IInvocationOperation invocation:
                    CheckCall(invocation, invocation.TargetMethod);
                    return true;

                case IObjectCreationOperation creation:
                    if (creation.Constructor is { } constructor && !constructor.ContainingType.IsValueType && !IsKnownAllocation(creation))
                    {
                        CheckCall(creation, constructor);
                    }

                    return true;

                case IPropertyReferenceOperation property:
                    var getter = property.Property.GetMethod;
                    if (property.Property.ContainingType?.SpecialType is not SpecialType.System_Array
                        && !(property.Instance?.Type is IArrayTypeSymbol)
                        && !Purity.IsKnownPureMember(property.Property)
                        && (getter is null || !Purity.IsPureMethod(getter, _purity, _cancellationToken)))
                    {
                        Add(LoopObstacleKind.ImpureCall, property, "'" + property.Syntax + "' is not known to be free of side effects");
                    }

                    return true;

                case IFieldReferenceOperation field:
                    if (field.Field.IsVolatile)
                    {
                        Add(LoopObstacleKind.VolatileRead, field, "'" + field.Field.Name + "' is volatile");
                    }

                    return true;

                case ILocalReferenceOperation local when !IsBodyLocal(local.Local) && !SymbolEqualityComparer.Default.Equals(local.Local, _induction):
                    Remember(_outerReads, local.Local, local);
                    if (IsSpan(local.Type))
                    {
                        _usesSpans = true;
                    }

                    _uncapturable |= local.Local.IsRef || local.Type?.IsRefLikeType == true;

                    return true;

                case IParameterReferenceOperation parameter:
                    Remember(_outerReads, parameter.Parameter, parameter);
                    if (IsSpan(parameter.Type))
                    {
                        _usesSpans = true;
                    }

                    _uncapturable |= parameter.Parameter.RefKind != RefKind.None || parameter.Type?.IsRefLikeType == true;
                    return true;

                case IInstanceReferenceOperation instance when instance.Type?.IsValueType == true && instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance:
                    _uncapturable = true; // 'this' of a struct cannot be captured by a lambda
                    return true;
            }

            return true;
        }

        /// <summary>
        /// Does the loop compute, rather than only move data? Its body (and a <c>while</c>/<c>do</c> condition; the control of
        /// nested <c>for</c> loops is not work) has arithmetic, a comparison, a call or an object creation. A loop that only
        /// allocates, copies or stores elements (<c>a[i][j] = new T[n]</c>, <c>row[j] = src[j]</c>) is bound by memory and
        /// the allocator, not by a core: on public code such loops were one-time setup (docs/precision.md).
        /// </summary>
        private static bool Computes(ILoopOperation loop, CancellationToken cancellationToken)
        {
            var stack = new Stack<IOperation>();
            PushWork(loop, stack);
            while (stack.Count > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var operation = stack.Pop();
                switch (operation)
                {
                    case ILoopOperation nested:
                        PushWork(nested, stack);
                        continue;
                    case IBinaryOperation or IUnaryOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation
                        or IInvocationOperation or IObjectCreationOperation:
                        return true;
                }

                foreach (var child in operation.ChildOperations)
                {
                    stack.Push(child);
                }
            }

            return false;

            static void PushWork(ILoopOperation loop, Stack<IOperation> stack)
            {
                stack.Push(loop.Body);
                if (loop is IWhileLoopOperation { Condition: { } condition })
                {
                    stack.Push(condition);
                }
            }
        }

        /// <summary>
        /// A <c>for</c> loop from a constant to a constant, in either direction, of at most <see cref="CpuWork.TrivialLoopBound"/>
        /// iterations (<c>for (int k = 8; k &gt; 0; k--)</c>): its work is counted, but it does not make the body heavy.
        /// </summary>
        private static bool IsSmallInnerLoop(ILoopOperation loop)
        {
            if (CpuWork.IsTriviallySmall(loop))
            {
                return true;
            }

            if (loop is not IForLoopOperation { Before.Length: 1, Condition: IBinaryOperation condition } forLoop
                || forLoop.Before[0] is not IVariableDeclarationGroupOperation { Declarations.Length: 1 } group
                || group.Declarations[0].Declarators.Length != 1
                || group.Declarations[0].Declarators[0].GetVariableInitializer()?.Value.ConstantValue is not { HasValue: true } start
                || !TryToLong(start.Value, out var first)
                || condition.RightOperand.ConstantValue is not { HasValue: true } end
                || !TryToLong(end.Value, out var last)
                || condition.LeftOperand.UnwrapConversions() is not ILocalReferenceOperation { Local: { } variable }
                || !SymbolEqualityComparer.Default.Equals(variable, group.Declarations[0].Declarators[0].Symbol))
            {
                return false;
            }

            var inclusive = condition.OperatorKind is BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThanOrEqual;
            var span = System.Math.Abs(last - first) + (inclusive ? 1 : 0);
            return condition.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                       or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.NotEquals
                   && span <= CpuWork.TrivialLoopBound;
        }

        private void CountCost(IOperation operation)
        {
            _operations += CallCost.WeightOf(operation);
            switch (operation)
            {
                case IBinaryOperation binary:
                    _checked |= binary.IsChecked;
                    break;
                case IUnaryOperation unary:
                    _checked |= unary.IsChecked;
                    break;
                case ICompoundAssignmentOperation compound:
                    _checked |= compound.IsChecked;
                    break;
                case IIncrementOrDecrementOperation increment:
                    _checked |= increment.IsChecked;
                    break;
                case IConversionOperation conversion:
                    _checked |= conversion.IsChecked && !conversion.IsImplicit;
                    break;
            }
        }

        private static bool IsKnownAllocation(IObjectCreationOperation creation)
        {
            var type = creation.Type;
            var ns = type?.ContainingNamespace?.ToDisplayString();
            return ns is "System.Collections.Generic" or "System.Text" && creation.Arguments.All(a => a.Value.Type?.IsValueType != false || a.Value.ConstantValue.HasValue);
        }

        private void CheckCall(IOperation call, IMethodSymbol method)
        {
            if (CallCost.IsTranscendental(method))
            {
                _hasTranscendental = true;
            }

            if (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic)
            {
                // It may read or write the method's locals (an accumulator the body folds into) behind the model's back.
                Add(LoopObstacleKind.Unsupported, call, "'" + method.Name + "' is a local function that can see the method's variables");
                return;
            }

            var isSource = !method.DeclaringSyntaxReferences.IsEmpty;
            if (isSource)
            {
                _callsSourceMethod = true;
            }

            if (!Purity.IsPureMethod(method, _purity, _cancellationToken))
            {
                Add(LoopObstacleKind.ImpureCall, call, "'" + (method.ContainingType?.Name is { } typeName ? typeName + "." : string.Empty) + method.Name + "' is not known to be free of side effects");
                return;
            }

            if (isSource)
            {
                // A call is as heavy as what it runs: a one-line helper adds a few operations, not a reason to parallelize.
                var cost = CallCost.Of(method, _purity, _cancellationToken);
                _operations = System.Math.Min(_operations + cost.Operations, int.MaxValue / 2);
                _hasTranscendental |= cost.HasTranscendental;
                _callsRecursiveMethod |= cost.IsRecursive;
                if (!_callsLoopingMethod && CpuWork.Find(call, _purity, skip: null, _cancellationToken) is not null)
                {
                    _callsLoopingMethod = true;
                }
            }

        }

        // ---- Writes --------------------------------------------------------------------------------------------------

        private static bool IsWriteTarget(IOperation operation, out IOperation? target)
        {
            switch (operation)
            {
                case IAssignmentOperation assignment when assignment is not IDeconstructionAssignmentOperation:
                    target = assignment.Target;
                    return true;
                case IIncrementOrDecrementOperation increment:
                    target = increment.Target;
                    return true;
                case IDeconstructionAssignmentOperation deconstruction:
                    target = deconstruction.Target;
                    return true;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    target = argument.Value;
                    return true;
                default:
                    target = null;
                    return false;
            }
        }

        private static ISymbol? SymbolOf(IOperation target) => target.UnwrapConversions() switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            _ => null,
        };

        private void RecordWrite(IOperation target, IOperation writer)
        {
            target = target.UnwrapConversions();
            switch (target)
            {
                case ILocalReferenceOperation local:
                    if (SymbolEqualityComparer.Default.Equals(local.Local, _induction))
                    {
                        Add(LoopObstacleKind.InductionWritten, writer, "the loop variable '" + local.Local.Name + "' is written in the body");
                    }
                    else if (!IsBodyLocal(local.Local))
                    {
                        if (local.Local.IsRef)
                        {
                            Add(LoopObstacleKind.OuterVariableWrite, writer, "'" + local.Local.Name + "' is a ref local written in the body");
                        }
                        else
                        {
                            Remember(_outerWrites, local.Local, writer);
                        }
                    }

                    return;

                case IParameterReferenceOperation parameter:
                    if (parameter.Parameter.RefKind != RefKind.None)
                    {
                        Add(LoopObstacleKind.OuterVariableWrite, writer, "the " + parameter.Parameter.RefKind.ToString().ToLowerInvariant() + " parameter '" + parameter.Parameter.Name + "' is written in the body");
                    }
                    else
                    {
                        Remember(_outerWrites, parameter.Parameter, writer);
                    }

                    return;

                case IFieldReferenceOperation field:
                    if (IsBodyOwnedStruct(field))
                    {
                        return;
                    }

                    Add(LoopObstacleKind.FieldWrite, writer, (field.Field.IsStatic ? "the static field '" : "the field '") + field.Field.Name + "' is written in the body");
                    return;

                case IArrayElementReferenceOperation:
                    return; // recorded with its kind when the element reference is visited

                case IPropertyReferenceOperation property when IsSpanIndexer(property):
                    return;

                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        RecordWrite(element, writer);
                    }

                    return;

                case IDeclarationExpressionOperation or IDiscardOperation:
                    return;

                case IPropertyReferenceOperation property:
                    Add(LoopObstacleKind.FieldWrite, writer, "the property '" + property.Property.Name + "' is set in the body");
                    return;

                default:
                    Add(LoopObstacleKind.Unsupported, writer, "'" + target.Syntax + "' is written in the body");
                    return;
            }
        }

        /// <summary>A field of a struct held in a body-local variable (<c>p.X = 1</c> with <c>var p = new Point()</c> in the body).</summary>
        private bool IsBodyOwnedStruct(IFieldReferenceOperation field)
        {
            IOperation? instance = field.Instance;
            while (instance is IFieldReferenceOperation { Instance: { } inner } nested && nested.Type?.IsValueType == true)
            {
                instance = inner;
            }

            return instance is ILocalReferenceOperation local && local.Type?.IsValueType == true && IsBodyLocal(local.Local);
        }

        private static void Remember(Dictionary<ISymbol, List<IOperation>> map, ISymbol symbol, IOperation operation)
        {
            if (!map.TryGetValue(symbol, out var list))
            {
                map[symbol] = list = new List<IOperation>();
            }

            list.Add(operation);
        }

        // ---- Element accesses ----------------------------------------------------------------------------------------

        private static ElementAccessKind KindOf(IOperation access)
        {
            var parent = access.Parent;
            while (parent is IConversionOperation { IsImplicit: true })
            {
                parent = parent.Parent;
            }

            return parent switch
            {
                ISimpleAssignmentOperation assignment when assignment.Target == access => ElementAccessKind.Write,
                ICompoundAssignmentOperation compound when compound.Target == access => ElementAccessKind.ReadWrite,
                ICoalesceAssignmentOperation coalesce when coalesce.Target == access => ElementAccessKind.ReadWrite,
                IIncrementOrDecrementOperation => ElementAccessKind.ReadWrite,
                IArgumentOperation { Parameter.RefKind: RefKind.Out } => ElementAccessKind.Write,
                IArgumentOperation { Parameter.RefKind: RefKind.Ref } => ElementAccessKind.ReadWrite,
                ITupleOperation { Parent: IDeconstructionAssignmentOperation } => ElementAccessKind.Write,
                _ => ElementAccessKind.Read,
            };
        }

        private static IEnumerable<IOperation> IndicesOfChain(IArrayElementReferenceOperation element)
        {
            IOperation current = element;
            while (current is IArrayElementReferenceOperation reference)
            {
                foreach (var index in reference.Indices)
                {
                    yield return index;
                }

                current = reference.ArrayReference.UnwrapConversions();
            }

            if (current is not (ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation))
            {
                yield return current;
            }
            else if (current is IFieldReferenceOperation { Instance: { } instance } && instance is not IInstanceReferenceOperation)
            {
                yield return instance;
            }
        }

        private static (ISymbol? Base, ImmutableArray<IOperation> Indices) Flatten(IArrayElementReferenceOperation element)
        {
            var chain = new List<IArrayElementReferenceOperation>();
            IOperation current = element;
            while (current is IArrayElementReferenceOperation reference)
            {
                chain.Add(reference);
                current = reference.ArrayReference.UnwrapConversions();
            }

            chain.Reverse();
            var indices = chain.SelectMany(c => c.Indices).ToImmutableArray();
            return (SymbolOf(current), indices);
        }

        private void RecordElement(IArrayElementReferenceOperation element, ElementAccessKind kind)
        {
            var (arrayBase, indices) = Flatten(element);
            if (arrayBase is ILocalSymbol local && _rowAliases.TryGetValue(local, out var alias))
            {
                arrayBase = alias.Base;
                indices = alias.Indices.AddRange(indices);
            }

            AddAccess(element, arrayBase, element.Type, isSpan: false, indices, kind);
        }

        private void RecordSpan(IPropertyReferenceOperation indexer, ElementAccessKind kind)
        {
            _usesSpans = true;
            var indices = indexer.Arguments.Select(a => a.Value).ToImmutableArray();
            var spanBase = indexer.Instance is { } instance ? SymbolOf(instance) : null;
            AddAccess(indexer, spanBase, indexer.Type, isSpan: true, indices, kind);
        }

        private void AddAccess(IOperation operation, ISymbol? arrayBase, ITypeSymbol? elementType, bool isSpan, ImmutableArray<IOperation> indices, ElementAccessKind kind)
        {
            if (elementType is null or IErrorTypeSymbol)
            {
                Add(LoopObstacleKind.Unsupported, operation, "'" + operation.Syntax + "' does not bind");
                return;
            }

            var partition = indices.Length == 0 ? null : PartitionOf(indices[0], allowRows: indices.Length == 1);
            _accesses.Add(new ElementAccess(operation, arrayBase, elementType, isSpan, indices, kind, partition));
        }

        private bool IsSpanIndexer(IPropertyReferenceOperation property)
            => property.Property.IsIndexer && IsSpan(property.Instance?.Type);

        private bool IsSpan(ITypeSymbol? type)
        {
            var definition = type?.OriginalDefinition;
            return KnownTypes.Is(definition, _types.SpanOfT) || KnownTypes.Is(definition, _types.ReadOnlySpanOfT);
        }

        // ---- Index algebra -------------------------------------------------------------------------------------------

        /// <summary>A linear form: coefficient keys per variable ("1", a constant, or an invariant's text) and a constant offset.</summary>
        private sealed class Linear
        {
            public readonly Dictionary<ISymbol, string> Terms = new(SymbolEqualityComparer.Default);
            public long Offset;
            public bool HasOpaque;
            public bool Valid = true;
        }

        private string? PartitionOf(IOperation index, bool allowRows)
        {
            if (_induction is null || _loop is not IForLoopOperation)
            {
                return null;
            }

            var form = ToLinear(index, depth: 0);
            if (!form.Valid || form.HasOpaque || !form.Terms.TryGetValue(_induction, out var coefficient))
            {
                return null;
            }

            if (coefficient == "1" && form.Terms.Count == 1)
            {
                return "i+" + form.Offset;
            }

            if (!allowRows || coefficient == "1" || form.Offset != 0 || form.Terms.Count != 2)
            {
                return null;
            }

            var other = form.Terms.First(t => !SymbolEqualityComparer.Default.Equals(t.Key, _induction));
            return other.Value == "1" && other.Key is ILocalSymbol column && IsInnerRangeVariable(column, coefficient)
                ? "i*" + coefficient
                : null;
        }

        /// <summary><paramref name="variable"/> is the induction variable of an inner canonical loop over <c>[0, width)</c>, not written in its body.</summary>
        private bool IsInnerRangeVariable(ILocalSymbol variable, string width)
        {
            if (_innerRanges is null)
            {
                _innerRanges = new Dictionary<ILocalSymbol, string?>(SymbolEqualityComparer.Default);
                foreach (var operation in _body.DescendantsAndSelf())
                {
                    if (operation is IForLoopOperation inner && TryReadFor(inner, out var induction, out var lower, out var upper, out var inclusive) && induction is not null)
                    {
                        var canonical = !inclusive && lower?.ConstantValue is { HasValue: true, Value: 0 } && upper is not null
                                        && !inner.Body.DescendantsAndSelf().Any(o => IsWriteTarget(o, out var t) && t is not null && SymbolEqualityComparer.Default.Equals(SymbolOf(t), induction));
                        _innerRanges[induction] = canonical ? KeyOf(upper!) : null;
                    }
                }
            }

            return _innerRanges.TryGetValue(variable, out var bound) && bound == width;
        }

        private Linear ToLinear(IOperation expression, int depth)
        {
            var result = new Linear();
            var operation = expression.UnwrapConversions();
            if (depth > 8)
            {
                result.Valid = false;
                return result;
            }

            if (operation.ConstantValue is { HasValue: true } constant && TryToLong(constant.Value, out var value))
            {
                result.Offset = value;
                return result;
            }

            switch (operation)
            {
                case ILocalReferenceOperation local when SymbolEqualityComparer.Default.Equals(local.Local, _induction):
                    result.Terms[local.Local] = "1";
                    return result;

                case ILocalReferenceOperation local when IsBodyLocal(local.Local):
                    if (_singleAssignment.TryGetValue(local.Local, out var initializer) && initializer is not null)
                    {
                        return ToLinear(initializer, depth + 1);
                    }

                    // A loop variable of an inner loop (written by its own step) or another body variable.
                    result.Terms[local.Local] = "1";
                    return result;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary:
                    var left = ToLinear(binary.LeftOperand, depth + 1);
                    var right = ToLinear(binary.RightOperand, depth + 1);
                    if (!left.Valid || !right.Valid)
                    {
                        result.Valid = false;
                        return result;
                    }

                    var negate = binary.OperatorKind == BinaryOperatorKind.Subtract;
                    foreach (var term in left.Terms)
                    {
                        result.Terms[term.Key] = term.Value;
                    }

                    foreach (var term in right.Terms)
                    {
                        if (negate || result.Terms.ContainsKey(term.Key))
                        {
                            result.Valid = false; // i - j, or i appearing twice: not a form we partition
                            return result;
                        }

                        result.Terms[term.Key] = term.Value;
                    }

                    result.Offset = negate ? left.Offset - right.Offset : left.Offset + right.Offset;
                    result.HasOpaque = left.HasOpaque || right.HasOpaque;
                    return result;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Multiply } product:
                    var (variablePart, factor) = IsInvariant(product.RightOperand) ? (product.LeftOperand, product.RightOperand)
                        : IsInvariant(product.LeftOperand) ? (product.RightOperand, product.LeftOperand)
                        : (null, null);
                    if (variablePart is null || factor is null)
                    {
                        result.Valid = false;
                        return result;
                    }

                    var inner = ToLinear(variablePart, depth + 1);
                    if (!inner.Valid || inner.HasOpaque || inner.Offset != 0 || inner.Terms.Count != 1 || inner.Terms.First().Value != "1")
                    {
                        result.Valid = false;
                        return result;
                    }

                    result.Terms[inner.Terms.First().Key] = KeyOf(factor);
                    return result;

                default:
                    if (IsInvariant(operation))
                    {
                        result.HasOpaque = true; // an invariant offset we cannot compare (e.g. 'start + i')
                        return result;
                    }

                    result.Valid = false;
                    return result;
            }
        }

        private static string KeyOf(IOperation operation)
        {
            operation = operation.UnwrapConversions();
            return operation.ConstantValue is { HasValue: true, Value: { } value } ? value.ToString() : operation.Syntax.ToString().Replace(" ", string.Empty);
        }

        // ---- Element write checks ------------------------------------------------------------------------------------

        private void CheckElementWrites()
        {
            var written = _accesses.Where(a => a.Kind != ElementAccessKind.Read).ToList();
            foreach (var write in written)
            {
                if (write.Base is null)
                {
                    Add(LoopObstacleKind.UnpartitionedWrite, write.Operation, "'" + write.Operation.Syntax + "' writes through an expression the analysis does not follow");
                    return;
                }
            }

            var basesWritten = written.Select(w => w.Base!).Distinct<ISymbol>(SymbolEqualityComparer.Default).ToList();
            foreach (var arrayBase in basesWritten)
            {
                if (arrayBase is ILocalSymbol local && IsBodyLocal(local))
                {
                    if (!_freshBodyArrays.Contains(local))
                    {
                        Add(LoopObstacleKind.UnpartitionedWrite, written.First(w => Same(w.Base, arrayBase)).Operation, "'" + local.Name + "' may refer to an array shared between iterations");
                    }

                    continue;
                }

                var writes = written.Where(w => Same(w.Base, arrayBase)).ToList();
                var intoRows = writes.FirstOrDefault(w => w.Indices.Length >= 2 && ContainerType(arrayBase) is IArrayTypeSymbol { ElementType: IArrayTypeSymbol });
                if (intoRows is not null && !IsFreshInMethod(arrayBase))
                {
                    // c[i][j] = …: distinct i give distinct rows only if no two slots of 'c' hold the same array, which is
                    // known only for a jagged array the method built itself, row by row, from new arrays.
                    Add(LoopObstacleKind.UnpartitionedWrite, intoRows.Operation, "rows of '" + arrayBase.Name + "' may be one array stored at several indices");
                    continue;
                }

                var partition = writes[0].Partition;
                var bad = writes.FirstOrDefault(w => w.Partition is null || w.Partition != partition);
                if (bad is not null)
                {
                    Add(LoopObstacleKind.UnpartitionedWrite, bad.Operation, "'" + bad.Operation.Syntax + "' is not an element only this iteration writes");
                    continue;
                }

                foreach (var access in _accesses)
                {
                    if (access.Base is null || access.Kind != ElementAccessKind.Read && Same(access.Base, arrayBase))
                    {
                        continue;
                    }

                    if (Same(access.Base, arrayBase))
                    {
                        if (access.Partition != partition)
                        {
                            Add(LoopObstacleKind.CrossIterationRead, access.Operation, "'" + access.Operation.Syntax + "' reads an element that another iteration writes");
                        }

                        continue;
                    }

                    if (!MayAlias(arrayBase, writes[0], access))
                    {
                        continue;
                    }

                    if (writes[0].IsSpan || access.IsSpan)
                    {
                        Add(LoopObstacleKind.SpanOverlap, access.Operation, "'" + access.Operation.Syntax + "' may overlap '" + arrayBase.Name + "', which the loop writes");
                    }
                    else if (access.Partition != partition)
                    {
                        Add(LoopObstacleKind.MayAlias, access.Operation, "'" + access.Base!.Name + "' and '" + arrayBase.Name + "' may be the same array, accessed at different elements");
                    }
                }
            }
        }

        private static bool Same(ISymbol? a, ISymbol? b) => SymbolEqualityComparer.Default.Equals(a, b);

        /// <summary>Can <paramref name="access"/>'s array be (part of) the array written by <paramref name="write"/>?</summary>
        private bool MayAlias(ISymbol writtenBase, ElementAccess write, ElementAccess access)
        {
            if (access.Base is ILocalSymbol local && IsBodyLocal(local) && _freshBodyArrays.Contains(local))
            {
                return false;
            }

            if (IsFreshInMethod(writtenBase) || IsFreshInMethod(access.Base!))
            {
                return false;
            }

            // Compare the types of the outermost containers: double[] vs double[] (or int[] vs uint[], which the runtime lets alias).
            var writtenType = ContainerType(writtenBase);
            var accessType = ContainerType(access.Base!);
            if (writtenType is null || accessType is null)
            {
                return true;
            }

            if (write.IsSpan || access.IsSpan)
            {
                return SameSizeElements(write.ElementType, access.ElementType);
            }

            return SymbolEqualityComparer.Default.Equals(writtenType, accessType)
                   || (writtenType is IArrayTypeSymbol wa && accessType is IArrayTypeSymbol aa && wa.Rank == aa.Rank && SameSizeElements(wa.ElementType, aa.ElementType));
        }

        private static ITypeSymbol? ContainerType(ISymbol symbol) => symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };

        private static bool SameSizeElements(ITypeSymbol a, ITypeSymbol b)
        {
            if (SymbolEqualityComparer.Default.Equals(a, b))
            {
                return true;
            }

            static int Size(ITypeSymbol t) => t.SpecialType switch
            {
                SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Boolean => 1,
                SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Char => 2,
                SpecialType.System_Int32 or SpecialType.System_UInt32 => 4,
                SpecialType.System_Int64 or SpecialType.System_UInt64 => 8,
                _ => -1,
            };

            var size = Size(a);
            return size > 0 && size == Size(b);
        }

        /// <summary>A local of the enclosing method initialized with an array creation and never assigned again: no one else holds it before the loop.</summary>
        private bool IsFreshInMethod(ISymbol symbol)
        {
            if (!_fresh.TryGetValue(symbol, out var fresh))
            {
                _fresh[symbol] = fresh = ComputeIsFreshInMethod(symbol);
            }

            return fresh;
        }

        private bool ComputeIsFreshInMethod(ISymbol symbol)
        {
            if (symbol is not ILocalSymbol local || local.IsRef || IsBodyLocal(local))
            {
                return false;
            }

            IOperation top = _loop;
            while (top.Parent is { } parent)
            {
                top = parent;
            }

            return FreshLocals.GetValue(top, ComputeFreshLocals).Contains(local);
        }

        /// <summary>
        /// The locals of a method body that hold an array no one else can reach: initialized with an array creation, never
        /// assigned again, every row stored into them a new array, and used only through their elements, their lengths,
        /// <c>foreach</c> or <c>return</c> — never handed out as a value (an argument, another variable, <c>AsSpan()</c>),
        /// which could bring the same array back under another name. Computed once per method body.
        /// </summary>
        private static HashSet<ILocalSymbol> ComputeFreshLocals(IOperation root)
        {
            var candidates = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var spoiled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in root.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case IVariableDeclaratorOperation { Symbol: { IsRef: false } declared } declarator
                        when declarator.GetVariableInitializer()?.Value.UnwrapConversions() is IArrayCreationOperation:
                        candidates.Add(declared);
                        break;

                    case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation row } rowAssignment
                        when row.Type is IArrayTypeSymbol && Flatten(row).Base is ILocalSymbol jagged
                             && rowAssignment.Value.UnwrapConversions() is not IArrayCreationOperation:
                        spoiled.Add(jagged); // a row of the jagged array is an array someone else may hold
                        break;

                    case ILocalReferenceOperation reference when !IsHarmlessUse(reference):
                        spoiled.Add(reference.Local);
                        break;
                }
            }

            candidates.ExceptWith(spoiled);
            return candidates;
        }

        /// <summary>A use of an array local that neither reassigns it nor hands the array to anyone.</summary>
        private static bool IsHarmlessUse(ILocalReferenceOperation reference)
        {
            IOperation child = reference;
            var parent = reference.Parent;
            while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
            {
                child = parent;
                parent = parent.Parent;
            }

            return parent switch
            {
                IArrayElementReferenceOperation element => element.ArrayReference == child,
                IPropertyReferenceOperation { Property.Name: "Length" or "LongLength" or "Rank" } property => property.Instance == child,
                IInvocationOperation { TargetMethod.Name: "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" } call => call.Instance == child,
                IForEachLoopOperation loop => loop.Collection == child,
                IReturnOperation => true,
                _ => false,
            };
        }

        // ---- Reductions --------------------------------------------------------------------------------------------

        private ImmutableArray<LoopReduction> ClassifyOuterWrites()
        {
            var reductions = ImmutableArray.CreateBuilder<LoopReduction>();
            foreach (var pair in _outerWrites)
            {
                var variable = pair.Key;
                var updates = new List<LoopReduction>();
                var ok = true;
                foreach (var writer in pair.Value)
                {
                    var reduction = RecognizeUpdate(variable, writer);
                    if (reduction is null)
                    {
                        ok = false;
                        Add(LoopObstacleKind.OuterVariableWrite, writer, "'" + variable.Name + "' is declared outside the loop and written in the body");
                        break;
                    }

                    updates.Add(reduction);
                }

                if (!ok)
                {
                    continue;
                }

                var first = updates[0];
                if (updates.Any(u => u.Operator != first.Operator || u.Update != first.Update && updates.Count > 1 && u.Operator is not (ReductionOperator.Add or ReductionOperator.Multiply or ReductionOperator.And or ReductionOperator.Or or ReductionOperator.Xor)))
                {
                    Add(LoopObstacleKind.OuterVariableWrite, first.Update, "'" + variable.Name + "' is updated in different ways");
                    continue;
                }

                // The accumulator may be read only inside its own updates.
                if (_outerReads.TryGetValue(variable, out var reads))
                {
                    var stray = reads.FirstOrDefault(r => !updates.Any(u => u.Update.Syntax.Span.Contains(r.Syntax.Span)));
                    if (stray is not null)
                    {
                        Add(LoopObstacleKind.OuterVariableWrite, stray, "'" + variable.Name + "' is read in the body, where other iterations update it");
                        continue;
                    }
                }

                reductions.AddRange(updates.Count == 1 ? updates : updates.Take(1));
            }

            return reductions.OrderBy(r => r.Update.Syntax.SpanStart).ToImmutableArray();
        }

        private LoopReduction? RecognizeUpdate(ISymbol variable, IOperation writer)
        {
            // The statement holding the write, and an optional enclosing 'if' without else whose only statement it is.
            if (writer.Parent is not IExpressionStatementOperation statement)
            {
                return null;
            }

            IOperation update = statement;
            IOperation? condition = null;
            var container = statement.Parent is IBlockOperation { Operations.Length: 1 } single ? single.Parent : statement.Parent;
            if (container is IConditionalOperation { WhenFalse: null } conditional && conditional.Parent is not null)
            {
                update = conditional;
                condition = conditional.Condition;
            }

            var type = variable switch { ILocalSymbol l => l.Type, IParameterSymbol p => p.Type, _ => null };
            if (type is null || type.SpecialType is SpecialType.None && type.TypeKind != TypeKind.Enum)
            {
                return null;
            }

            LoopReduction Make(ReductionOperator op, IOperation? value, IOperation? cond, bool negated)
                => new(variable as ILocalSymbol, variable as IParameterSymbol, op, update, value, cond, negated, type);

            bool Mentions(IOperation? operation) => operation is not null && operation.DescendantsAndSelf().Any(o => Same(SymbolOf(o), variable) && o is ILocalReferenceOperation or IParameterReferenceOperation);

            // Compare form: if (e > s) s = e;  if (s < e) s = e;  (and the min twins)
            if (condition is IBinaryOperation compare && writer is ISimpleAssignmentOperation compareAssign
                && compare.OperatorKind is BinaryOperatorKind.GreaterThan or BinaryOperatorKind.LessThan)
            {
                var leftIsVar = Same(SymbolOf(compare.LeftOperand), variable);
                var rightIsVar = Same(SymbolOf(compare.RightOperand), variable);
                if (leftIsVar != rightIsVar)
                {
                    var other = leftIsVar ? compare.RightOperand : compare.LeftOperand;
                    if (!Mentions(other) && Equivalent(other, compareAssign.Value) && !HasSideEffects(other))
                    {
                        var isMax = (compare.OperatorKind == BinaryOperatorKind.GreaterThan) ^ leftIsVar;
                        return Make(isMax ? ReductionOperator.CompareMax : ReductionOperator.CompareMin, compareAssign.Value, condition, negated: false);
                    }
                }

                return null;
            }

            if (Mentions(condition))
            {
                return null;
            }

            switch (writer)
            {
                case IIncrementOrDecrementOperation increment:
                    return Make(ReductionOperator.Add, null, condition, increment.Kind == OperationKind.Decrement);

                case ICompoundAssignmentOperation compound when !Mentions(compound.Value):
                    return compound.OperatorKind switch
                    {
                        BinaryOperatorKind.Add => Make(ReductionOperator.Add, compound.Value, condition, false),
                        BinaryOperatorKind.Subtract => Make(ReductionOperator.Add, compound.Value, condition, true),
                        BinaryOperatorKind.Multiply => Make(ReductionOperator.Multiply, compound.Value, condition, false),
                        BinaryOperatorKind.And => Make(ReductionOperator.And, compound.Value, condition, false),
                        BinaryOperatorKind.Or => Make(ReductionOperator.Or, compound.Value, condition, false),
                        BinaryOperatorKind.ExclusiveOr => Make(ReductionOperator.Xor, compound.Value, condition, false),
                        _ => null,
                    };

                case ISimpleAssignmentOperation assignment:
                    var value = assignment.Value.UnwrapConversions();
                    if (value is IBinaryOperation binary)
                    {
                        var leftIsVar = Same(SymbolOf(binary.LeftOperand), variable);
                        var rightIsVar = Same(SymbolOf(binary.RightOperand), variable);
                        var operand = leftIsVar ? binary.RightOperand : binary.LeftOperand;
                        if (leftIsVar == rightIsVar || Mentions(operand))
                        {
                            return null;
                        }

                        return binary.OperatorKind switch
                        {
                            BinaryOperatorKind.Add => Make(ReductionOperator.Add, operand, condition, false),
                            BinaryOperatorKind.Subtract when leftIsVar => Make(ReductionOperator.Add, operand, condition, true),
                            BinaryOperatorKind.Multiply => Make(ReductionOperator.Multiply, operand, condition, false),
                            BinaryOperatorKind.And => Make(ReductionOperator.And, operand, condition, false),
                            BinaryOperatorKind.Or => Make(ReductionOperator.Or, operand, condition, false),
                            BinaryOperatorKind.ExclusiveOr => Make(ReductionOperator.Xor, operand, condition, false),
                            _ => null,
                        };
                    }

                    if (value is IInvocationOperation { TargetMethod: { Name: "Max" or "Min", ContainingType.Name: "Math" or "MathF" } method, Arguments.Length: 2 } call
                        && method.ContainingNamespace?.ToDisplayString() == "System")
                    {
                        var a = call.Arguments[0].Value;
                        var b = call.Arguments[1].Value;
                        var aIsVar = Same(SymbolOf(a), variable);
                        var bIsVar = Same(SymbolOf(b), variable);
                        var operand = aIsVar ? b : a;
                        if (aIsVar == bIsVar || Mentions(operand))
                        {
                            return null;
                        }

                        return Make(method.Name == "Max" ? ReductionOperator.MathMax : ReductionOperator.MathMin, operand, condition, false);
                    }

                    return null;

                default:
                    return null;
            }
        }

        private static bool Equivalent(IOperation a, IOperation b)
            => Microsoft.CodeAnalysis.CSharp.SyntaxFactory.AreEquivalent(a.UnwrapConversions().Syntax, b.UnwrapConversions().Syntax);

        private static bool HasSideEffects(IOperation operation)
            => operation.DescendantsAndSelf().Any(o => o is IInvocationOperation or IAssignmentOperation or IIncrementOrDecrementOperation);
    }
}
