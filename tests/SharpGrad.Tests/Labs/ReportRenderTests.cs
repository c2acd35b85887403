using System.Diagnostics;
using System.Text.RegularExpressions;
using SharpGrad.Labs;
using Xunit;

namespace SharpGrad.Tests.Labs;

/// <summary>
/// The report must open in a real browser: write it, let headless Chromium parse and lay it out, and check the DOM it
/// dumps. CI installs Debian's chromium (.ci/run).
/// </summary>
public class ReportRenderTests
{
    static readonly string[] ChromiumCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    [Fact]
    public void Report_RendersInChromium_WithEverySectionAndFigure()
    {
        var runs = new[] { LabRuns.GanGame, LabRuns.Wasserstein, LabRuns.Synthetic };
        var dir = Directory.CreateTempSubdirectory("sharpgrad-report-");
        try
        {
            string index = LabRunner.WriteReport(runs, dir.FullName, seed: 1);
            string dom = DumpDom(index);

            foreach (var run in runs)
            {
                string name = run.Lab.Name;
                Assert.Contains($"href=\"#lab-{name}\"", dom);
                string section = Section(dom, name);
                int figures = run.Result.Figures.Count;
                Assert.True(figures > 0, $"lab {name} draws no figure");
                Assert.Equal(figures, Count(section, "<figure"));
                Assert.Equal(figures, Count(section, "<figcaption"));
                Assert.Equal(figures, Count(section, "<svg"));
                Assert.Equal(run.Passed, Count(section, "class=\"badge pass\">pass<"));
                Assert.Equal(run.Failed, Count(section, "class=\"badge fail\">fail<"));
                Assert.Equal(run.Result.Differences.Count + run.Result.Notation.Count, Count(section, "<span class=\"label\">printed</span>"));
                Assert.Equal(run.Result.Notation.Count, Count(section, "<span class=\"label\">here</span>"));
                Assert.Equal(run.Result.Notation.Count > 0, section.Contains("<h3>Notation</h3>", StringComparison.Ordinal));
                // The labs' $…$ formulas reach the browser as MathML (GanGameLab.md and WassersteinLab.md have several).
                if (run != LabRuns.Synthetic) Assert.Contains("<math", section);
            }

            // Escaping: the synthetic lab's "<script>" and "<em>" arrive as text, not as elements.
            Assert.DoesNotContain("<script", dom);
            Assert.DoesNotContain("<em>", dom);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", dom);
            Assert.Contains("∗ &lt;called convolution&gt;", dom);   // the synthetic lab's notation item, escaped

            // Ids are unique in the page, so no plot's clip path or image is taken from another plot.
            var ids = Regex.Matches(dom, "\\sid=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
            Assert.Equal(ids.Length, ids.Distinct().Count());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    static string Section(string dom, string lab)
    {
        int start = dom.IndexOf($"<section id=\"lab-{lab}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no <section id=\"lab-{lab}\"> in the rendered DOM");
        int end = dom.IndexOf("</section>", start, StringComparison.Ordinal);
        Assert.True(end > start, $"section lab-{lab} is not closed");
        return dom[start..end];
    }

    static int Count(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    static string DumpDom(string htmlPath)
    {
        string? chromium = ChromiumCandidates.FirstOrDefault(File.Exists);
        Assert.True(chromium is not null,
            "Chromium is needed to render the lab report: apt-get install chromium (CI's .ci/run installs it).");
        var profile = Directory.CreateTempSubdirectory("sharpgrad-chromium-");
        try
        {
            var psi = new ProcessStartInfo(chromium!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         $"--user-data-dir={profile.FullName}", "--dump-dom", new Uri(htmlPath).AbsoluteUri,
                     })
                psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("chromium --dump-dom did not finish in 90 s");
            }
            string dom = stdout.Result;
            Assert.True(process.ExitCode == 0 && dom.Length > 0,
                $"chromium exited with {process.ExitCode} and printed {dom.Length} characters; stderr: {stderr.Result}");
            return dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
