using SharpGrad.Nn;
using Xunit;

namespace SharpGrad.Tests.Nn;

/// <summary>
/// <see cref="Module"/>'s bookkeeping (issue 23, mutation testing of Nn): registration names, dotted names of nested
/// parameters and buffers, strict and non-strict loading, training mode, gradients, counting. Expected values are
/// PyTorch's behaviour for the same calls (nn.Module's named_parameters, load_state_dict, train), written by hand.
/// </summary>
public class ModuleEdgeTests
{
    /// <summary>A module that registers whatever the test asks, to reach the name checks.</summary>
    sealed class Bag : Module
    {
        public Tensor Param(string name, Tensor t) => RegisterParameter(name, t);
        public Tensor Buffer(string name, Tensor t) => RegisterBuffer(name, t);
        public T Child<T>(string name, T m) where T : Module => RegisterModule(name, m);
        public override Tensor Forward(Tensor input) => input;
    }

    /// <summary>A module with settings to print (PyTorch's extra_repr) and, if asked, one child.</summary>
    sealed class Described : Module
    {
        readonly string extra;
        public Described(string extra, bool withChild)
        {
            this.extra = extra;
            if (withChild) RegisterModule("child", new Identity());
        }
        protected override string ExtraRepr() => extra;
        public override Tensor Forward(Tensor input) => input;
    }

    [Fact]
    public void The_repr_puts_settings_inline_only_when_they_are_one_line_and_there_are_no_children()
    {
        // nn.Module.__repr__: `if len(extra_lines) == 1 and not child_lines` the settings go between the parentheses;
        // otherwise every settings line and every child goes on its own line, indented by two spaces.
        Assert.Equal("Described(k=1)", new Described("k=1", withChild: false).ToString());
        Assert.Equal("Described(\n  k=1\n  (child): Identity()\n)", new Described("k=1", withChild: true).ToString());
        Assert.Equal("Described(\n  a=1\n  b=2\n)", new Described("a=1\nb=2", withChild: false).ToString());
        Assert.Equal("Described()", new Described("", withChild: false).ToString());
        Assert.Equal("Described(\n  (child): Identity()\n)", new Described("", withChild: true).ToString());
    }

    [Fact]
    public void Names_must_be_non_empty_without_dots_and_unique_across_parameters_buffers_and_children()
    {
        var bag = new Bag();
        bag.Param("w", Tensor.Zeros(1));
        bag.Buffer("b", Tensor.Zeros(1));
        bag.Child("c", new Identity());
        Assert.Contains("invalid name ''", Assert.Throws<ArgumentException>(() => bag.Param("", Tensor.Zeros(1))).Message);
        Assert.Contains("invalid name 'x.y'", Assert.Throws<ArgumentException>(() => bag.Buffer("x.y", Tensor.Zeros(1))).Message);
        Assert.Contains("invalid name 'x.'", Assert.Throws<ArgumentException>(() => bag.Child("x.", new Identity())).Message);
        foreach (var taken in new[] { "w", "b", "c" })
        {
            Assert.Contains($"'{taken}' is already registered", Assert.Throws<ArgumentException>(() => bag.Param(taken, Tensor.Zeros(1))).Message);
            Assert.Contains($"'{taken}' is already registered", Assert.Throws<ArgumentException>(() => bag.Buffer(taken, Tensor.Zeros(1))).Message);
            Assert.Contains($"'{taken}' is already registered", Assert.Throws<ArgumentException>(() => bag.Child(taken, new Identity())).Message);
        }
    }

    [Fact]
    public void A_parameter_is_a_leaf_that_requires_grad_and_a_buffer_is_kept_as_given()
    {
        var bag = new Bag();
        var source = Tensor.Ones([2], DType.Float64, requiresGrad: true);
        var derived = source * 3;   // not a leaf: registered as a detached copy
        var p = bag.Param("p", derived);
        Assert.True(p.IsLeaf);
        Assert.True(p.RequiresGrad);
        Assert.Equal(new[] { 3.0, 3 }, p.ToArray());
        var leaf = Tensor.Zeros([2], DType.Float64);
        Assert.Same(leaf, bag.Param("q", leaf));
        Assert.True(leaf.RequiresGrad);
        var buffer = Tensor.Zeros([3], DType.Float64);
        Assert.Same(buffer, bag.Buffer("r", buffer));
        Assert.False(buffer.RequiresGrad);
        Assert.Equal(new[] { "p", "q" }, bag.NamedParameters().Select(kv => kv.Key));
        Assert.Equal(new[] { "r" }, bag.NamedBuffers().Select(kv => kv.Key));
    }

