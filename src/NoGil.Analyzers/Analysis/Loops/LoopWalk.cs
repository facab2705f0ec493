namespace NoGil.Analyzers.Analysis.Loops;

/// <summary>
/// Builds a <see cref="LoopModel"/>: one walk over the loop body checks control flow and calls, counts the cost, and
/// records every write, every element access and every read of an outer variable; then the element writes are checked
/// for partitioning and aliasing, and the outer writes for reductions.
/// </summary>
internal sealed class LoopWalk
{
    private readonly LoopScope _scope;
    private readonly PurityCache _purity;
    private readonly CancellationToken _cancellationToken;
    private readonly ObstacleList _obstacles = new();
    private readonly ElementAccesses _accesses;
    private readonly OuterVariables _outer = new();
    private readonly DeferredCost _cost = new();

    /// <summary>Operations to walk although their parent's children are not (the indices of an array element chain).</summary>
    private readonly List<IOperation> _pending = new();

    private bool _usesSpans;
    private bool _uncapturable;

    private LoopWalk(LoopScope scope, PurityCache purity, CancellationToken cancellationToken)
    {
        _scope = scope;
        _purity = purity;
        _cancellationToken = cancellationToken;
        _accesses = new ElementAccesses(scope, _obstacles);
    }

    /// <summary>The model of <paramref name="loop"/>, or null when the model does not accept its shape.</summary>
    public static LoopModel? Build(ILoopOperation loop, KnownTypes types, PurityCache purity, CancellationToken cancellationToken)
    {
        if (LoopHeader.Read(loop) is not { } header || loop.Body is not { Syntax: not null } body)
        {
            return null;
        }

        return new LoopWalk(new LoopScope(loop, body, header.Induction, types), purity, cancellationToken).Run(header);
    }

    private LoopModel Run(LoopHeader header)
    {
        if (header.Shape == LoopShape.For && !_scope.IsInvariant(header.Upper))
        {
            _obstacles.Add(LoopObstacleKind.BoundNotInvariant, header.Upper, "the bound '" + header.Upper.Syntax + "' may change inside the loop");
        }

        Walk();
        _accesses.CheckWrites(new ArrayAliasing(_scope));
        var reductions = _outer.ClassifyWrites(_obstacles);
        var usesSpans = _usesSpans || _accesses.UsesSpans;
        return new LoopModel(
            _scope.Loop,
            header.Shape,
            header.Induction,
            header.Lower,
            header.Upper,
            header.Inclusive,
            header.TripCount,
            _scope.Body,
            _obstacles.ToImmutableArray(),
            reductions,
            _accesses.ToImmutableArray(),
            _cost.ToLazyCost(_scope.Loop, _purity, _cancellationToken),
            usesSpans,
            _cost.HasCheckedArithmetic,
            ConcurrentBody.EnclosingStarter(_scope.Loop, _scope.Types, _purity, helpers: null, _cancellationToken),
            !_uncapturable && !usesSpans,
            _obstacles.AliasChecks());
    }

    private void Walk()
    {
        var stack = new Stack<IOperation>(32);
        stack.Push(_scope.Body);
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
        if (VisitControl(operation) is { } visitChildren)
        {
            return visitChildren;
        }

        if (IsPointerSyntax(operation.Syntax))
        {
            _obstacles.Add(LoopObstacleKind.Unsupported, operation, "the body uses pointers or stackalloc");
            return false;
        }

        _cost.Count(operation);
        if (WriteTargets.IsWriteTarget(operation, out var target) && target is not null)
        {
            RecordWrite(target, operation);
        }

        return VisitExpression(operation);
    }

    /// <summary>
    /// Control flow, exception handling and the constructs the model does not follow; null when
    /// <paramref name="operation"/> is none of those, else whether to visit its children.
    /// </summary>
    private bool? VisitControl(IOperation operation)
    {
        switch (operation)
        {
            case IBranchOperation branch:
                if (branch.BranchKind == BranchKind.Break && SymbolEqualityComparer.Default.Equals(branch.Target, _scope.Loop.ExitLabel))
                {
                    _obstacles.Add(LoopObstacleKind.Exit, branch, "'break' leaves the loop early");
                }
                else if (branch.BranchKind == BranchKind.GoTo)
                {
                    _obstacles.Add(LoopObstacleKind.Exit, branch, "'goto' in the body");
                }

                return true;

            case IReturnOperation ret:
                _obstacles.Add(LoopObstacleKind.Exit, ret, ret.Kind == OperationKind.YieldReturn || ret.Kind == OperationKind.YieldBreak ? "'yield' in the body" : "'return' leaves the loop early");
                return true;

            case IAwaitOperation:
                _obstacles.Add(LoopObstacleKind.Exit, operation, "'await' in the body");
                return true;

            case IThrowOperation:
                _obstacles.Add(LoopObstacleKind.ExceptionSensitive, operation, "the body throws");
                return true;

            case ITryOperation or IUsingOperation or ILockOperation or IUsingDeclarationOperation:
                _obstacles.Add(LoopObstacleKind.ExceptionSensitive, operation, "the body has " + (operation is ILockOperation ? "a lock" : operation is ITryOperation ? "exception handling" : "a using statement"));
                return true;

            case ILoopOperation inner:
                _cost.CountInnerLoop(inner);
                return true;

            case IEventAssignmentOperation:
                _obstacles.Add(LoopObstacleKind.FieldWrite, operation, "the body subscribes to an event");
                return false;

            default:
                return Unsupported(operation) is { } reason ? Reject(operation, reason) : null;
        }
    }

