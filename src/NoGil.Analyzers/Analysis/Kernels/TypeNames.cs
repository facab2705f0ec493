using System.Linq;
using Microsoft.CodeAnalysis;

namespace NoGil.Analyzers.Analysis.Kernels;

/// <summary>Can a fix write a type by its simple name at a position (<c>Vector&lt;T&gt;</c>, <c>TensorPrimitives</c>)?</summary>
public static class TypeNames
{
    /// <summary>
    /// True when <paramref name="name"/> already means something other than the expected types at <paramref name="position"/>
    /// — a type of the user's, a using alias — so that code written with the simple name would not bind to them.
    /// </summary>
    public static bool ConflictsWithName(SemanticModel model, int position, string name, params string[] metadataNames)
    {
        var expected = metadataNames.Select(model.Compilation.GetTypeByMetadataName).Where(t => t is not null).ToList();
        return model.LookupNamespacesAndTypes(position, name: name)
            .Any(symbol => !expected.Any(e => SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, e)));
    }

    /// <summary>True when <c>Vector&lt;T&gt;</c>/<c>Vector</c> cannot be written by their simple names at <paramref name="position"/>.</summary>
    public static bool VectorConflicts(SemanticModel model, int position)
        => ConflictsWithName(model, position, "Vector", "System.Numerics.Vector`1", "System.Numerics.Vector");

    /// <summary>True when <c>TensorPrimitives</c> cannot be written by its simple name at <paramref name="position"/>.</summary>
    public static bool TensorPrimitivesConflicts(SemanticModel model, int position)
        => ConflictsWithName(model, position, "TensorPrimitives", "System.Numerics.Tensors.TensorPrimitives");
}
