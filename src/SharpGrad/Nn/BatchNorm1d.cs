namespace SharpGrad.Nn;

/// <summary>Batch normalisation of [N, C] or [N, C, L] inputs, like <c>torch.nn.BatchNorm1d</c> (statistics over N, or N and L).</summary>
public sealed class BatchNorm1d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm("BatchNorm1d", [2, 3], numFeatures, eps, momentum, affine, trackRunningStats, dtype);
