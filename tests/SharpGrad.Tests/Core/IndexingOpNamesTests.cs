using Xunit;
using static SharpGrad.Tests.Core.OpTrace;

namespace SharpGrad.Tests.Core;

/// <summary>
/// The names under which the indexing ops (Embedding, EmbeddingBag, Gather, IndexSelect, Interpolate) and GroupNorm
/// report to <see cref="OpProfiler"/>: forward ops once per call by their op name, and the backward closures of the
/// nodes that a backward creates (ScatterAdd, IndexAdd, IndexAddBackward) by theirs when a later backward runs them.
/// The expected (phase, op, calls) rows follow from the code profiled: which ops each call makes, counted by hand.
/// </summary>
public class IndexingOpNamesTests
{
    static Tensor Matrix(bool requiresGrad = false) =>
        Tensor.FromArray(new double[] { 1, 2, 3, 4, 5, 6 }, [3, 2], DType.Float64, requiresGrad);

    [Fact]
    public void Embedding_and_bags_report_their_lookups_and_the_bag_sum()
    {
        var indices = Tensor.FromArray(new double[] { 0, 2, 1, 2 }, [2, 2], DType.Float64);
        Assert.Equal(1, Forward(Calls(() => F.Embedding(indices, Matrix())), "Embedding"));
        // A bag: the rows looked up (Embedding), the kept rows picked (EmbeddingBag), scatter-added into bags (IndexAdd).
        var bag = Calls(() => F.EmbeddingBag(indices, Matrix(), mode: EmbeddingBagMode.Sum));
        Assert.Equal((1L, 1L, 1L), (Forward(bag, "Embedding"), Forward(bag, "EmbeddingBag"), Forward(bag, "IndexAdd")));
    }

    [Fact]
    public void Interpolate_reports_one_pick_for_nearest_and_two_for_linear()
    {
        var x = Tensor.FromArray(new double[] { 0, 1, 2 }, [1, 1, 3], DType.Float64);
        Assert.Equal(1, Forward(Calls(() => F.Interpolate(x, size: [5])), "Interpolate"));
        // Linear: the lower and the upper neighbours of each output sample, two picks.
        Assert.Equal(2, Forward(Calls(() => F.Interpolate(x, size: [5], mode: InterpolateMode.Linear)), "Interpolate"));
    }

    [Fact]
    public void GroupNorm_reports_one_op()
    {
        var x = Tensor.FromArray(new double[] { 1, 3, 4, 0 }, [1, 2, 2], DType.Float64);
        Assert.Equal(1, Forward(Calls(() => F.GroupNorm(x, 1)), "GroupNorm"));
    }

    [Fact]
    public void Gathers_gradient_is_a_scatter_add_whose_own_backward_is_named()
    {
        var x = Matrix(requiresGrad: true);
        var index = Tensor.FromArray(new double[] { 1, 0, 0, 0, 1, 1 }, [3, 2], DType.Float64);
        var v = Tensor.Ones([3, 2], DType.Float64, requiresGrad: true);
        Tensor gathered = null!;
        Assert.Equal(1, Forward(Calls(() => gathered = F.Gather(x, 1, index)), "Gather"));
        var gradX = Autograd.Grad(gathered, x, v, createGraph: true);
        // dL/dx scatter-adds v = 1 where index points: index rows [1, 0], [0, 0], [1, 1] give [[1, 1], [2, 0], [0, 2]].
        Assert.Equal(new double[] { 1, 1, 2, 0, 0, 2 }, gradX.ToArray());
        Assert.Equal(1, Backward(Calls(() => Autograd.Grad(gradX, v, Matrix())), "ScatterAdd"));
    }

    [Fact]
    public void IndexSelects_gradient_chain_names_index_add_and_its_backward()
    {
        var x = Matrix(requiresGrad: true);
        var v = Tensor.Ones([2, 2], DType.Float64, requiresGrad: true);
        var u = Tensor.Ones([3, 2], DType.Float64, requiresGrad: true);
        Tensor picked = null!, gradX = null!, gradV = null!;
        Assert.Equal(1, Forward(Calls(() => picked = F.IndexSelect(x, 0, [2, 0])), "IndexSelect"));
        Assert.Equal(1, Backward(Calls(() => gradX = Autograd.Grad(picked, x, v, createGraph: true)), "IndexSelect"));
        Assert.Equal(1, Backward(Calls(() => gradV = Autograd.Grad(gradX, v, u, createGraph: true)), "IndexAdd"));
        Assert.Equal(1, Backward(Calls(() => Autograd.Grad(gradV, u, Tensor.Ones([2, 2], DType.Float64))), "IndexAddBackward"));
    }
}
