using System.Numerics;
using Xunit;

namespace SharpGrad.Tests.Core;

/// <summary>The one seam that picks float or double: the right instantiation, and nothing allocated per call.</summary>
public class DTypeDispatchTests
{
    readonly record struct ElementType : IDTypeFunc<Type>
    {
        public Type Run<T>() where T : unmanaged, IFloatingPointIeee754<T> => typeof(T);
    }

    // Adds one to every element of a contiguous tensor, as an op's kernel call would.
    readonly record struct AddOne(Tensor T) : IDTypeAction
    {
        public void Run<TE>() where TE : unmanaged, IFloatingPointIeee754<TE>
        {
            var span = T.Span<TE>();
            for (int i = 0; i < span.Length; i++) span[i] += TE.One;
        }
    }

    [Fact]
    public void Float32_runs_the_float_instantiation_and_Float64_the_double_one()
    {
        Assert.Equal(typeof(float), DTypeDispatch.Run<ElementType, Type>(DType.Float32, default));
        Assert.Equal(typeof(double), DTypeDispatch.Run<ElementType, Type>(DType.Float64, default));
    }

    [Fact]
    public void A_dispatched_call_allocates_nothing()
    {
        var f = Tensor.Zeros([4], DType.Float32);
        var d = Tensor.Zeros([4], DType.Float64);
        DTypeDispatch.Run(f.DType, new AddOne(f));   // JIT both instantiations first
        DTypeDispatch.Run(d.DType, new AddOne(d));
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            DTypeDispatch.Run(f.DType, new AddOne(f));
            DTypeDispatch.Run(d.DType, new AddOne(d));
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        // 1 + 1000 additions of one to zeros, by hand.
        Assert.Equal([1001.0, 1001, 1001, 1001], f.ToArray());
        Assert.Equal([1001.0, 1001, 1001, 1001], d.ToArray());
    }
}
