namespace NoGil.Showcase;

/// <summary>NOGIL302: element-wise loops that compute one element per step where SIMD would compute a vector of them.</summary>
public static class ElementwiseKernels
{
    // NOGIL302: saxpy, y = a·x + y; the fix runs a Vector<float> loop, then this loop for the last few elements
    // (with System.Numerics.Tensors referenced, it also offers TensorPrimitives.MultiplyAdd).
    public static void Saxpy(float a, float[] x, float[] y)
    {
        for (int i = 0; i < y.Length; i++)
        {
            y[i] = a * x[i] + y[i];
        }
    }

    // NOGIL302: a byte average written with C#'s int promotion; the truncating cast makes it a wrapping Vector<byte> add.
    public static void Mix(byte[] a, byte[] b, byte[] mixed)
    {
        for (int i = 0; i < mixed.Length; i++)
        {
            mixed[i] = (byte)(a[i] + b[i]);
        }
    }
}
