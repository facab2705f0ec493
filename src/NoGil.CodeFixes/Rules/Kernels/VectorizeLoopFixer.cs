namespace NoGil.CodeFixes.Rules.Kernels;

/// <summary>
/// NOGIL302 fixes: "Use TensorPrimitives.X" (one call over the loop's range) and "Vectorize with Vector&lt;T&gt;" (a
/// vector loop, then the original loop as the scalar tail).
/// </summary>
/// <remarks>Fix All: applies the fixes one after another: every fix may add the same using directives.</remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(VectorizeLoopFixer)), Shared]
public sealed partial class VectorizeLoopFixer() : NoGilCodeFixProvider(FixAllMode.Sequential, RuleIdentifiers.VectorizeLoop)
{
    protected override string GetTitle(Diagnostic diagnostic, FixKind kind)
    {
        if (kind == FixKind.VectorLoop)
        {
            return $"Vectorize with Vector<{DiagnosticProperties.Get(diagnostic, DiagnosticProperties.ElementTypeKey)}>";
        }

        var method = DiagnosticProperties.Get(diagnostic, DiagnosticProperties.TensorPrimitivesMethodKey);
        return DiagnosticProperties.Get(diagnostic, DiagnosticProperties.ApproximatesKey) is { } approximates
            ? $"Use TensorPrimitives.{method} (results may differ from {approximates} in the last bits)"
            : $"Use TensorPrimitives.{method}";
    }

    /// <summary>Matches the kernel as the analyzer did and writes the announced form of it.</summary>
    protected override SyntaxNode? Render(FixRequest request)
    {
        if (KernelFixes.LoopAt(request) is not { } loop
            || ElementwiseKernel.TryMatch(KernelFixes.Model(request, loop.Operation), request.Types, request.CancellationToken) is not { } kernel)
        {
            return null;
        }

        return request.Kind == FixKind.TensorPrimitives
            ? UseTensorPrimitives(request.Root, request.Model, kernel)
            : new VectorLoopWriter(request.Model, request.Types, kernel, request.CancellationToken).Rewrite(request.Root);
    }

    /// <summary><c>TensorPrimitives.X(a, b, …, destination)</c> over the loop's range, in place of the loop.</summary>
    private static SyntaxNode? UseTensorPrimitives(SyntaxNode root, SemanticModel model, ElementwiseKernel kernel)
    {
        if (kernel.TensorPrimitives is not { } call || kernel.TensorPrimitivesTypeArguments(model) is not { } typeArguments)
        {
            return null;
        }

        var text = $"TensorPrimitives.{call.Method}{typeArguments}({kernel.TensorPrimitivesArguments(qualified: false)});";
        if (call.ThrowsOnEmpty)
        {
            // The loop does nothing for an empty range; this method would throw.
            var eol = KernelFixes.EndOfLine(root);
            text = $"if ({KernelText.Additive(kernel.UpperBound.WithoutTrivia().ToString())} > 0){eol}{{{eol}{text}{eol}}}";
        }

        var statement = SyntaxFactory.ParseStatement(text)
            .WithTriviaFrom(kernel.Loop)
            .WithAdditionalAnnotations(Formatter.Annotation);
        var newRoot = root.ReplaceNode(kernel.Loop, statement);
        if (kernel.TensorPrimitivesUsesAsSpan && !TypeNames.Binds(model, kernel.Loop.SpanStart, "MemoryExtensions", "System.MemoryExtensions"))
        {
            newRoot = Imports.AddUsing(newRoot, "System");
        }

        return Imports.AddUsing(newRoot, "System.Numerics.Tensors");
    }
}
