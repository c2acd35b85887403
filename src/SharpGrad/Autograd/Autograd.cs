namespace SharpGrad;

/// <summary>Autograd switches and functional entry points: <see cref="NoGrad"/>, <c>Grad</c>, <see cref="DetectAnomaly"/>.</summary>
public static class Autograd
{
    [ThreadStatic] static int noGradDepth;
    [ThreadStatic] static int anomalyDepth;

    /// <summary>False inside a <see cref="NoGrad"/> scope: operations are then not recorded.</summary>
    public static bool IsGradEnabled => noGradDepth == 0;

    /// <summary>True inside a <see cref="DetectAnomaly"/> scope.</summary>
    public static bool IsAnomalyEnabled => anomalyDepth > 0;

    /// <summary>A scope in which no operation is recorded (like <c>torch.no_grad()</c>): <c>using (Autograd.NoGrad()) { ... }</c>.</summary>
    public static IDisposable NoGrad() => new Scope(() => noGradDepth++, () => noGradDepth--);

    /// <summary>A scope where recording is on again, even inside <see cref="NoGrad"/> (like <c>torch.enable_grad()</c>).</summary>
    public static IDisposable EnableGrad()
    {
        int saved = noGradDepth;
        return new Scope(() => noGradDepth = 0, () => noGradDepth = saved);
    }

    /// <summary>
    /// A scope that checks every forward output and every gradient for NaN/Inf and throws naming the first
    /// operation that produced one (like <c>torch.autograd.detect_anomaly()</c>).
    /// </summary>
    public static IDisposable DetectAnomaly() => new Scope(() => anomalyDepth++, () => anomalyDepth--);

    /// <summary>
    /// dOutputs/dInputs without touching any <see cref="Tensor.Grad"/> (like <c>torch.autograd.grad</c>). With
    /// <paramref name="createGraph"/> the returned gradients are themselves recorded, so they can be differentiated
    /// again (the gradient penalty of WGAN-GP needs this). An input the outputs do not depend on is an error,
    /// as in PyTorch, unless <paramref name="allowUnused"/> is set: it then gets null.
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor[]? gradOutputs = null,
        bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        foreach (var input in inputs)
            if (!input.RequiresGrad) throw new ArgumentException($"Autograd.Grad: input of shape {Shapes.Format(input.shape)} does not require grad");
        var grads = Engine.Run(outputs, gradOutputs, inputs, retainGraph || createGraph, createGraph, "Autograd.Grad");
        if (!allowUnused)
            for (int i = 0; i < grads.Length; i++)
                if (grads[i] is null)
                    throw new InvalidOperationException($"Autograd.Grad: input {i} (shape {Shapes.Format(inputs[i].shape)}) was not used to compute the outputs; pass allowUnused: true to get null");
        return grads;
    }

    /// <summary>Shorthand for one output and one input.</summary>
    public static Tensor Grad(Tensor output, Tensor input, Tensor? gradOutput = null, bool retainGraph = false, bool createGraph = false)
        => Grad([output], [input], gradOutput is null ? null : [gradOutput], retainGraph, createGraph)[0]!;

    /// <summary>
    /// Records <paramref name="output"/> as computed from <paramref name="inputs"/> by <paramref name="op"/>, when any
    /// input requires grad. <paramref name="backward"/> maps dL/dOutput to one dL/dInput per input (null where none);
    /// a gradient whose shape is the input's broadcast shape is summed back to the input's shape by the engine.
    /// </summary>
    internal static Tensor Record(string op, Tensor output, Tensor[] inputs, Func<Tensor, Tensor?[]> backward, params Tensor[] saved)
    {
        if (IsAnomalyEnabled) Anomaly.CheckForward(op, output, inputs);
        OpProfiler.OnOpDone(op);
        if (!IsGradEnabled) return output;
        bool any = false;
        foreach (var t in inputs) any |= t.RequiresGrad;
        if (!any) return output;
        var node = new Node(op, inputs, backward, saved) { Output = new WeakReference<Tensor>(output) };
        output.MarkNonLeaf(node);
        return output;
    }

    sealed class Scope : IDisposable
    {
        readonly Action exit;
        bool disposed;
        public Scope(Action enter, Action exit) { enter(); this.exit = exit; }
        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            exit();
        }
    }
}
