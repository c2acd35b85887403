namespace SharpGrad.Data;

/// <summary>x ← (x − Mean) / Std, applied to every input value (torchvision's <c>Normalize</c> with one channel).</summary>
public readonly record struct Normalization(double Mean, double Std)
{
    /// <summary>Checks that Std is positive and both are finite.</summary>
    internal void Validate()
    {
        if (!double.IsFinite(Mean) || !double.IsFinite(Std) || Std <= 0)
            throw new ArgumentException($"Normalization: need a finite mean and a positive std, got mean={Mean}, std={Std}");
    }

    /// <summary>The mean and (population) standard deviation of every input value of <paramref name="dataset"/>.</summary>
    public static Normalization Of(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.Count == 0) throw new ArgumentException("Normalization.Of: the dataset is empty");
        var x = new float[dataset.ExampleSize];
        double sum = 0, sumSq = 0;
        for (int i = 0; i < dataset.Count; i++)
        {
            dataset.CopyInput(i, x);
            foreach (float v in x) { sum += v; sumSq += (double)v * v; }
        }
        double n = (double)dataset.Count * x.Length, mean = sum / n;
        return new Normalization(mean, Math.Sqrt(Math.Max(sumSq / n - mean * mean, 0)));
    }
}