    /// <summary>Why the model does not follow <paramref name="operation"/> (it then skips its children), or null. <c>LoopScreen.IsBlocking</c> tests the same kinds.</summary>
    /// <remarks>Dispatched on the operation's kind (each of these interfaces has its own kinds): the screen asks it of every node.</remarks>
    internal static string? Unsupported(IOperation operation) => operation.Kind switch
    {
        OperationKind.AnonymousFunction or OperationKind.LocalFunction or OperationKind.DelegateCreation => "the body creates a lambda or local function",
        OperationKind.AddressOf or OperationKind.DynamicInvocation or OperationKind.DynamicMemberReference or OperationKind.DynamicIndexerAccess
            or OperationKind.DynamicObjectCreation => "the body uses pointers, dynamic or stackalloc",
        OperationKind.VariableDeclarator when ((IVariableDeclaratorOperation)operation).Symbol.IsRef => "the body declares a ref local",
        OperationKind.Invalid => "'" + operation.Syntax + "' does not compile",
        _ => null,
    };

    /// <summary>
    /// A property read that runs no getter the model must prove pure: an array's <c>Length</c>/<c>Rank</c>, or a member known
    /// to be pure (<see cref="Purity.IsKnownPureMember"/>). Shared by the walk and the screen.
    /// </summary>
    internal static bool IsKnownPureRead(IPropertyReferenceOperation property)
        => property.Property.ContainingType?.SpecialType is SpecialType.System_Array
           || property.Instance?.Type is IArrayTypeSymbol
           || Purity.IsKnownPureMember(property.Property);

    private bool Reject(IOperation operation, string reason)
    {
        _obstacles.Add(LoopObstacleKind.Unsupported, operation, reason);
        return false;
    }

    internal static bool IsPointerSyntax(SyntaxNode syntax)
        => (SyntaxKind)syntax.RawKind is SyntaxKind.StackAllocArrayCreationExpression or SyntaxKind.FixedStatement
           or SyntaxKind.PointerIndirectionExpression or SyntaxKind.PointerMemberAccessExpression;

    /// <summary>Element accesses, calls and variable reads; returns whether to visit the children.</summary>
    private bool VisitExpression(IOperation operation)
    {
        switch (operation)
        {
            case IArrayElementReferenceOperation element:
                _accesses.RecordElement(element);
                // The array chain is handled here; its indices (and a non-symbol array expression) are walked next.
                _pending.AddRange(ArrayChain.OperandsOf(element));
                return false;

            case IPropertyReferenceOperation property when _accesses.IsSpanIndexer(property):
                _accesses.RecordSpan(property);
                return true;

            case IInvocationOperation invocation:
                CheckCall(invocation, invocation.TargetMethod);
                return true;

            case IObjectCreationOperation creation:
                if (creation.Constructor is { } constructor && !constructor.ContainingType.IsValueType && !CostTally.IsKnownAllocation(creation))
                {
                    CheckCall(creation, constructor);
                }

                return true;

            case IPropertyReferenceOperation property:
                CheckPropertyRead(property);
                return true;

            case IFieldReferenceOperation field:
                if (field.Field.IsVolatile)
                {
                    _obstacles.Add(LoopObstacleKind.VolatileRead, field, "'" + field.Field.Name + "' is volatile");
                }

                return true;

            case ILocalReferenceOperation local when !_scope.IsBodyLocal(local.Local) && !_scope.IsInduction(local.Local):
                RecordOuterRead(local.Local, local, local.Local.IsRef);
                return true;

            case IParameterReferenceOperation parameter:
                RecordOuterRead(parameter.Parameter, parameter, parameter.Parameter.RefKind != RefKind.None);
                return true;

            case IInstanceReferenceOperation instance when instance.Type?.IsValueType == true && instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance:
                _uncapturable = true; // 'this' of a struct cannot be captured by a lambda
                return true;

            default:
                return true;
        }
    }

    /// <summary>A read of a local or parameter declared outside the loop: a span or a by-reference variable cannot move into a lambda.</summary>
    private void RecordOuterRead(ISymbol variable, IOperation reference, bool isByReference)
    {
        _outer.RecordRead(variable, reference);
        if (_scope.IsSpan(reference.Type))
        {
            _usesSpans = true;
        }

        _uncapturable |= isByReference || reference.Type?.IsRefLikeType == true;
    }

