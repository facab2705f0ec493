using System;

namespace NoGil.Showcase;

/// <summary>
/// NOGIL300 (off by default; this sample's .editorconfig turns it on for this file only): why a loop with enough work
/// is not reported by NOGIL301–NOGIL303.
/// </summary>
public static class WhyNot
{
    // NOGIL300: [loop-carried] 'y[i - 1]' is read after 'y[i]' is written by an earlier iteration — a recurrence: each
    // output needs the previous one, so the iterations cannot run on several cores.
    public static void Smooth(double[] x, double[] y, double alpha)
    {
        y[0] = Math.Tanh(x[0]);
        for (int i = 1; i < x.Length; i++)
        {
            y[i] = (alpha * y[i - 1]) + ((1 - alpha) * Math.Tanh(x[i]));
        }
    }
}
