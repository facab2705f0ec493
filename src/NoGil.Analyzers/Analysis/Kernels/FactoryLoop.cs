using NoGil.Analyzers.Analysis.Loops;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>
/// A loop of a static factory of its own type that fills arrays the factory created: the method is static, ordinary and
/// returns the type that declares it (<c>static CubicSpline InterpolateAkimaSorted(double[] x, double[] y)</c>), the
/// loop sits in its body (not in a lambda or local function), writes at least one element, writes only elements of
/// arrays the method created itself and folds nothing into an outer variable. Such a loop computes the state of the new
/// instance — spline coefficients, divided differences, a tridiagonal system — which is a constructor's work written in
/// a factory; the kernel rules leave constructors alone (<see cref="ParallelLoop.IsInConstructor"/>) and leave these
/// too. Not a factory loop: one that reduces its input (a maximum-likelihood fit that returns <c>new Weibull(c, b)</c>),
/// one that writes into a caller's array, and one in a method that takes an instance of its own type
/// (<c>static Vec Add(Vec a, Vec b)</c>: an operation on instances, as an operator is, not the construction of one).
/// </summary>
public static class FactoryLoop
{
    /// <summary>The factory method around <paramref name="model"/>'s loop when the loop fills its new instance's arrays (see the type); else null.</summary>
    public static IMethodSymbol? Find(LoopModel model)
    {
        if (!model.Reductions.IsEmpty || model.Accesses.IsEmpty || FactoryOf(model.Loop) is not { } factory)
        {
            return null;
        }

        var arrays = MethodArrays.Around(model.Loop);
        var writes = 0;
        foreach (var access in model.Accesses)
        {
            if (access.Kind == ElementAccessKind.Read)
            {
                continue;
            }

            if (access.IsSpan || access.Base is null || !arrays.IsCreatedHere(access.Base))
            {
                return null;
            }

            writes++;
        }

        return writes == 0 ? null : factory;
    }

    /// <summary>
    /// The static method whose body (not a lambda or local function in it) holds <paramref name="loop"/>, when it returns
    /// its own type and takes no instance of it; else null.
    /// </summary>
    private static IMethodSymbol? FactoryOf(ILoopOperation loop)
    {
        for (var current = loop.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
                case IMethodBodyOperation body:
                    return loop.SemanticModel?.GetDeclaredSymbol(body.Syntax) is IMethodSymbol
                    {
                        IsStatic: true, MethodKind: MethodKind.Ordinary, ReturnType: INamedTypeSymbol returned, ContainingType: { } type,
                    } method
                        && SymbolEqualityComparer.Default.Equals(returned.OriginalDefinition, type.OriginalDefinition)
                        && !method.Parameters.Any(p => p.Type is INamedTypeSymbol parameterType && SymbolEqualityComparer.Default.Equals(parameterType.OriginalDefinition, type.OriginalDefinition))
                        ? method
                        : null;
            }
        }

        return null;
    }
}
