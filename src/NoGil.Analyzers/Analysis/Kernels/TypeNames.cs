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

    /// <summary>
    /// True when code at <paramref name="position"/> can name <paramref name="metadataName"/> as <paramref name="name"/>:
    /// the name binds to it there, or to nothing (a using directive then brings it in).
    /// </summary>
    public static bool CanWriteByName(SemanticModel model, int position, string name, string metadataName)
    {
        var found = model.LookupNamespacesAndTypes(position, name: name);
        var expected = model.Compilation.GetTypeByMetadataName(metadataName);
        return found.IsEmpty || (expected is not null && found.Any(symbol => SymbolEqualityComparer.Default.Equals(symbol.OriginalDefinition, expected)));
    }
}
