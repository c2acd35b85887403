namespace SharpGrad.Labs.Optimizers;

/// <summary>
/// A 2-D function for the optimizer lab: its value and gradient by hand, where descent starts, its minimiser, and the
/// window its contour plot shows.
/// </summary>
internal sealed record TestFunction(
    string Name,
    string Formula,
    Func<double, double, double> F,
    Func<double, double, (double Dx, double Dy)> Gradient,
    (double X, double Y) Start,
    (double X, double Y) Minimum,
    (double Min, double Max) XRange,
    (double Min, double Max) YRange)
{
    /// <summary>Rosenbrock's banana: f = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1).</summary>
    public static readonly TestFunction Rosenbrock = new("rosenbrock", "(1 − x)² + 100(y − x²)²",
        (x, y) => (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x),
        (x, y) => (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)),
        (-1.5, 2), (1, 1), (-2, 2), (-1, 3));

    /// <summary>Beale's function: (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5).</summary>
    public static readonly TestFunction Beale = new("beale", "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²",
        (x, y) => Sq(1.5 - x + x * y) + Sq(2.25 - x + x * y * y) + Sq(2.625 - x + x * y * y * y),
        (x, y) =>
        {
            double a = 1.5 - x + x * y, b = 2.25 - x + x * y * y, c = 2.625 - x + x * y * y * y;
            return (2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y * y * y - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y);
        },
        (1, 1), (3, 0.5), (0, 3.5), (-0.5, 2));

    // The ill-conditioned quadratic: eigenvalues 1 and 100 along axes turned by 30°, so no coordinate is an eigen-direction.
    private static readonly double Cos = Math.Cos(Math.PI / 6), Sin = Math.Sin(Math.PI / 6);

    /// <summary>f = ½(a² + 100b²) with (a, b) the coordinates turned by 30°: condition number 100, minimum 0 at (0, 0).</summary>
    public static readonly TestFunction Quadratic = new("quadratic", "½(a² + 100b²), a = x cos 30° + y sin 30°, b = −x sin 30° + y cos 30°",
        (x, y) =>
        {
            double a = Cos * x + Sin * y, b = -Sin * x + Cos * y;
            return 0.5 * (a * a + 100 * b * b);
        },
        (x, y) =>
        {
            double a = Cos * x + Sin * y, b = -Sin * x + Cos * y;
            return (Cos * a - Sin * 100 * b, Sin * a + Cos * 100 * b);
        },
        (-4, 1), (0, 0), (-5, 4), (-3.5, 3.5));

    private static double Sq(double v) => v * v;

    /// <summary>Distance from (x, y) to the minimiser.</summary>
    public double DistanceToMinimum(double x, double y) => Math.Sqrt(Sq(x - Minimum.X) + Sq(y - Minimum.Y));
}
