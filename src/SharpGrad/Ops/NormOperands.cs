namespace SharpGrad;

// What BatchNorm and LayerNorm share: an input with an optional affine γ and β, each handed to its kernel and to autograd.
public static partial class F
{
    // The kernel's operands: contiguous, with an empty γ or β where none is given (the kernels read that as 1 or 0).
    static (Tensor X, Tensor Gamma, Tensor Beta) NormOperands(Tensor input, Tensor? weight, Tensor? bias)
    {
        using (Autograd.NoGrad())
            return (Contiguous(input),
                weight is null ? Tensor.Empty([0], input.DType) : Contiguous(weight),
                bias is null ? Tensor.Empty([0], input.DType) : Contiguous(bias));
    }

    // The recorded inputs: input, then γ and β where given.
    static Tensor[] NormInputs(Tensor input, Tensor? weight, Tensor? bias) =>
        [input, .. weight is null ? Array.Empty<Tensor>() : [weight], .. bias is null ? Array.Empty<Tensor>() : [bias]];

    // The gradients in NormInputs' order.
    static Tensor?[] NormGrads(Tensor? dx, Tensor? dw, Tensor? db, Tensor? weight, Tensor? bias) =>
        [dx, .. weight is null ? Array.Empty<Tensor?>() : [dw], .. bias is null ? Array.Empty<Tensor?>() : [db]];
}
