using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Rnn;

/// <summary>
/// The recurrent modules at the edges of their arguments (issue 23, mutation testing of Nn): layer counts, the
/// per-layer cells, the input and state checks of every layer and cell, and the empty batch PyTorch allows.
/// Expected values are worked by hand in the comments.
/// </summary>
public class RecurrentEdgeTests
{
    const int In = 3, H = 2;

    [Fact]
    public void One_layer_is_the_least_and_cells_exist_for_layers_0_to_n_minus_1()
    {
        Assert.Contains("num_layers must be at least 1, got 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Lstm(In, H, numLayers: 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharpGrad.Nn.Rnn(In, H, numLayers: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Gru(In, H, numLayers: 0));
        Assert.Equal(1, new Lstm(In, H).NumLayers);

        var lstm = new Lstm(In, H, numLayers: 2);
        var rnn = new SharpGrad.Nn.Rnn(In, H, numLayers: 2);
        var gru = new Gru(In, H, numLayers: 2);
        // Layer 0 reads the input, layer 1 the hidden state of layer 0.
        Assert.Equal((In, H), (lstm.Cell(0).InputSize, lstm.Cell(1).InputSize));
        Assert.Equal((In, H), (rnn.Cell(0).InputSize, rnn.Cell(1).InputSize));
        Assert.Equal((In, H), (gru.Cell(0).InputSize, gru.Cell(1).InputSize));
        // The cell shares the layer's tensors (not copies).
        Assert.Same(lstm.NamedParameters().Single(p => p.Key == "weight_hh_l1").Value, lstm.Cell(1).WeightHh);
        Assert.Same(gru.NamedParameters().Single(p => p.Key == "bias_ih_l1").Value, gru.Cell(1).BiasIh);
        foreach (int bad in new[] { -1, 2 })
        {
            Assert.Contains($"layer {bad} of 2", Assert.Throws<ArgumentOutOfRangeException>(() => lstm.Cell(bad)).Message);
            Assert.Contains($"layer {bad} of 2", Assert.Throws<ArgumentOutOfRangeException>(() => rnn.Cell(bad)).Message);
            Assert.Contains($"layer {bad} of 2", Assert.Throws<ArgumentOutOfRangeException>(() => gru.Cell(bad)).Message);
        }
    }

    [Fact]
    public void Cells_refuse_sizes_inputs_and_states_of_the_wrong_shape_and_name_themselves()
    {
        static string Refused<TException>(Func<object> make) where TException : Exception => Assert.Throws<TException>(make).Message;
        Assert.StartsWith("LstmCell: sizes must be positive, got input_size=0, hidden_size=2", Refused<ArgumentOutOfRangeException>(() => new LstmCell(0, H)));
        Assert.StartsWith("GruCell: sizes must be positive, got input_size=3, hidden_size=0", Refused<ArgumentOutOfRangeException>(() => new GruCell(In, 0)));
        Assert.StartsWith("RnnCell: sizes must be positive", Refused<ArgumentOutOfRangeException>(() => new RnnCell(0, H)));
        Assert.StartsWith("Gru: sizes must be positive", Refused<ArgumentOutOfRangeException>(() => new Gru(In, 0)));

        var (lstm, gru, rnn) = (new LstmCell(In, H, dtype: DType.Float64), new GruCell(In, H, dtype: DType.Float64), new RnnCell(In, H, dtype: DType.Float64));
        var x = Tensor.Zeros([2, In], DType.Float64);
        var (good, bad) = (Tensor.Zeros([2, H], DType.Float64), Tensor.Zeros([2, H + 1], DType.Float64));
        // Rank 2 with the wrong feature count, and rank 3 with the right one: both refused.
        foreach (var input in new[] { Tensor.Zeros([2, In + 1], DType.Float64), Tensor.Zeros([2, 1, In], DType.Float64) })
        {
            string shape = Shapes.Format(input.shape);
            Assert.StartsWith($"LstmCell: input must be [B, 3], got {shape}", Refused<ArgumentException>(() => lstm.Forward(input, null)));
            Assert.StartsWith($"GruCell: input must be [B, 3], got {shape}", Refused<ArgumentException>(() => gru.Forward(input, null)));
            Assert.StartsWith($"RnnCell: input must be [B, 3], got {shape}", Refused<ArgumentException>(() => rnn.Forward(input, null)));
        }
        Assert.StartsWith("LstmCell: state h must be [B, H] = [2, 2], got [2, 3]", Refused<ArgumentException>(() => lstm.Forward(x, (bad, good))));
        Assert.StartsWith("LstmCell: state c must be [B, H] = [2, 2], got [2, 3]", Refused<ArgumentException>(() => lstm.Forward(x, (good, bad))));
        Assert.StartsWith("GruCell: state h must be [B, H] = [2, 2], got [2, 3]", Refused<ArgumentException>(() => gru.Forward(x, bad)));
        Assert.StartsWith("RnnCell: state h must be [B, H] = [2, 2], got [2, 3]", Refused<ArgumentException>(() => rnn.Forward(x, bad)));
        // The right shapes pass: the zero state and a given one of [B, H].
        Assert.Equal(new[] { 2, H }, lstm.Forward(x, (good, good)).H.Shape);
        Assert.Equal(new[] { 2, H }, gru.Forward(x, good).Shape);
        Assert.Equal(new[] { 2, H }, rnn.Forward(x, null).Shape);
    }

    [Fact]
    public void Inputs_must_be_rank_3_with_the_input_size_and_a_non_empty_sequence()
    {
        var gru = new Gru(In, H, dtype: DType.Float64);
        var gruBatchFirst = new Gru(In, H, batchFirst: true, dtype: DType.Float64);
        Assert.Contains("Gru: input must be [T, B, 3] with T ≥ 1, got [2, 1, 4]", Assert.Throws<ArgumentException>(() => gru.Forward(Tensor.Zeros([2, 1, 4], DType.Float64))).Message);
        Assert.Contains("Gru: input must be [B, T, 3]", Assert.Throws<ArgumentException>(() => gruBatchFirst.Forward(Tensor.Zeros([2, 1, In, 1], DType.Float64))).Message);
        // An empty sequence is refused (dim 0, or dim 1 when batch-first); an empty batch gives an empty output.
        Assert.Throws<ArgumentException>(() => gru.Forward(Tensor.Zeros([0, 2, In], DType.Float64)));
        Assert.Throws<ArgumentException>(() => gruBatchFirst.Forward(Tensor.Zeros([2, 0, In], DType.Float64)));
        Assert.Equal(new[] { 4, 0, H }, gru.Forward(Tensor.Zeros([4, 0, In], DType.Float64)).Shape);
        Assert.Equal(new[] { 0, 4, H }, gruBatchFirst.Forward(Tensor.Zeros([0, 4, In], DType.Float64)).Shape);
        var lstm = new Lstm(In, H, batchFirst: true, dtype: DType.Float64);
        Assert.Equal(new[] { 0, 4, H }, lstm.Forward(Tensor.Zeros([0, 4, In], DType.Float64)).Shape);
    }

    [Fact]
    public void Initial_states_must_match_layers_batch_hidden_and_the_input_dtype()
    {
        var x = Tensor.Zeros([4, 2, In], DType.Float64);
        var rnn = new SharpGrad.Nn.Rnn(In, H, numLayers: 2, dtype: DType.Float64);
        Assert.Contains("Rnn: h0 must be [layers, B, H] = [2, 2, 2], got [1, 2, 2]",
            Assert.Throws<ArgumentException>(() => rnn.Forward(x, Tensor.Zeros([1, 2, H], DType.Float64))).Message);
        Assert.Contains("Rnn: h0 is float32, the input float64", Assert.Throws<ArgumentException>(() => rnn.Forward(x, Tensor.Zeros([2, 2, H]))).Message);
        Assert.StartsWith("Gru: h0 must be [layers, B, H] = [1, 2, 2], got [1, 3, 2]",
            Assert.Throws<ArgumentException>(() => new Gru(In, H, dtype: DType.Float64).Forward(x, Tensor.Zeros([1, 3, H], DType.Float64))).Message);
        var lstm = new Lstm(In, H, dtype: DType.Float64);
        Assert.Contains("Lstm: c0 must be", Assert.Throws<ArgumentException>(() =>
            lstm.Forward(x, (Tensor.Zeros([1, 2, H], DType.Float64), Tensor.Zeros([1, 3, H], DType.Float64)))).Message);
        // A given h0 is used: with W_ih = 0, W_hh = I, no bias and ReLU, h_t = relu(h_{t−1}) = h0 = 0.5 at every step.
        var identity = new SharpGrad.Nn.Rnn(In, H, nonlinearity: RnnNonlinearity.ReLU, bias: false, dtype: DType.Float64);
        using (Autograd.NoGrad())
        {
            identity.Cell(0).WeightIh.Fill_(0);
            identity.Cell(0).WeightHh.Copy_(Tensor.FromArray(new double[,] { { 1, 0 }, { 0, 1 } }));
        }
        var r = identity.Forward(x, Tensor.Full([1, 2, H], 0.5, DType.Float64));
        Assert.All(r.Output.ToArray(), v => Assert.Equal(0.5, v));
        Assert.All(r.H.ToArray(), v => Assert.Equal(0.5, v));
    }
}
