using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NoGil.Analyzers.Analysis.Common;

/// <summary>
/// Per-compilation memory of <see cref="Purity"/>: summaries of source methods and the semantic models
/// needed to read their bodies. Create one in a compilation-start action and share it between actions.
/// </summary>
public sealed class PurityCache
{
    private readonly ConcurrentDictionary<(IMethodSymbol Method, bool ThisWritable), bool> _summaries = new(SummaryKeyComparer.Instance);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();

    private static readonly ConditionalWeakTable<Compilation, PurityCache> ByCompilation = new();

    public PurityCache(Compilation compilation)
    {
        Compilation = compilation;
    }

    /// <summary>The cache of <paramref name="compilation"/>, shared by every rule that asks about purity or CPU work.</summary>
    public static PurityCache For(Compilation compilation) => ByCompilation.GetValue(compilation, static c => new PurityCache(c));

    public Compilation Compilation { get; }

    internal bool TryGetSummary(IMethodSymbol method, bool thisWritable, out bool pure)
        => _summaries.TryGetValue((method, thisWritable), out pure);

    internal void SetSummary(IMethodSymbol method, bool thisWritable, bool pure)
        => _summaries[(method, thisWritable)] = pure;

    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _cpuWork = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="CpuWork"/>: does a call to the source method run a loop (within the bounded depth)?</summary>
    internal bool TryGetCpuWork(IMethodSymbol method, out bool heavy)
    {
        var found = _cpuWork.TryGetValue(method, out var work);
        heavy = work is not null;
        return found;
    }

    internal void SetCpuWork(IMethodSymbol method, IOperation? work) => _cpuWork[method] = work;

    private readonly ConcurrentDictionary<IMethodSymbol, CallCost> _callCosts = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="CallCost"/>: what one call to the source method costs.</summary>
    internal bool TryGetCallCost(IMethodSymbol method, out CallCost cost) => _callCosts.TryGetValue(method, out cost);

    internal void SetCallCost(IMethodSymbol method, CallCost cost) => _callCosts[method] = cost;

    private readonly ConcurrentDictionary<IMethodSymbol, bool> _staticReads = new(SymbolEqualityComparer.Default);

    /// <summary>Memo of <see cref="SharedStatics"/>: does a call to the source method read mutable static state?</summary>
    internal bool TryGetStaticReads(IMethodSymbol method, out bool reads) => _staticReads.TryGetValue(method, out reads);

    internal void SetStaticReads(IMethodSymbol method, bool reads) => _staticReads[method] = reads;

    internal SemanticModel? GetModel(SyntaxTree tree)
    {
        if (!Compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

#pragma warning disable RS1030 // Callee bodies live in other trees; the model is created once per tree and cached for the compilation.
        return _models.GetOrAdd(tree, t => Compilation.GetSemanticModel(t));
#pragma warning restore RS1030
    }

    private sealed class SummaryKeyComparer : IEqualityComparer<(IMethodSymbol Method, bool ThisWritable)>
    {
        public static readonly SummaryKeyComparer Instance = new();

        public bool Equals((IMethodSymbol Method, bool ThisWritable) x, (IMethodSymbol Method, bool ThisWritable) y)
            => x.ThisWritable == y.ThisWritable && SymbolEqualityComparer.Default.Equals(x.Method, y.Method);

        public int GetHashCode((IMethodSymbol Method, bool ThisWritable) obj)
            => (SymbolEqualityComparer.Default.GetHashCode(obj.Method) * 397) ^ (obj.ThisWritable ? 1 : 0);
    }
}

/// <summary>
/// Side-effect analysis shared by the rule families: can a piece of code run on another thread, at the same
/// time as other copies of itself, without anyone noticing?
/// <para>
/// Code is <em>independent</em> when it writes only state it owns — locals and lambda parameters declared
/// inside it, by-value parameters, elements and members of objects it created itself — and every call it
/// makes is pure: a member of a known side-effect-free BCL type (<c>Math</c>, <c>MathF</c>,
/// <c>BitOperations</c>, primitive types, <c>string</c>, read-only members of the BCL collections,
/// <c>Enumerable</c> …), or a non-virtual source method of the same compilation whose body, summarized up to
/// <see cref="MaxCallDepth"/> calls deep with a cycle guard, is independent in the same sense.
/// Everything else — field, static, captured-variable and array-element writes, delegate invocations, locks,
/// events, dynamic, unknown calls — makes the code impure. The walks are iterative; only the call summary
/// recurses, and that is bounded by <see cref="MaxCallDepth"/>.
/// </para>
/// </summary>
public static class Purity
{
    /// <summary>How many source calls deep a summary looks before it gives up (and answers "impure").</summary>
    public const int MaxCallDepth = 3;

