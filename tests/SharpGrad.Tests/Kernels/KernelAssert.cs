using Xunit;

namespace SharpGrad.Tests.Kernels;

/// <summary>Assertions the kernel tests share.</summary>
internal static class KernelAssert
{
    /// <summary>Element by element, |expected − actual| ≤ tolerance·(1 + |expected|), naming the first that is not.</summary>
    public static void Close(double[] expected, double[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: expected {expected[i]}, got {actual[i]}");
    }
}
