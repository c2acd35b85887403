namespace SharpGrad.Labs.Plots;

/// <summary>A plot or diagram: a title, an SVG document (inlined in the report), and an optional caption.</summary>
/// <param name="Title">Figure title, shown in the caption.</param>
/// <param name="Svg">A complete SVG document (an XML declaration in front is allowed).</param>
/// <param name="Caption">What to look at in the figure.</param>
public sealed record LabFigure(string Title, string Svg, string? Caption = null);
