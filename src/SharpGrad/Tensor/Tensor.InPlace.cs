namespace SharpGrad;

// In-place updates, for optimizers and initialisation. Like PyTorch they are not recorded by autograd: they
// refuse to run on tensors that require grad while recording (wrap them in Autograd.NoGrad()), and they bump
// the storage version so that a backward that saved this tensor fails loudly instead of using the new values.
public sealed partial class Tensor
{
    /// <summary>self ← value everywhere.</summary>
    public Tensor Fill_(double value)
    {
        CheckInPlace("Fill_");
        if (IsContiguous) FillRaw(value);
        else Copy_(Full(shape, value, DType));
        BumpVersion();
        return this;
    }

    /// <summary>self ← 0.</summary>
    public Tensor Zero_() => Fill_(0);

    /// <summary>self ← src (broadcast to self's shape, converted to self's dtype).</summary>
    public Tensor Copy_(Tensor src)
    {
        CheckInPlace("Copy_");
        if (src.DType != DType) src = src.Detach().To(DType);
        if (!Shapes.Equal(Shapes.Broadcast("Copy_", src.shape, shape), shape))
            throw new ArgumentException($"Copy_: source shape {Shapes.Format(src.shape)} does not broadcast to destination {Shapes.Format(shape)}");
        var srcStrides = Shapes.BroadcastStrides(src, shape);
        F.StridedCopy(shape, src, srcStrides, this, offset, strides);
        BumpVersion();
        return this;
    }

    /// <summary>self ← self + alpha·other (other broadcast to self's shape).</summary>
    public Tensor Add_(Tensor other, double alpha = 1)
    {
        CheckInPlace("Add_");
        if (other.DType != DType) throw new ArgumentException($"Add_: dtype {other.DType.Name()} of other does not match {DType.Name()}");
        if (IsContiguous && other.IsContiguous && Shapes.Equal(shape, other.shape))
        {
            DTypeDispatch.Run(DType, new MultiplyAdd(this, other, alpha));
            BumpVersion();
            return this;
        }
        using (Autograd.NoGrad()) return Copy_(this + other * alpha);
    }

    /// <summary>self ← self · factor.</summary>
    public Tensor Mul_(double factor)
    {
        CheckInPlace("Mul_");
        if (IsContiguous)
        {
            DTypeDispatch.Run(DType, new Scale(this, factor));
            BumpVersion();
            return this;
        }
        using (Autograd.NoGrad()) return Copy_(this * factor);
    }
}
