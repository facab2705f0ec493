using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using NoGil.Analyzers.Infrastructure;

namespace NoGil.Analyzers.Analysis.Blocking;

/// <summary>What the replacement call passes for the twin's trailing <see cref="System.Threading.CancellationToken"/> parameter.</summary>
public enum AsyncTwinTokenArgument
{
    /// <summary>No argument is added: the twin has no token parameter, or it is optional and nothing is in scope.</summary>
    None,

    /// <summary>A token in scope at the call site (<see cref="AsyncTwinCall.Token"/>) is forwarded.</summary>
    Forward,

    /// <summary>The twin requires a token and none can be forwarded: <c>CancellationToken.None</c> keeps the call uncancellable, as it was.</summary>
    CancellationTokenNone,
}

/// <summary>
/// A thread-blocking call inside an async function that has an awaitable twin: <c>Thread.Sleep</c> (twin
/// <c>Task.Delay</c>) or a method <c>M</c> with an accessible <c>MAsync</c> of the same shape. Both the analyzer
/// and the code fix build it from the invocation, so they always agree on the twin and on the token passed.
/// </summary>
public sealed class AsyncTwinCall
{
    private static readonly string[] PreferredTokenNames = { "cancellationToken", "ct", "token" };

    private AsyncTwinCall(IInvocationOperation invocation, IMethodSymbol twin, bool isSleep, AsyncTwinTokenArgument tokenArgument, ISymbol? token)
    {
        Invocation = invocation;
        Twin = twin;
        IsSleep = isSleep;
        TokenArgument = tokenArgument;
        Token = token;
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>The blocking method.</summary>
    public IMethodSymbol Method => Invocation.TargetMethod;

    /// <summary>The awaitable method that replaces it (<c>Task.Delay</c> for <c>Thread.Sleep</c>).</summary>
    public IMethodSymbol Twin { get; }

    /// <summary>True for <c>Thread.Sleep</c>, whose twin is <c>Task.Delay</c> on another type.</summary>
    public bool IsSleep { get; }

    public AsyncTwinTokenArgument TokenArgument { get; }

    /// <summary>The local or parameter forwarded as the twin's token, when <see cref="TokenArgument"/> is <see cref="AsyncTwinTokenArgument.Forward"/>.</summary>
    public ISymbol? Token { get; }

    /// <summary>The twin's trailing token parameter, when an argument is added for it.</summary>
    public IParameterSymbol? TokenParameter => TokenArgument == AsyncTwinTokenArgument.None ? null : Twin.Parameters[Twin.Parameters.Length - 1];

    /// <summary>
    /// True when an added token argument must be named: the call names an argument or leaves an optional one out,
    /// so a positional argument would not land on the token parameter.
    /// </summary>
    public bool TokenArgumentNeedsName
        => Invocation.Arguments.Any(a => a.ArgumentKind != ArgumentKind.Explicit || a.Syntax is ArgumentSyntax { NameColon: not null });

    /// <summary>Message text for the blocking call, e.g. <c>File.ReadAllText</c>.</summary>
    public string BlockingDisplayText => Method.ContainingType.Name + "." + Method.Name;

    /// <summary>Message text for the twin, e.g. <c>File.ReadAllTextAsync</c>.</summary>
    public string TwinDisplayText => Twin.ContainingType.Name + "." + Twin.Name;

    /// <summary>
    /// Recognizes a thread-blocking call with an awaitable twin in an async function, or returns null.
    /// <paramref name="owningSymbol"/> is the member whose body contains the invocation.
    /// </summary>
    public static AsyncTwinCall? TryCreate(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method is null
            || types.Task is null
            || method.MethodKind != MethodKind.Ordinary
            || method.IsExtensionMethod
            || method.ReturnsByRef
            || method.ReturnsByRefReadonly
            || method.ContainingType is not { } containingType
            || method.Name == "Dispose"
            || invocation.Syntax is not InvocationExpressionSyntax)
        {
            return null;
        }

        if (EnclosingFunction(invocation, owningSymbol, cancellationToken) is not { IsAsync: true })
        {
            return null;
        }

        if (IsOwnedByAnotherRule(containingType, types) || IsNonBlockingReceiver(invocation.Instance, types))
        {
            return null;
        }

        if (KnownTypes.Is(containingType, types.Thread))
        {
            return method.Name == "Sleep" ? TryCreateSleep(invocation, types, owningSymbol, cancellationToken) : null;
        }

        if (types.IsTaskLike(method.ReturnType) || types.IsConfiguredAwaitable(method.ReturnType))
        {
            // Already asynchronous: not a blocking call.
            return null;
        }

        IMethodSymbol? exact = null;
        IMethodSymbol? withToken = null;
        foreach (var candidate in Candidates(invocation, method.Name + "Async"))
        {
            if (candidate.IsStatic != method.IsStatic || candidate.MethodKind != MethodKind.Ordinary || candidate.Arity != method.Arity
                || (candidate.Arity == 0 ? candidate : TryConstruct(candidate, method.TypeArguments)) is not { } twin)
            {
                continue;
            }

            var match = MatchParameters(method, twin, types);
            if (match == ParameterMatch.None
                || !ReturnsAwaitableOf(twin, method.ReturnType, types)
                || IsObsolete(twin, types)
                || !IsAccessible(twin, invocation, owningSymbol, types)
                || !ArgumentsFit(invocation, twin))
            {
                continue;
            }

            switch (match)
            {
                case ParameterMatch.Exact:
                    exact ??= twin;
                    break;
                case ParameterMatch.TrailingToken:
                    withToken ??= twin;
                    break;
            }
        }

        if ((exact ?? withToken) is not { } found || IsSelfCall(found, invocation, owningSymbol, cancellationToken))
        {
            return null;
        }

        return Choose(invocation, exact, withToken, isSleep: false, types, owningSymbol, cancellationToken);
    }

