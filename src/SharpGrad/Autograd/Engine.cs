namespace SharpGrad;

/// <summary>
/// Reverse-mode differentiation over the recorded graph: nodes are visited in reverse topological order (walk),
/// each receiving the sum of the gradients of its output's uses before it runs (accumulate), and released after it ran
/// (release: without retainGraph a node that saved tensors frees them and refuses a later backward; nodes that saved
/// none, such as views and sums, can run again; the rule is stated on <see cref="Node"/>). How gradient buffers are
/// reused for leaves' Grad is <see cref="GradBuffers"/>'s business.
/// </summary>
internal static class Engine
{
    /// <summary>
    /// Backpropagates from <paramref name="roots"/>. With <paramref name="inputs"/> null, gradients are accumulated
    /// into leaves' <see cref="Tensor.Grad"/>; otherwise they are returned, one per input, and no Grad is touched.
    /// </summary>
    public static Tensor?[] Run(Tensor[] roots, Tensor[]? rootGrads, Tensor[]? inputs, bool retainGraph, bool createGraph, string caller)
    {
        if (rootGrads is not null && rootGrads.Length != roots.Length)
            throw new ArgumentException($"{caller}: {rootGrads.Length} gradients for {roots.Length} outputs");
        var pending = new Dictionary<Node, Tensor>(ReferenceEqualityComparer.Instance);
        var buffers = new GradBuffers(createGraph);
        var leafGrads = inputs is null ? null : new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        var wanted = inputs is null ? null : new HashSet<Tensor>(inputs, ReferenceEqualityComparer.Instance);

        using (createGraph ? Autograd.EnableGrad() : Autograd.NoGrad())
        using (OpProfiler.EnterBackward())
        {
            for (int r = 0; r < roots.Length; r++)
            {
                var root = roots[r];
                if (!root.RequiresGrad)
                    throw new InvalidOperationException($"{caller}: tensor of shape {Shapes.Format(root.shape)} does not require grad and has no grad_fn");
                Tensor g;
                if (rootGrads is null || rootGrads[r] is null)
                {
                    if (root.Numel != 1)
                        throw new InvalidOperationException($"{caller}: grad can be implicitly created only for scalar outputs; this output has shape {Shapes.Format(root.shape)}, pass a gradient of that shape");
                    g = Tensor.Ones(root.shape, root.DType);
                }
                else
                {
                    g = rootGrads[r];
                    if (!Shapes.Equal(g.shape, root.shape))
                        throw new ArgumentException($"{caller}: gradient of shape {Shapes.Format(g.shape)} does not match output shape {Shapes.Format(root.shape)}");
                    if (g.DType != root.DType)
                        throw new ArgumentException($"{caller}: gradient dtype {g.DType.Name()} does not match output dtype {root.DType.Name()}");
                }
                Deliver(root, g, pending, leafGrads, wanted, buffers);
            }

            foreach (var node in TopologicalOrder(roots))
            {
                if (!pending.Remove(node, out var dLdO)) continue;
                if (node.Output is not null && node.Output.TryGetTarget(out var output))
                {
                    if (output.retainsGrad) buffers.Retain(output, dLdO);
                    if (wanted is not null && wanted.Contains(output)) leafGrads![output] = dLdO;
                }
                var inputsOfNode = node.Inputs;
                Tensor?[] grads;
                OpProfiler.BeginClosure();
                try { grads = node.Apply(dLdO); }
                catch (ArithmeticException ex) when (Autograd.IsAnomalyEnabled)
                {
                    throw new ArithmeticException($"DetectAnomaly: in the backward of {node.Name}: {ex.Message}", ex);
                }
                finally { OpProfiler.EndClosure(node.Name); }
                for (int i = 0; i < grads.Length; i++)
                {
                    var input = inputsOfNode[i];
                    var g = grads[i];
                    if (g is null || !input.RequiresGrad) continue;
                    g = SumToShape(node.Name, g, input);
                    if (Autograd.IsAnomalyEnabled) Anomaly.CheckBackward(node.Name, i, g);
                    Deliver(input, g, pending, leafGrads, wanted, buffers);
                }
                if (!retainGraph) node.Release();
            }
        }
        if (inputs is null) return [];
        var result = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) result[i] = leafGrads!.GetValueOrDefault(inputs[i]);
        return result;
    }

    static void Deliver(Tensor t, Tensor g, Dictionary<Node, Tensor> pending, Dictionary<Tensor, Tensor>? collected, HashSet<Tensor>? wanted,
        GradBuffers buffers)
    {
        if (t.GradFn is { } node)
        {
            pending[node] = pending.TryGetValue(node, out var sum) ? sum + g : g;
            return;
        }
        if (collected is not null)
        {
            if (wanted!.Contains(t)) collected[t] = collected.TryGetValue(t, out var sum) ? sum + g : g;
            return;
        }
        buffers.AccumulateLeaf(t, g);
    }

    /// <summary>Undo broadcasting: sum a gradient of the broadcast shape back to the input's shape.</summary>
    static Tensor SumToShape(string op, Tensor g, Tensor input)
    {
        if (Shapes.Equal(g.shape, input.shape)) return g;
        var target = input.shape;
        if (!Shapes.Equal(Shapes.Broadcast(op, target, g.shape), g.shape))
            throw new InvalidOperationException($"internal: {op} returned a gradient of shape {Shapes.Format(g.shape)} for an input of shape {Shapes.Format(target)}");
        return F.SumTo(g, target);
    }

    /// <summary>Nodes reachable from the roots, each after every node that uses its output (iterative DFS: graphs can be thousands deep).</summary>
    static List<Node> TopologicalOrder(Tensor[] roots)
    {
        var postOrder = new List<Node>();
        var visited = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node node, int next)>();
        foreach (var root in roots)
        {
            if (root.GradFn is null || !visited.Add(root.GradFn)) continue;
            stack.Push((root.GradFn, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (node.Released)
                    throw new InvalidOperationException($"{node.Name}: trying to backward through the graph a second time (its saved tensors were freed by the first Backward); pass retainGraph: true to the first call");
                if (next < node.Inputs.Length)
                {
                    stack.Push((node, next + 1));
                    var child = node.Inputs[next].GradFn;
                    if (child is not null && visited.Add(child)) stack.Push((child, 0));
                }
                else postOrder.Add(node);
            }
        }
        postOrder.Reverse();
        return postOrder;
    }
}