    private void CheckPropertyRead(IPropertyReferenceOperation property)
    {
        var getter = property.Property.GetMethod;
        if (IsKnownPureRead(property))
        {
            return;
        }

        if (getter is null || !Purity.IsPureMethod(getter, _purity, _cancellationToken))
        {
            _obstacles.Add(LoopObstacleKind.ImpureCall, property, "'" + property.Syntax + "' is not known to be free of side effects");
        }
        else if (!getter.DeclaringSyntaxReferences.IsEmpty)
        {
            CheckThrows(property, getter, isPure: true);
        }
    }

    private void CheckCall(IOperation call, IMethodSymbol method)
    {
        _cost.CountTranscendental(call, method);
        if (method.MethodKind == MethodKind.LocalFunction && !method.IsStatic)
        {
            // It may read or write the method's locals (an accumulator the body folds into) behind the model's back.
            _obstacles.Add(LoopObstacleKind.Unsupported, call, "'" + method.Name + "' is a local function that can see the method's variables");
            return;
        }

        if (CallCost.IsThrowHelper(method))
        {
            _obstacles.Add(LoopObstacleKind.ThrowingCall, call, "'" + method.ContainingType.Name + "." + method.Name + "' throws");
            return;
        }

        var isPure = Purity.IsPureMethod(method, _purity, _cancellationToken);
        if (!method.DeclaringSyntaxReferences.IsEmpty)
        {
            _cost.CountSourceCall(call, method, isPure);
            CheckThrows(call, method, isPure);
        }

        if (!isPure)
        {
            _obstacles.Add(LoopObstacleKind.ImpureCall, call, "'" + (method.ContainingType?.Name is { } typeName ? typeName + "." : string.Empty) + method.Name + "' is not known to be free of side effects");
        }
    }

    /// <summary>A pure source callee that throws explicitly (itself or through its source callees): a <see cref="LoopObstacleKind.ThrowingCall"/>.</summary>
    private void CheckThrows(IOperation call, IMethodSymbol method, bool isPure)
    {
        if (isPure && CallCost.Of(method, _purity, _cancellationToken).ThrowSite is { } site)
        {
            _obstacles.Add(
                LoopObstacleKind.ThrowingCall,
                call,
                "'" + (method.ContainingType?.Name is { } typeName ? typeName + "." : string.Empty) + method.Name + "' throws ('" + Shorten(site.Syntax.ToString()) + "')");
        }
    }

    private static string Shorten(string text)
    {
        text = string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private void RecordWrite(IOperation target, IOperation writer)
    {
        target = target.UnwrapConversions();
        switch (target)
        {
            case ILocalReferenceOperation local:
                RecordLocalWrite(local.Local, writer);
                return;

            case IParameterReferenceOperation { Parameter: var parameter }:
                if (parameter.RefKind != RefKind.None)
                {
                    _obstacles.Add(LoopObstacleKind.OuterVariableWrite, writer, "the " + parameter.RefKind.ToString().ToLowerInvariant() + " parameter '" + parameter.Name + "' is written in the body");
                }
                else
                {
                    _outer.RecordWrite(parameter, writer);
                }

                return;

            case IFieldReferenceOperation field:
                if (!IsBodyOwnedStruct(field))
                {
                    _obstacles.Add(LoopObstacleKind.FieldWrite, writer, (field.Field.IsStatic ? "the static field '" : "the field '") + field.Field.Name + "' is written in the body");
                }

                return;

            case ITupleOperation tuple:
                foreach (var element in tuple.Elements)
                {
                    RecordWrite(element, writer);
                }

                return;

            case IArrayElementReferenceOperation or IDeclarationExpressionOperation or IDiscardOperation:
                return; // an element is recorded with its kind when the element reference is visited

            case IPropertyReferenceOperation property:
                if (!_accesses.IsSpanIndexer(property))
                {
                    _obstacles.Add(LoopObstacleKind.FieldWrite, writer, "the property '" + property.Property.Name + "' is set in the body");
                }

                return;

            default:
                _obstacles.Add(LoopObstacleKind.Unsupported, writer, "'" + target.Syntax + "' is written in the body");
                return;
        }
    }

    private void RecordLocalWrite(ILocalSymbol local, IOperation writer)
    {
        if (_scope.IsInduction(local))
        {
            _obstacles.Add(LoopObstacleKind.InductionWritten, writer, "the loop variable '" + local.Name + "' is written in the body");
        }
        else if (_scope.IsBodyLocal(local))
        {
            return;
        }
        else if (local.IsRef)
        {
            _obstacles.Add(LoopObstacleKind.OuterVariableWrite, writer, "'" + local.Name + "' is a ref local written in the body");
        }
        else
        {
            _outer.RecordWrite(local, writer);
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

        return instance is ILocalReferenceOperation local && local.Type?.IsValueType == true && _scope.IsBodyLocal(local.Local);
    }
}
