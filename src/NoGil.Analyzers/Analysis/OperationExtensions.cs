using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NoGil.Analyzers.Analysis;

internal static class OperationExtensions
{
    /// <summary>The operation under its implicit conversions (and parentheses): what was written.</summary>
    public static IOperation UnwrapConversions(this IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion || operation is IParenthesizedOperation)
        {
            operation = operation is IConversionOperation c ? c.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary><see cref="UnwrapConversions(IOperation)"/> of an operation that may be missing.</summary>
    public static IOperation? UnwrapConversionsOrNull(this IOperation? operation) => operation?.UnwrapConversions();
}
