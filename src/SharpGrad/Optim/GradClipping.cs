namespace SharpGrad.Optim;

/// <summary>Gradient clipping, like <c>torch.nn.utils.clip_grad_norm_</c>.</summary>
public static class GradClipping
{
    /// <summary>
    /// Scales all gradients together so that their global L2 norm ‖(g₁, g₂, …)‖ is at most <paramref name="maxNorm"/>:
    /// g ← g · min(1, maxNorm/(‖g‖ + 1e-6)), torch's rule (the 1e-6 keeps a zero norm finite). Parameters without a
    /// gradient are skipped. Returns the total norm before clipping (NaN or ∞ if a gradient is not finite, as in torch).
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm >= 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"ClipGradNorm: maxNorm must be >= 0, got {maxNorm}");
        var grads = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        double sumOfSquares = 0;
        foreach (var g in grads)
            foreach (var x in g.ToArray()) sumOfSquares += x * x;
        double total = Math.Sqrt(sumOfSquares);
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1 || double.IsNaN(coefficient))
            using (Autograd.NoGrad())
                foreach (var g in grads) g.Mul_(coefficient);
        return total;
    }
}