    /// <summary>
    /// True when <paramref name="body"/> (a lambda, local function, block or expression) writes nothing it does
    /// not own, makes only pure calls, and reads none of <paramref name="forbiddenReads"/>.
    /// </summary>
    public static bool IsIndependent(IOperation body, PurityCache cache, IReadOnlyCollection<ISymbol>? forbiddenReads, CancellationToken cancellationToken)
    {
        if (body?.Syntax is null)
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads, cancellationToken);
        return walker.IsIndependent(body, new Frame(body.Syntax, thisWritable: false, ownParameters: null, depth: 0));
    }

    /// <summary>
    /// Like <see cref="IsIndependent(IOperation, PurityCache, IReadOnlyCollection{ISymbol}?, CancellationToken)"/>, but the
    /// locals and parameters the code may write are those declared anywhere inside <paramref name="ownerRoot"/> (for
    /// example the whole method or lambda that holds a critical section), not only inside <paramref name="body"/>.
    /// </summary>
    public static bool IsIndependent(IOperation body, SyntaxNode ownerRoot, PurityCache cache, CancellationToken cancellationToken)
    {
        if (body?.Syntax is null || ownerRoot is null || ownerRoot.SyntaxTree != body.Syntax.SyntaxTree || !ownerRoot.Span.Contains(body.Syntax.Span))
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads: null, cancellationToken);
        return walker.IsIndependent(body, new Frame(ownerRoot, thisWritable: false, ownParameters: null, depth: 0));
    }

    /// <summary>True when a call to <paramref name="method"/> has no observable side effect (known BCL list or source summary).</summary>
    public static bool IsPureMethod(IMethodSymbol method, PurityCache cache, CancellationToken cancellationToken)
    {
        if (method is null)
        {
            return false;
        }

        var walker = new Walker(cache, forbiddenReads: null, cancellationToken);
        return walker.IsPureCall(method, receiverIsOwned: false, depth: 0);
    }

    /// <summary>Members of BCL types that have no observable side effects (they may read global state such as the culture).</summary>
    public static bool IsKnownPureMember(ISymbol member)
    {
        var type = member?.ContainingType?.OriginalDefinition;
        if (member is null || type is null || member is IMethodSymbol { MethodKind: MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise })
        {
            return false;
        }

        if (IsPureValueType(type))
        {
            return true;
        }

        if (type.SpecialType == SpecialType.System_Array)
        {
            return member.Name is "GetLength" or "GetLongLength" or "GetLowerBound" or "GetUpperBound" or "get_Length" or "get_LongLength" or "get_Rank" or "Length" or "LongLength" or "Rank";
        }

        if (member.IsStatic && IsPureStaticFunction(type, member.Name))
        {
            return true;
        }

        if (IsReadOnlyCollectionType(type))
        {
            return member.Name is "get_Count" or "get_Length" or "get_Item" or "get_IsEmpty" or "get_IsDefaultOrEmpty" or "get_Keys" or "get_Values"
                or "Count" or "Length" or "Item" or "IsEmpty" or "Keys" or "Values"
                or "Contains" or "ContainsKey" or "ContainsValue" or "TryGetValue" or "IndexOf" or "LastIndexOf" or "ToArray" or "Slice" or "GetValueOrDefault";
        }

        return false;
    }

    /// <summary>Static BCL functions of their arguments only: one-shot hashing, encoding and text helpers.</summary>
    private static bool IsPureStaticFunction(INamedTypeSymbol type, string name)
        => FullName(type) switch
        {
            "System.Security.Cryptography.SHA1" or "System.Security.Cryptography.SHA256" or "System.Security.Cryptography.SHA384"
                or "System.Security.Cryptography.SHA512" or "System.Security.Cryptography.MD5"
                or "System.Security.Cryptography.HMACSHA256" or "System.Security.Cryptography.HMACSHA512" => name is "HashData" or "TryHashData",
            "System.Convert" => name is "ToBase64String" or "FromBase64String" or "ToHexString" or "FromHexString",
            "System.Text.RegularExpressions.Regex" => name is "IsMatch" or "Escape" or "Unescape",
            _ => false,
        };

    /// <summary>Types every member of which (apart from setters) is side-effect free.</summary>
    private static bool IsPureValueType(INamedTypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_String:
            case SpecialType.System_IntPtr:
            case SpecialType.System_UIntPtr:
            case SpecialType.System_DateTime:
            case SpecialType.System_Nullable_T:
                return true;
        }

        var name = FullName(type);
        return name is "System.Math" or "System.MathF" or "System.Numerics.BitOperations" or "System.Half" or "System.Int128" or "System.UInt128"
            or "System.TimeSpan" or "System.DateTimeOffset" or "System.DateOnly" or "System.TimeOnly" or "System.Guid" or "System.Index" or "System.Range"
            or "System.BitConverter" or "System.HashCode" or "System.Numerics.BigInteger" or "System.Numerics.Complex"
            or "System.Numerics.Vector" or "System.Numerics.Vector`1" or "System.Numerics.Vector2" or "System.Numerics.Vector3" or "System.Numerics.Vector4"
            or "System.Buffers.Binary.BinaryPrimitives" or "System.Collections.Generic.KeyValuePair`2" or "System.Linq.Enumerable"
            || name.StartsWith("System.ValueTuple", System.StringComparison.Ordinal)
            || name.StartsWith("System.Tuple", System.StringComparison.Ordinal);
    }

    private static bool IsReadOnlyCollectionType(INamedTypeSymbol type)
        => FullName(type) is "System.Array" or "System.Collections.Generic.List`1" or "System.Collections.Generic.Dictionary`2"
            or "System.Collections.Generic.HashSet`1" or "System.Collections.Immutable.ImmutableArray`1" or "System.Span`1"
            or "System.ReadOnlySpan`1" or "System.Memory`1" or "System.ReadOnlyMemory`1" or "System.Text.StringBuilder";

    /// <summary>Collection types whose instances, when created by the code itself, may be freely mutated by it.</summary>
    private static bool IsOwnableCollectionType(ITypeSymbol? type)
        => type?.OriginalDefinition is INamedTypeSymbol named
           && FullName(named) is "System.Collections.Generic.List`1" or "System.Collections.Generic.Dictionary`2" or "System.Collections.Generic.HashSet`1"
               or "System.Collections.Generic.Queue`1" or "System.Collections.Generic.Stack`1" or "System.Collections.Generic.SortedDictionary`2"
               or "System.Collections.Generic.SortedSet`1" or "System.Text.StringBuilder";

    private static string FullName(INamedTypeSymbol type)
    {
        var ns = type.ContainingNamespace;
        var prefix = ns is null || ns.IsGlobalNamespace ? string.Empty : ns.ToDisplayString() + ".";
        return type.ContainingType is null ? prefix + type.MetadataName : FullName(type.ContainingType) + "+" + type.MetadataName;
    }

    private sealed class Frame
    {
        public Frame(SyntaxNode root, bool thisWritable, IMethodSymbol? ownParameters, int depth)
        {
            Root = root;
            ThisWritable = thisWritable;
            OwnParameters = ownParameters;
            Depth = depth;
        }

        /// <summary>Symbols declared inside this syntax are owned by the code under analysis.</summary>
        public SyntaxNode Root { get; }

        /// <summary>True inside a constructor (or a method called on an object the caller owns): <c>this.x = …</c> is allowed.</summary>
        public bool ThisWritable { get; }

        /// <summary>The method whose by-value parameters may be written.</summary>
        public IMethodSymbol? OwnParameters { get; }

        public int Depth { get; }

        /// <summary>Locals that only ever hold objects created in this code (arrays, collections).</summary>
        public HashSet<ILocalSymbol> Fresh { get; } = new(SymbolEqualityComparer.Default);
    }

    private sealed class Walker
    {
        private readonly PurityCache _cache;
        private readonly IReadOnlyCollection<ISymbol>? _forbidden;
        private readonly CancellationToken _cancellationToken;
        private readonly HashSet<IMethodSymbol> _inProgress = new(SymbolEqualityComparer.Default);

        /// <summary>Set when a result depended on the depth bound or a cycle assumption; such results are not cached.</summary>
        private bool _assumed;

        public Walker(PurityCache cache, IReadOnlyCollection<ISymbol>? forbiddenReads, CancellationToken cancellationToken)
        {
            _cache = cache;
            _forbidden = forbiddenReads is { Count: > 0 } ? forbiddenReads : null;
            _cancellationToken = cancellationToken;
        }

        public bool IsIndependent(IOperation body, Frame frame)
        {
            CollectFreshLocals(body, frame);
            foreach (var operation in body.DescendantsAndSelf())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                if (!IsAllowed(operation, frame))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsAllowed(IOperation operation, Frame frame)
        {
            switch (operation)
            {
                case IInvalidOperation:
                case ITypeParameterObjectCreationOperation:
                case IDynamicInvocationOperation:
                case IDynamicMemberReferenceOperation:
                case IDynamicIndexerAccessOperation:
                case IDynamicObjectCreationOperation:
                case IFunctionPointerInvocationOperation:
                case IEventAssignmentOperation:
                case IRaiseEventOperation:
                case ILockOperation:
                case IUsingOperation:
                case IUsingDeclarationOperation:
                case IAddressOfOperation:
                case IAwaitOperation:
                    return false;

                case IAnonymousFunctionOperation lambda:
                    return !lambda.Symbol.IsAsync;

                case ILocalFunctionOperation localFunction:
                    return !localFunction.Symbol.IsAsync;

                case IForEachLoopOperation forEach:
                    return !forEach.IsAsynchronous && IsPureEnumeration(forEach.Collection);

                case ISimpleAssignmentOperation assignment:
                    return !assignment.IsRef && IsOwnedTarget(assignment.Target, frame);

                case ICompoundAssignmentOperation compound:
                    return IsOwnedTarget(compound.Target, frame) && (compound.OperatorMethod is null || IsPureCall(compound.OperatorMethod, false, frame.Depth));

                case ICoalesceAssignmentOperation coalesce:
                    return IsOwnedTarget(coalesce.Target, frame);

                case IDeconstructionAssignmentOperation deconstruction:
                    return IsOwnedTarget(deconstruction.Target, frame);

                case IIncrementOrDecrementOperation increment:
                    return IsOwnedTarget(increment.Target, frame) && (increment.OperatorMethod is null || IsPureCall(increment.OperatorMethod, false, frame.Depth));

                case IArgumentOperation { Parameter: { RefKind: RefKind.Ref or RefKind.Out } } argument:
                    return IsOwnedTarget(argument.Value, frame);

                case IInvocationOperation invocation:
                    return IsPureInvocation(invocation, frame);

                case IObjectCreationOperation creation:
                    return creation.Constructor is null ? creation.Type is { IsValueType: true } : IsPureConstructor(creation.Constructor, frame.Depth);

                case IPropertyReferenceOperation property:
                    if (IsForbidden(property.Property))
                    {
                        return false;
                    }

                    // Writes are checked at the assignment; here only the getter runs.
                    return IsWriteTarget(property) || property.Property.GetMethod is not { } getter || IsPureCall(getter, IsOwnedStorage(property.Instance, frame), frame.Depth);

                case IMethodReferenceOperation methodReference:
                    // A method group handed to someone else may be invoked: it must be pure itself.
                    return IsPureCall(methodReference.Method, false, frame.Depth);

                case IUnaryOperation { OperatorMethod: { } unaryOperator }:
                    return IsPureCall(unaryOperator, false, frame.Depth);

                case IBinaryOperation { OperatorMethod: { } binaryOperator }:
                    return IsPureCall(binaryOperator, false, frame.Depth);

                case IConversionOperation { OperatorMethod: { } conversionOperator }:
                    return IsPureCall(conversionOperator, false, frame.Depth);

                case ILocalReferenceOperation local:
                    return !IsForbidden(local.Local);

                case IParameterReferenceOperation parameter:
                    return !IsForbidden(parameter.Parameter);

                case IFieldReferenceOperation field:
                    return !IsForbidden(field.Field);

                default:
                    return true;
            }
        }

        private bool IsForbidden(ISymbol symbol)
        {
            if (_forbidden is null)
            {
                return false;
            }

            foreach (var forbidden in _forbidden)
            {
                if (SymbolEqualityComparer.Default.Equals(forbidden, symbol) || SymbolEqualityComparer.Default.Equals(forbidden, symbol.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsWriteTarget(IOperation operation)
            => operation.Parent switch
            {
                IAssignmentOperation assignment => assignment.Target == operation,
                IIncrementOrDecrementOperation increment => increment.Target == operation,
                _ => false,
            };

        /// <summary>foreach over an array, a string or a BCL collection: its enumerator has no side effects.</summary>
        private static bool IsPureEnumeration(IOperation collection)
        {
            while (collection is IConversionOperation { IsImplicit: true } conversion)
            {
                collection = conversion.Operand;
            }

            return collection.Type switch
            {
                IArrayTypeSymbol => true,
                INamedTypeSymbol named => named.SpecialType == SpecialType.System_String
                                          || (!IsInSource(named) && named.TypeKind != TypeKind.Interface && named.ContainingNamespace?.ToDisplayString() is { } ns
                                              && (ns.StartsWith("System.Collections", System.StringComparison.Ordinal) || ns == "System")),
                _ => false,
            };
        }

        private bool IsPureInvocation(IInvocationOperation invocation, Frame frame)
        {
            var method = invocation.TargetMethod;
            if (method.MethodKind == MethodKind.DelegateInvoke)
            {
                return false;
            }

            if (method.MethodKind == MethodKind.LocalFunction)
            {
                // A local function declared inside the code under analysis is walked as part of it.
                return IsDeclaredWithin(method, frame.Root);
            }

            var owned = IsOwnedStorage(invocation.Instance, frame);
            if (owned && IsOwnableCollectionType(invocation.Instance!.Type))
            {
                // Mutating a collection this code created itself is invisible to anyone else.
                return true;
            }

            if (method.MethodKind == MethodKind.Constructor && invocation.Instance is IInstanceReferenceOperation)
            {
                // this(...) / base(...) constructor initializer.
                return IsPureConstructor(method, frame.Depth);
            }

            if (method.ContainingType is { Name: "Enumerable" } && !HasOnlyBclSequences(invocation))
            {
                // LINQ over a source-defined sequence runs its (unchecked) enumerator.
                return false;
            }

            return IsPureCall(method, owned, frame.Depth);
        }

        private static bool HasOnlyBclSequences(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                var value = argument.Value;
                while (value is IConversionOperation { IsImplicit: true } conversion)
                {
                    value = conversion.Operand;
                }

                if (value.Type is INamedTypeSymbol { TypeKind: not TypeKind.Delegate } type && IsInSource(type))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsPureConstructor(IMethodSymbol constructor, int depth)
        {
            var type = constructor.ContainingType;
            if (type is null)
            {
                return false;
            }

            if (type.SpecialType == SpecialType.System_Object || IsKnownPureMember(constructor) || IsOwnableCollectionType(type))
            {
                return true;
            }

            if (!IsInSource(type))
            {
                // BCL exceptions only capture their arguments.
                for (var current = type; current is not null; current = current.BaseType)
                {
                    if (FullName(current) == "System.Exception")
                    {
                        return true;
                    }
                }

                return false;
            }

            return IsPureCall(constructor, receiverIsOwned: true, depth);
        }

        /// <summary>The summary of a call. <paramref name="receiverIsOwned"/>: writes to <c>this</c> are writes to the caller's own object.</summary>
        public bool IsPureCall(IMethodSymbol method, bool receiverIsOwned, int depth)
        {
            if (IsKnownPureMember(method))
            {
                return true;
            }

            if (IsForbidden(method) || (method.AssociatedSymbol is { } associated && IsForbidden(associated)))
            {
                return false;
            }

            var definition = (method.PartialImplementationPart ?? method).OriginalDefinition;
            if (definition.MethodKind is MethodKind.Constructor && definition.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                return true;
            }

            if (!IsInSource(definition) || definition.IsAsync || definition.IsExtern || definition.IsAbstract
                || definition.ContainingType is null || definition.ContainingType.TypeKind == TypeKind.Interface
                || ((definition.IsVirtual || definition.IsOverride) && !definition.IsSealed && !definition.ContainingType.IsSealed && !definition.ContainingType.IsValueType))
            {
                return false;
            }

            foreach (var parameter in definition.Parameters)
            {
                if (parameter.RefKind is RefKind.Ref or RefKind.Out)
                {
                    return false;
                }
            }

            var thisWritable = receiverIsOwned || definition.MethodKind == MethodKind.Constructor;
            if (_cache.TryGetSummary(definition, thisWritable, out var cached))
            {
                return cached;
            }

            if (_inProgress.Contains(definition))
            {
                // Recursion adds no effect of its own: assume pure, but do not cache what depends on it.
                _assumed = true;
                return true;
            }

            if (depth + 1 > MaxCallDepth)
            {
                _assumed = true;
                return false;
            }

            var outerAssumed = _assumed;
            _assumed = false;
            _inProgress.Add(definition);
            bool pure;
            try
            {
                pure = SummarizeBody(definition, thisWritable, depth + 1);
            }
            finally
            {
                _inProgress.Remove(definition);
            }

            if (!_assumed)
            {
                _cache.SetSummary(definition, thisWritable, pure);
            }

            _assumed |= outerAssumed;
            return pure;
        }

        private bool SummarizeBody(IMethodSymbol method, bool thisWritable, int depth)
        {
            var references = method.DeclaringSyntaxReferences;
            if (references.Length == 0)
            {
                // An implicit constructor: only the field initializers and the base constructor run.
                return method.MethodKind == MethodKind.Constructor && AreInstanceInitializersPure(method.ContainingType, depth)
                       && (method.ContainingType.BaseType is not { } baseType || baseType.SpecialType == SpecialType.System_Object
                           || method.ContainingType.IsValueType || IsParameterlessConstructorPure(baseType, depth));
            }

            if (references.Length != 1)
            {
                return false;
            }

            var syntax = references[0].GetSyntax(_cancellationToken);
            var model = _cache.GetModel(syntax.SyntaxTree);
            if (model is null)
            {
                return false;
            }

            IOperation? body = model.GetOperation(syntax, _cancellationToken);
            if (body is null)
            {
                // Auto-accessors: a getter reads the backing field, a setter writes this.
                if (syntax is Microsoft.CodeAnalysis.CSharp.Syntax.AccessorDeclarationSyntax { Body: null, ExpressionBody: null })
                {
                    return method.MethodKind == MethodKind.PropertyGet || thisWritable;
                }

                return false;
            }

            var frame = new Frame(syntax, thisWritable, method, depth);
            if (!IsIndependent(body, frame))
            {
                return false;
            }

            return method.MethodKind != MethodKind.Constructor || method.IsStatic || AreInstanceInitializersPure(method.ContainingType, depth);
        }

        private bool IsParameterlessConstructorPure(INamedTypeSymbol type, int depth)
        {
            foreach (var constructor in type.InstanceConstructors)
            {
                if (constructor.Parameters.Length == 0)
                {
                    return IsPureConstructor(constructor, depth);
                }
            }

            return false;
        }

        private bool AreInstanceInitializersPure(INamedTypeSymbol type, int depth)
        {
            foreach (var member in type.GetMembers())
            {
                if (member.IsStatic || member is not (IFieldSymbol or IPropertySymbol))
                {
                    continue;
                }

                foreach (var reference in member.DeclaringSyntaxReferences)
                {
                    var syntax = reference.GetSyntax(_cancellationToken);
                    SyntaxNode? initializer = syntax switch
                    {
                        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax declarator => declarator.Initializer,
                        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Initializer,
                        _ => null,
                    };

                    if (initializer is null)
                    {
                        continue;
                    }

                    var model = _cache.GetModel(initializer.SyntaxTree);
                    if (model?.GetOperation(initializer, _cancellationToken) is not { } operation
                        || !IsIndependent(operation, new Frame(initializer, thisWritable: true, ownParameters: null, depth)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Can this write target be written without anyone outside noticing?</summary>
        private bool IsOwnedTarget(IOperation target, Frame frame)
        {
            switch (target)
            {
                case IDiscardOperation:
                case IDeclarationExpressionOperation:
                    return true;

                case ITupleOperation tuple:
                    foreach (var element in tuple.Elements)
                    {
                        if (!IsOwnedTarget(element, frame))
                        {
                            return false;
                        }
                    }

                    return true;

                case ILocalReferenceOperation local:
                    return !local.Local.IsRef && IsDeclaredWithin(local.Local, frame.Root);

                case IParameterReferenceOperation parameter:
                    return parameter.Parameter.RefKind == RefKind.None
                           && (IsDeclaredWithin(parameter.Parameter, frame.Root)
                               || SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, frame.OwnParameters));

                case IFieldReferenceOperation field:
                    return !field.Field.IsStatic && IsOwnedStorage(field.Instance, frame, valueOnly: false);

                case IArrayElementReferenceOperation element:
                    return IsFreshLocal(element.ArrayReference, frame);

                case IPropertyReferenceOperation property:
                    // Object initializers on a new object, indexers of collections created here, auto-properties of owned objects.
                    if (property.Property.IsStatic || !IsOwnedStorage(property.Instance, frame, valueOnly: false))
                    {
                        return false;
                    }

                    return IsOwnableCollectionType(property.Instance!.Type)
                           || (property.Property.SetMethod is { } setter
                               ? IsPureCall(setter, receiverIsOwned: true, frame.Depth)
                               : property.Instance is IInstanceReferenceOperation && frame.ThisWritable); // get-only auto-property set in a constructor

                default:
                    return false;
            }
        }

        private bool IsOwnedStorage(IOperation? instance, Frame frame) => IsOwnedStorage(instance, frame, valueOnly: false);

        /// <summary>An object (or struct storage) that belongs to the code under analysis.</summary>
        private bool IsOwnedStorage(IOperation? instance, Frame frame, bool valueOnly)
        {
            switch (instance)
            {
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                    // The object being initialized by an object or collection initializer.
                    return true;

                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return frame.ThisWritable;

                case ILocalReferenceOperation local when !local.Local.IsRef && IsDeclaredWithin(local.Local, frame.Root):
                    return local.Local.Type is { IsValueType: true } || (!valueOnly && frame.Fresh.Contains(local.Local));

                case IFieldReferenceOperation field when field.Field.Type is { IsValueType: true } && !field.Field.IsStatic:
                    return IsOwnedStorage(field.Instance, frame, valueOnly: true);

                default:
                    return false;
            }
        }

        private static bool IsFreshLocal(IOperation reference, Frame frame)
            => reference is ILocalReferenceOperation local && !local.Local.IsRef && frame.Fresh.Contains(local.Local) && IsDeclaredWithin(local.Local, frame.Root);

        /// <summary>Locals whose every assignment is a new array or a new collection created right there.</summary>
        private static void CollectFreshLocals(IOperation body, Frame frame)
        {
            var candidates = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            var spoiled = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in body.DescendantsAndSelf())
            {
                ILocalSymbol? local = null;
                IOperation? value = null;
                switch (operation)
                {
                    case IVariableDeclaratorOperation declarator:
                        local = declarator.Symbol;
                        value = declarator.GetVariableInitializer()?.Value;
                        if (value is null)
                        {
                            continue;
                        }

                        break;
                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment:
                        local = target.Local;
                        value = assignment.Value;
                        break;
                    case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation passed }:
                        spoiled.Add(passed.Local);
                        continue;
                    case IDeconstructionAssignmentOperation or ICompoundAssignmentOperation or ICoalesceAssignmentOperation:
                        foreach (var reference in operation.DescendantsAndSelf())
                        {
                            if (reference is ILocalReferenceOperation written)
                            {
                                spoiled.Add(written.Local);
                            }
                        }

                        continue;
                    default:
                        continue;
                }

                while (value is IConversionOperation { IsImplicit: true } conversion)
                {
                    value = conversion.Operand;
                }

                if (value is IArrayCreationOperation || (value is IObjectCreationOperation creation && IsOwnableCollectionType(creation.Type)))
                {
                    candidates.Add(local);
                }
                else
                {
                    spoiled.Add(local);
                }
            }

            foreach (var candidate in candidates)
            {
                if (!spoiled.Contains(candidate))
                {
                    frame.Fresh.Add(candidate);
                }
            }
        }
    }

    /// <summary>True when <paramref name="symbol"/> is declared inside <paramref name="root"/> (same tree, inside its span).</summary>
    public static bool IsDeclaredWithin(ISymbol symbol, SyntaxNode root)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == root.SyntaxTree && root.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
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
