namespace SharpGrad.Tests.Optim;

/// <summary>Compares doubles to an absolute tolerance, for <c>Assert.Equal(expected[], actual[], new Near(tol))</c>.</summary>
internal sealed class Near(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
    public int GetHashCode(double obj) => 0;
}