    private static IMethodSymbol? TryConstruct(IMethodSymbol method, ImmutableArray<ITypeSymbol> typeArguments)
    {
        try
        {
            return method.Construct(typeArguments.ToArray());
        }
        catch (System.Exception ex) when (ex is System.ArgumentException or System.InvalidOperationException)
        {
            return null;
        }
    }

    private static AsyncTwinCall? TryCreateSleep(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || method.Parameters.Length != 1 || invocation.Arguments.Length != 1 || IsZeroDelay(invocation.Arguments[0].Value, types))
        {
            return null;
        }

        var delayType = method.Parameters[0].Type;
        IMethodSymbol? exact = null;
        IMethodSymbol? withToken = null;
        foreach (var delay in types.Task!.GetMembers("Delay").OfType<IMethodSymbol>())
        {
            if (!delay.IsStatic || delay.Parameters.Length == 0 || !SymbolEqualityComparer.Default.Equals(delay.Parameters[0].Type, delayType))
            {
                continue;
            }

            if (delay.Parameters.Length == 1)
            {
                exact ??= delay;
            }
            else if (delay.Parameters.Length == 2 && KnownTypes.Is(delay.Parameters[1].Type, types.CancellationToken))
            {
                withToken ??= delay;
            }
        }

        return exact is null && withToken is null ? null : Choose(invocation, exact, withToken, isSleep: true, types, owningSymbol, cancellationToken);
    }

    /// <summary>With a token in scope, the overload that takes it; otherwise the one without it (or the optional token left out).</summary>
    private static AsyncTwinCall Choose(IInvocationOperation invocation, IMethodSymbol? exact, IMethodSymbol? withToken, bool isSleep, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        if (withToken is not null)
        {
            if (FindTokenInScope(invocation, types, owningSymbol, cancellationToken) is { } token)
            {
                return new AsyncTwinCall(invocation, withToken, isSleep, AsyncTwinTokenArgument.Forward, token);
            }

            if (exact is null)
            {
                var tokenArgument = withToken.Parameters[withToken.Parameters.Length - 1].IsOptional
                    ? AsyncTwinTokenArgument.None
                    : AsyncTwinTokenArgument.CancellationTokenNone;
                return new AsyncTwinCall(invocation, withToken, isSleep, tokenArgument, null);
            }
        }

        return new AsyncTwinCall(invocation, exact!, isSleep, AsyncTwinTokenArgument.None, null);
    }

    /// <summary>The innermost method, local function or lambda whose body executes <paramref name="operation"/>.</summary>
    public static IMethodSymbol? EnclosingFunction(IOperation operation, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case INameOfOperation:
                    return null;
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return owningSymbol as IMethodSymbol;
    }

    /// <summary>Task members belong to NOGIL201/NOGIL204; console writes are not I/O worth awaiting; CancelAsync means something else.</summary>
    private static bool IsOwnedByAnotherRule(INamedTypeSymbol containingType, KnownTypes types)
        => types.IsTaskLike(containingType)
           || KnownTypes.Is(containingType.OriginalDefinition, types.TaskFactory)
           || KnownTypes.Is(containingType.OriginalDefinition, types.TaskFactoryOfT)
           || KnownTypes.Is(containingType, types.Console)
           || KnownTypes.InheritsFromOrEquals(containingType, types.CancellationTokenSource)
           || IsXmlReaderOrWriter(containingType, types);

    /// <summary>
    /// Receivers whose "I/O" never waits (in-memory streams, readers and writers, the <c>Null</c> ones), the console
    /// streams, and XML readers/writers, whose async methods throw unless the instance was created with <c>Async = true</c>.
    /// </summary>
    private static bool IsNonBlockingReceiver(IOperation? instance, KnownTypes types)
    {
        while (instance is IConversionOperation { IsImplicit: true } conversion)
        {
            instance = conversion.Operand;
        }

        if (instance is null)
        {
            return false;
        }

        var type = instance.Type;
        if (KnownTypes.InheritsFromOrEquals(type, types.MemoryStream)
            || KnownTypes.InheritsFromOrEquals(type, types.UnmanagedMemoryStream)
            || KnownTypes.InheritsFromOrEquals(type, types.StringReader)
            || KnownTypes.InheritsFromOrEquals(type, types.StringWriter)
            || IsXmlReaderOrWriter(type, types))
        {
            return true;
        }

        return instance switch
        {
            IPropertyReferenceOperation property => KnownTypes.Is(property.Property.ContainingType, types.Console),
            IInvocationOperation call => KnownTypes.Is(call.TargetMethod.ContainingType, types.Console),
            IFieldReferenceOperation { Field: { IsStatic: true, Name: "Null" } field } =>
                KnownTypes.InheritsFromOrEquals(field.ContainingType, types.Stream)
                || KnownTypes.InheritsFromOrEquals(field.ContainingType, types.TextReader)
                || KnownTypes.InheritsFromOrEquals(field.ContainingType, types.TextWriter),
            _ => false,
        };
    }

    private static bool IsXmlReaderOrWriter(ITypeSymbol? type, KnownTypes types)
        => KnownTypes.InheritsFromOrEquals(type, types.XmlReader) || KnownTypes.InheritsFromOrEquals(type, types.XmlWriter);

    private static bool IsZeroDelay(IOperation value, KnownTypes types)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value.ConstantValue is { HasValue: true, Value: int milliseconds })
        {
            return milliseconds == 0;
        }

        return value switch
        {
            IFieldReferenceOperation { Field: { IsStatic: true, Name: "Zero" } field } => KnownTypes.Is(field.ContainingType, types.TimeSpan),
            IDefaultValueOperation defaultValue => KnownTypes.Is(defaultValue.Type, types.TimeSpan),
            IObjectCreationOperation { Arguments.Length: 0, Initializer: null } creation => KnownTypes.Is(creation.Type, types.TimeSpan),
            _ => false,
        };
    }

    /// <summary>
    /// Methods named <paramref name="name"/> visible on the receiver: the static type's members for a static call,
    /// otherwise the receiver's type and its base types (an override hides the method it overrides).
    /// </summary>
    private static List<IMethodSymbol> Candidates(IInvocationOperation invocation, string name)
    {
        var method = invocation.TargetMethod;
        var start = method.ContainingType;
        if (!method.IsStatic
            && invocation.Instance?.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } receiverType
            && KnownTypes.InheritsFromOrEquals(receiverType, method.ContainingType.OriginalDefinition))
        {
            start = receiverType;
        }

        var found = new List<IMethodSymbol>();
        for (var type = start; type is not null; type = method.IsStatic ? null : type.BaseType)
        {
            AddMembers(type);
        }

        if (!method.IsStatic && start.TypeKind == TypeKind.Interface)
        {
            foreach (var baseInterface in start.AllInterfaces)
            {
                AddMembers(baseInterface);
            }
        }

        return found;

        void AddMembers(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol candidate && !found.Any(f => SameParameters(f, candidate)))
                {
                    found.Add(candidate);
                }
            }
        }
    }

    private static bool SameParameters(IMethodSymbol left, IMethodSymbol right)
    {
        if (left.Parameters.Length != right.Parameters.Length || left.Arity != right.Arity || left.IsStatic != right.IsStatic)
        {
            return false;
        }

        for (var i = 0; i < left.Parameters.Length; i++)
        {
            if (left.Parameters[i].RefKind != right.Parameters[i].RefKind
                || !SymbolEqualityComparer.Default.Equals(left.Parameters[i].Type.OriginalDefinition, right.Parameters[i].Type.OriginalDefinition))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>Task</c>/<c>ValueTask</c> for a void method; <c>Task&lt;R&gt;</c>/<c>ValueTask&lt;R&gt;</c> for a method returning <c>R</c>.</summary>
    private static bool ReturnsAwaitableOf(IMethodSymbol twin, ITypeSymbol resultType, KnownTypes types)
    {
        if (resultType.SpecialType == SpecialType.System_Void)
        {
            return KnownTypes.Is(twin.ReturnType, types.Task) || KnownTypes.Is(twin.ReturnType, types.ValueTask);
        }

        return twin.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } returnType
               && (KnownTypes.Is(returnType.OriginalDefinition, types.TaskOfT) || KnownTypes.Is(returnType.OriginalDefinition, types.ValueTaskOfT))
               && SymbolEqualityComparer.Default.Equals(returnType.TypeArguments[0], resultType);
    }

    private enum ParameterMatch
    {
        None,
        Exact,
        TrailingToken,
    }

    private static ParameterMatch MatchParameters(IMethodSymbol method, IMethodSymbol twin, KnownTypes types)
    {
        var count = method.Parameters.Length;
        if (twin.Parameters.Length != count && twin.Parameters.Length != count + 1)
        {
            return ParameterMatch.None;
        }

        for (var i = 0; i < count; i++)
        {
            var parameter = method.Parameters[i];
            var twinParameter = twin.Parameters[i];
            if (parameter.RefKind != twinParameter.RefKind
                || parameter.IsParams != twinParameter.IsParams
                || !SymbolEqualityComparer.Default.Equals(parameter.Type, twinParameter.Type))
            {
                return ParameterMatch.None;
            }
        }

        if (twin.Parameters.Length == count)
        {
            return ParameterMatch.Exact;
        }

        var last = twin.Parameters[count];
        return last.RefKind == RefKind.None && !last.IsParams && KnownTypes.Is(last.Type, types.CancellationToken)
            ? ParameterMatch.TrailingToken
            : ParameterMatch.None;
    }

    /// <summary>The call's arguments mean the same thing for the twin: same names, same omitted defaults, same params form.</summary>
    private static bool ArgumentsFit(IInvocationOperation invocation, IMethodSymbol twin)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || parameter.Ordinal >= twin.Parameters.Length)
            {
                return false;
            }

            var twinParameter = twin.Parameters[parameter.Ordinal];
            if (argument.Syntax is ArgumentSyntax { NameColon: { } nameColon } && nameColon.Name.Identifier.ValueText != twinParameter.Name)
            {
                return false;
            }

            if (argument.ArgumentKind == ArgumentKind.DefaultValue
                && !(twinParameter.HasExplicitDefaultValue && parameter.HasExplicitDefaultValue && Equals(twinParameter.ExplicitDefaultValue, parameter.ExplicitDefaultValue)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsObsolete(IMethodSymbol twin, KnownTypes types)
        => types.ObsoleteAttribute is not null
           && twin.GetAttributes().Any(a => KnownTypes.Is(a.AttributeClass, types.ObsoleteAttribute));

    private static bool IsAccessible(IMethodSymbol twin, IInvocationOperation invocation, ISymbol? owningSymbol, KnownTypes types)
    {
        ISymbol within = owningSymbol as INamedTypeSymbol ?? owningSymbol?.ContainingType ?? (ISymbol)types.Compilation.Assembly;
        var instance = invocation.Instance;
        var throughType = instance is null or IInstanceReferenceOperation ? null : instance.Type;
        try
        {
            return types.Compilation.IsSymbolAccessibleWithin(twin, within, throughType);
        }
        catch (System.ArgumentException)
        {
            // A symbol from another compilation (e.g. broken or speculative code): be conservative.
            return false;
        }
    }

    /// <summary>The twin is the async member being written, or another overload of it: calling it would recurse.</summary>
    private static bool IsSelfCall(IMethodSymbol twin, IInvocationOperation invocation, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (current is ILocalFunctionOperation { Symbol: { } local } && local.Name == twin.Name)
            {
                return true;
            }
        }

        if (owningSymbol is not IMethodSymbol member)
        {
            return false;
        }

        var memberName = member.Name;
        if (member.ExplicitInterfaceImplementations.Length > 0)
        {
            memberName = member.ExplicitInterfaceImplementations[0].Name;
        }

        if (memberName != twin.Name || member.ContainingType is not { } memberType)
        {
            return false;
        }

        var twinType = twin.ContainingType;
        return KnownTypes.InheritsFromOrEquals(memberType, twinType.OriginalDefinition)
               || KnownTypes.InheritsFromOrEquals(twinType, memberType.OriginalDefinition)
               || memberType.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, twinType.OriginalDefinition));
    }

    /// <summary>
    /// The one <see cref="System.Threading.CancellationToken"/> the call site can forward: a parameter of the enclosing
    /// functions, or an initialized local declared before the call. Several candidates: the one with a conventional
    /// name, if exactly one has it; otherwise none (ambiguous).
    /// </summary>
    private static ISymbol? FindTokenInScope(IInvocationOperation invocation, KnownTypes types, ISymbol? owningSymbol, CancellationToken cancellationToken)
    {
        if (types.CancellationToken is null)
        {
            return null;
        }

        var position = invocation.Syntax.SpanStart;
        var candidates = new List<ISymbol>();
        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (current)
            {
                case IBlockOperation block:
                    AddLocals(block.Locals);
                    break;
                case ILoopOperation loop:
                    AddLocals(loop.Locals);
                    break;
                case IUsingOperation usingOperation:
                    AddLocals(usingOperation.Locals);
                    break;
                case ISwitchCaseOperation switchCase:
                    AddLocals(switchCase.Locals);
                    break;
                case IAnonymousFunctionOperation lambda:
                    AddParameters(lambda.Symbol);
                    if (lambda.Syntax is AnonymousFunctionExpressionSyntax lambdaSyntax && lambdaSyntax.Modifiers.Any(SyntaxKind.StaticKeyword))
                    {
                        return Pick(candidates);
                    }

                    break;
                case ILocalFunctionOperation localFunction:
                    AddParameters(localFunction.Symbol);
                    if (localFunction.Syntax is LocalFunctionStatementSyntax localSyntax && localSyntax.Modifiers.Any(SyntaxKind.StaticKeyword))
                    {
                        return Pick(candidates);
                    }

                    break;
            }
        }

        if (owningSymbol is IMethodSymbol owner)
        {
            AddParameters(owner);
        }

        return Pick(candidates);

        void AddParameters(IMethodSymbol function)
        {
            foreach (var parameter in function.Parameters)
            {
                if (parameter.RefKind == RefKind.None && KnownTypes.Is(parameter.Type, types.CancellationToken))
                {
                    candidates.Add(parameter);
                }
            }
        }

        void AddLocals(ImmutableArray<ILocalSymbol> locals)
        {
            foreach (var local in locals)
            {
                if (KnownTypes.Is(local.Type, types.CancellationToken) && local.RefKind == RefKind.None && IsAssignedBefore(local, position))
                {
                    candidates.Add(local);
                }
            }
        }
    }

    /// <summary>Declared (with a value) entirely before <paramref name="position"/>.</summary>
    private static bool IsAssignedBefore(ILocalSymbol local, int position)
    {
        if (local.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var declaration = local.DeclaringSyntaxReferences[0].GetSyntax();
        switch (declaration)
        {
            case VariableDeclaratorSyntax { Initializer: not null } declarator:
                return declarator.Span.End <= position;
            case ForEachStatementSyntax forEach:
                return forEach.Statement.Span.Contains(position);
            case SingleVariableDesignationSyntax { Parent: DeclarationExpressionSyntax { Parent: ArgumentSyntax argument } }
                when argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword):
                return argument.Span.End <= position && argument.Parent?.Parent is { } call && call.Span.End <= position;
            default:
                return false;
        }
    }

    private static ISymbol? Pick(List<ISymbol> candidates)
    {
        if (candidates.Count == 1)
        {
            return candidates[0];
        }

        var preferred = candidates.Where(c => PreferredTokenNames.Contains(c.Name)).ToList();
        return preferred.Count == 1 ? preferred[0] : null;
    }
}
