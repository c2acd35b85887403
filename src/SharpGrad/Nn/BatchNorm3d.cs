namespace SharpGrad.Nn;

/// <summary>Batch normalisation of [N, C, D, H, W] inputs, like <c>torch.nn.BatchNorm3d</c> (statistics over N, D, H and W per channel).</summary>
public sealed class BatchNorm3d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm("BatchNorm3d", [5], numFeatures, eps, momentum, affine, trackRunningStats, dtype);
