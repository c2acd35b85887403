using SharpGrad.Labs.Hamming;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

public class LabTextTests
{
    // Expected MathML written by hand from the MathML Core elements (mi, mn, mo, msub, msup, msubsup, mfrac, msqrt, mover).
    [Theory]
    [InlineData("x", "<math><mi>x</mi></math>")]
    [InlineData("w_j^*", "<math><msubsup><mi>w</mi><mi>j</mi><mo>*</mo></msubsup></math>")]
    [InlineData("v_{t+1}", "<math><msub><mi>v</mi><mrow><mi>t</mi><mo>+</mo><mn>1</mn></mrow></msub></math>")]
    [InlineData("\\frac{1}{2}", "<math><mfrac><mn>1</mn><mn>2</mn></mfrac></math>")]
    [InlineData("\\sqrt{g} + 1.5", "<math><mrow><msqrt><mi>g</mi></msqrt><mo>+</mo><mn>1.5</mn></mrow></math>")]
    [InlineData("\\hat{m}", "<math><mover accent=\"true\"><mi>m</mi><mo>^</mo></mover></math>")]
    [InlineData("\\rho\\eta_j", "<math><mrow><mi>ρ</mi><msub><mi>η</mi><mi>j</mi></msub></mrow></math>")]
    [InlineData("β₁ᵗ", "<math><msubsup><mi>β</mi><mn>1</mn><mi>t</mi></msubsup></math>")]
    [InlineData("a - b < c", "<math><mrow><mi>a</mi><mo>−</mo><mi>b</mi><mo>&lt;</mo><mi>c</mi></mrow></math>")]
    [InlineData("\\{1\\}", "<math><mrow><mo stretchy=\"false\">{</mo><mn>1</mn><mo stretchy=\"false\">}</mo></mrow></math>")]
    [InlineData("\\log 4", "<math><mrow><mi mathvariant=\"normal\">log</mi><mo>&#x2061;</mo><mn>4</mn></mrow></math>")]
    [InlineData("\\tanh^2 c", "<math><mrow><msup><mi mathvariant=\"normal\">tanh</mi><mn>2</mn></msup><mo>&#x2061;</mo><mi>c</mi></mrow></math>")]
    [InlineData("\\tanh", "<math><mrow><mi mathvariant=\"normal\">tanh</mi><mo>&#x2061;</mo></mrow></math>")]
    [InlineData("\\text{if } x", "<math><mrow><mtext>if </mtext><mi>x</mi></mrow></math>")]
    public void TexBecomesMathMl(string tex, string expected) => Assert.Equal(expected, MathMl.FromTex(tex));

    [Theory]
    [InlineData("x_{1")]
    [InlineData("\\nosuch")]
    [InlineData("a}")]
    [InlineData("x^")]
    public void BadTexIsAFormatErrorNamingTheInput(string tex)
    {
        var e = Assert.Throws<FormatException>(() => MathMl.FromTex(tex));
        Assert.Contains(tex, e.Message);
    }

    [Fact]
    public void DisplayFormulaIsABlock() =>
        Assert.Equal("<math display=\"block\"><mi>x</mi></math>", MathMl.FromTex("x", display: true));

    [Fact]
    public void MarkdownRendersParagraphsListsFormulasCodeAndBold()
    {
        // Expected by hand: two paragraphs, a list, a display formula; plain text escaped as itself.
        string html = Markdown.ToHtml("a <b> & `c<d>`\nsame paragraph\n\n**bold** $x$\n\n- one\n- two\n\n$$y$$", "note");
        Assert.Equal(
            "<p class=\"note\">a &lt;b&gt; &amp; <code>c&lt;d&gt;</code> same paragraph</p>\n" +
            "<p class=\"note\"><strong>bold</strong> <math><mi>x</mi></math></p>\n" +
            "<ul><li>one</li><li>two</li></ul>\n" +
            "<div class=\"formula\"><math display=\"block\"><mi>y</mi></math></div>\n", html);
    }

    [Fact]
    public void UnclosedMarkersStayLiteral() =>
        Assert.Equal("costs $5 and w* or w**", Markdown.Inline("costs $5 and w* or w**"));

    const string Sample = """
        # A lab

        ## question
        Is $x = {x}$?

        ## note run
        Ran {steps} steps; error {error:G3}.

        ## differs sign
        ### topic
        The sign
        ### printed
        {printed}
        ### actual
        {actual}
        """;

    [Fact]
    public void SectionsAndPlaceholders()
    {
        var text = LabText.Parse(Sample, "sample");
        Assert.Equal("A lab", text.Title);
        Assert.Equal("Is $x = {x}$?", text.Question);                         // unfilled: only supplied names are replaced
        // Inside a formula a TeX group is never a placeholder, even when a value of that name is given.
        Assert.Equal("Is $x = {x}$? 2", LabText.Format("Is $x = {x}$? {x}", [("x", 2)], "inline"));
        Assert.Equal("Ran 40 steps; error 0.000123.", text.Fill("note run", ("steps", 40), ("error", 1.23456e-4)));
        var result = new LabResult("sample");
        text.Differs(result, "sign", ("printed", -47), ("actual", -44));
        Assert.Equal(new PrintedDifference("The sign", "-47", "-44", null), Assert.Single(result.Differences));
    }

    [Fact]
    public void AValueWithoutAPlaceholderOrAMissingSectionIsAnError()
    {
        var text = LabText.Parse(Sample, "sample");
        Assert.Contains("stepz", Assert.Throws<ArgumentException>(() => text.Fill("note run", ("stepz", 1), ("error", 0.0))).Message);
        Assert.Contains("note walk", Assert.Throws<KeyNotFoundException>(() => text.Fill("note walk")).Message);
    }

    [Fact]
    public void EveryLabHasItsTextBeside()
    {
        // The embedded resource "Hamming/HammingLab.md" is found from the type alone.
        var text = LabText.For<HammingLab>();
        Assert.False(string.IsNullOrWhiteSpace(text.Question));
        foreach (var lab in SharpGrad.Labs.LabRegistry.All)
        {
            var labText = LabText.For(lab.GetType());
            Assert.False(string.IsNullOrWhiteSpace(labText.Title), lab.Name);
            Assert.False(string.IsNullOrWhiteSpace(labText.Question), lab.Name);
        }
    }

    [Fact]
    public void EveryFormulaInEveryLabTextConverts()
    {
        // A $…$ the converter cannot read would only fail when the report is written; find it here, per section.
        foreach (var lab in SharpGrad.Labs.LabRegistry.All)
            foreach (var (key, text) in LabText.For(lab.GetType()).Sections)
            {
                var html = Record.Exception(() => Markdown.ToHtml(text));
                Assert.True(html is null, $"{lab.Name} '{key}': {html?.Message}");
            }
    }
}
