using System.Text.Json;
using SharpGrad.Labs;
using SharpGrad.Labs.Numerics;
using SharpGrad.Labs.Quadratic;
using SharpGrad.Labs.Report;
using Xunit;

namespace SharpGrad.Tests.Labs;

/// <summary>Lab 7, "quadratic": gradient descent against the closed form, divergence, early stopping against weight decay.</summary>
public class QuadraticLabTests
{
    private static readonly Lazy<LabRun> s_run = new(() =>
        LabRunner.Run(new QuadraticLab(), new LabContext(seed: 1, outputDirectory: Path.Combine(Path.GetTempPath(), "sharpgrad-lab-tests"))));

    private static LabResult Result => s_run.Value.Result;

    [Fact]
    public void Every_check_passes()
    {
        var failed = Result.Checks.Where(c => !c.Passed).Select(c => $"{c.Name}: {c.Detail}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.Equal(8, Result.Checks.Count);
    }

    [Fact]
    public void Iterates_follow_the_closed_form_and_the_json_says_so()
    {
        double error = (double)Result.Values["max_abs_error_closed_form"]!;
        Assert.InRange(error, 0, 1e-12);
        using var json = JsonDocument.Parse(LabJson.Serialize(Result));
        Assert.Equal("quadratic", json.RootElement.GetProperty("lab").GetString());
        Assert.Equal(error, json.RootElement.GetProperty("values").GetProperty("max_abs_error_closed_form").GetDouble());
    }

    [Fact]
    public void Early_stopping_and_weight_decay_keep_the_same_directions()
    {
        var eta = (double[])Result.Values["eigenvalues"]!;
        var early = (double[])Result.Values["early_stopping_factors"]!;
        var decay = (double[])Result.Values["weight_decay_factors"]!;
        double lambda = (double)Result.Values["lambda"]!;
        Assert.Equal(1 / (QuadraticLab.Rho * QuadraticLab.Tau), lambda, 15);
        for (int j = 0; j < eta.Length; j++)
        {
            // Weight decay's factor is η/(η + λ) exactly (the lab found it by gradient descent).
            Assert.Equal(eta[j] / (eta[j] + lambda), decay[j], 10);
            // Early stopping's is 1 − (1 − ρη)^τ; both sit on the same side of ½ except near η ≈ λ.
            Assert.Equal(1 - Math.Pow(1 - QuadraticLab.Rho * eta[j], QuadraticLab.Tau), early[j], 10);
            if (eta[j] > 4 * lambda || eta[j] < lambda / 4) Assert.Equal(early[j] > 0.5, decay[j] > 0.5);
        }
    }

    [Fact]
    public void Jacobi_decomposes_a_matrix_known_by_hand()
    {
        // [[2, 1], [1, 2]]: eigenvalues 1 and 3 with eigenvectors (1, −1)/√2 and (1, 1)/√2.
        var (eta, u) = SymmetricEigen.Decompose(new double[,] { { 2, 1 }, { 1, 2 } });
        Assert.Equal(1, eta[0], 14);
        Assert.Equal(3, eta[1], 14);
        Assert.Equal(1 / Math.Sqrt(2), Math.Abs(u[0, 0]), 14);
        Assert.Equal(-u[0, 0], u[1, 0], 14);
        Assert.Equal(u[0, 1], u[1, 1], 14);
    }

    [Fact]
    public void Reports_the_dropped_change_of_basis()
    {
        var difference = Assert.Single(Result.Differences);
        Assert.Contains("UΛUᵀ = H ≠ Λ", difference.Actual);
    }
}