    [Fact]
    public void Nested_modules_name_their_tensors_by_path_and_the_state_dict_holds_parameters_then_buffers()
    {
        var inner = new Sequential(new Linear(2, 2, bias: false), new BatchNorm1d(2));
        var model = new Sequential(inner, new ReLU(), new Linear(2, 1));
        Assert.Equal(new[] { "0.0.weight", "0.1.weight", "0.1.bias", "2.weight", "2.bias" }, model.NamedParameters().Select(kv => kv.Key));
        Assert.Equal(new[] { "0.1.running_mean", "0.1.running_var", "0.1.num_batches_tracked" }, model.NamedBuffers().Select(kv => kv.Key));
        Assert.Equal(new[] { "0.1.running_mean" }, inner.NamedBuffers("0.").Take(1).Select(kv => kv.Key));
        Assert.Equal(new[] { "0.0.weight", "0.1.weight", "0.1.bias", "2.weight", "2.bias", "0.1.running_mean", "0.1.running_var", "0.1.num_batches_tracked" },
            model.StateDict().Keys);
        Assert.Same(((BatchNorm1d)inner[1]).RunningVar, model.StateDict()["0.1.running_var"]);
        Assert.Equal(new[] { "0", "1", "2" }, model.NamedChildren().Select(kv => kv.Key));
        Assert.Same(inner, model.NamedChildren().First().Value);
        // 2·2 + 2 + 2 (BatchNorm's γ, β) + 2 + 1: buffers are not parameters.
        Assert.Equal(11L, model.ParameterCount());
    }

    [Fact]
    public void Non_strict_loading_copies_the_common_keys_and_reports_the_others()
    {
        var model = new Sequential(new Linear(2, 1, dtype: DType.Float64));
        var state = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.FromArray(new double[,] { { 5, 6 } }),
            ["extra"] = Tensor.Zeros(1),
        };
        var before = model.StateDict()["0.bias"].ToArray();
        var result = model.LoadStateDict(state, strict: false);
        Assert.Equal(new[] { "0.bias" }, result.MissingKeys);
        Assert.Equal(new[] { "extra" }, result.UnexpectedKeys);
        Assert.Equal(new[] { 5.0, 6 }, model.StateDict()["0.weight"].ToArray());
        Assert.Equal(before, model.StateDict()["0.bias"].ToArray());
        // Strict: a missing key alone, or an unexpected key alone, is refused and nothing is copied.
        var fresh = new Sequential(new Linear(2, 1, dtype: DType.Float64));
        var w = fresh.StateDict()["0.weight"].ToArray();
        Assert.Contains("missing keys [0.bias], unexpected keys []", Assert.Throws<ArgumentException>(() =>
            fresh.LoadStateDict(new Dictionary<string, Tensor> { ["0.weight"] = state["0.weight"] })).Message);
        var all = fresh.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value);
        all["extra"] = Tensor.Zeros(1);
        Assert.Contains("missing keys [], unexpected keys [extra]", Assert.Throws<ArgumentException>(() => fresh.LoadStateDict(all)).Message);
        Assert.Equal(w, fresh.StateDict()["0.weight"].ToArray());
        // A strict load with exactly the module's keys reports nothing missing or unexpected.
        var exact = fresh.LoadStateDict(model.StateDict());
        Assert.Empty(exact.MissingKeys);
        Assert.Empty(exact.UnexpectedKeys);
        Assert.Equal(new[] { 5.0, 6 }, fresh.StateDict()["0.weight"].ToArray());
    }

    [Fact]
    public void Loading_checks_every_common_shape_and_value_before_copying_any()
    {
        var model = new Sequential(new Linear(2, 1, dtype: DType.Float64));
        var w = model.StateDict()["0.weight"].ToArray();
        var wrongShape = new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Ones([1, 2], DType.Float64), ["0.bias"] = Tensor.Ones([2], DType.Float64) };
        Assert.Contains("'0.bias' has shape [2], the module expects [1]", Assert.Throws<ArgumentException>(() => model.LoadStateDict(wrongShape, strict: false)).Message);
        var infinite = new Dictionary<string, Tensor> { ["0.weight"] = Tensor.Ones([1, 2], DType.Float64), ["0.bias"] = Tensor.Full([1], double.PositiveInfinity, DType.Float64) };
        Assert.Contains("'0.bias' [1] holds", Assert.Throws<ArgumentException>(() => model.LoadStateDict(infinite)).Message);
        // The weight, valid and first in order, was not copied: the check runs over all entries first.
        Assert.Equal(w, model.StateDict()["0.weight"].ToArray());
        Assert.Throws<ArgumentNullException>(() => model.LoadStateDict(null!));
    }

    [Fact]
    public void Train_and_Eval_set_the_mode_of_every_descendant_and_return_the_module()
    {
        var dropout = new Dropout(0.5);
        var inner = new Sequential(dropout);
        var model = new Sequential(inner, new ReLU());
        Assert.True(dropout.Training);
        Assert.Same(model, model.Eval());
        Assert.False(model.Training);
        Assert.False(inner.Training);
        Assert.False(dropout.Training);
        Assert.Same(model, model.Train());
        Assert.True(dropout.Training);
        model.Train(false);
        Assert.False(dropout.Training);
    }

    [Fact]
    public void ZeroGrad_clears_the_gradient_of_every_parameter_of_every_descendant()
    {
        var model = new Sequential(new Linear(2, 2, dtype: DType.Float64), new Sequential(new Linear(2, 1, dtype: DType.Float64)));
        F.Sum(model.Forward(Tensor.Ones([3, 2], DType.Float64))).Backward();
        Assert.All(model.Parameters(), p => Assert.NotNull(p.Grad));
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }
}
