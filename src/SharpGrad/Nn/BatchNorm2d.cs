namespace SharpGrad.Nn;

/// <summary>Batch normalisation of [N, C, H, W] inputs, like <c>torch.nn.BatchNorm2d</c> (statistics over N, H and W per channel).</summary>
public sealed class BatchNorm2d(int numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true,
    bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm("BatchNorm2d", [4], numFeatures, eps, momentum, affine, trackRunningStats, dtype);
