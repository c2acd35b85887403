using SharpGrad.IO.Onnx.Proto;
using SharpGrad.Nn;

namespace SharpGrad.IO.Onnx;

/// <summary>
/// A model imported from an ONNX file (<see cref="Onnx.Load(string)"/>): its graph runs as SharpGrad ops, its float
/// initializers are Parameters under their ONNX names (so it can be fine-tuned, saved and exported again), and
/// BatchNormalization's running statistics are buffers.
/// </summary>
public sealed class OnnxModule : Module
{
    readonly (OnnxNode node, OnnxKernel kernel)[] nodes;
    readonly Dictionary<string, Tensor> initializers;          // float initializers: the registered parameters and buffers
    readonly Dictionary<string, OnnxValue> constants;          // integer initializers (shapes, axes)
    readonly Dictionary<string, Module> groups = [];           // dotted prefix → the module holding its names
    readonly HashSet<string> leaves = [];                        // dotted names of registered tensors
    const int MaxDepth = 16;                                     // deeper dotted names stay flat

    internal ModelProto Model { get; }

    /// <summary>The opset version of the default domain the file imports.</summary>
    public long Opset { get; }

    /// <summary>The graph's inputs that are not initializers, in order.</summary>
    public IReadOnlyList<string> InputNames { get; }

    /// <summary>The graph's outputs, in order.</summary>
    public IReadOnlyList<string> OutputNames { get; }

    internal OnnxModule(ModelProto model, long opset, (OnnxNode, OnnxKernel)[] nodes, Dictionary<string, OnnxValue> decoded, HashSet<string> bufferNames)
    {
        (Model, Opset, this.nodes) = (model, opset, nodes);
        initializers = [];
        constants = [];
        foreach (var (name, value) in decoded)
        {
            if (value.Float is { } t) initializers[name] = Register(name, t, bufferNames.Contains(name));
            else constants[name] = value;
        }
        InputNames = [.. model.Graph.Input.Select(i => i.Name).Where(n => !decoded.ContainsKey(n))];
        OutputNames = [.. model.Graph.Output.Select(o => o.Name)];
    }

    /// <summary>Registers an initializer under its dotted name (<c>0.weight</c> becomes child 0's weight), so the state dict uses ONNX's names.</summary>
    Tensor Register(string name, Tensor t, bool buffer)
    {
        var parts = name.Split('.', MaxDepth + 1);
        if (parts.Length > MaxDepth || parts.Any(p => p.Length == 0) || !TryRegister(parts, t, buffer, out var registered))
        {
            // A name no module tree can hold (an empty segment, too deep, or both a leaf and a prefix) is kept flat,
            // dots replaced, numbered if that is taken too.
            string flat = name.Replace('.', '_');
            for (int k = leaves.Count; leaves.Contains(flat) || groups.ContainsKey(flat); k++) flat = $"{name.Replace('.', '_')}_{k}";
            leaves.Add(flat);
            registered = buffer ? RegisterBuffer(flat, t) : RegisterParameter(flat, t);
        }
        return registered;
    }

    bool TryRegister(string[] parts, Tensor t, bool buffer, out Tensor registered)
    {
        registered = t;
        string leafPath = string.Join('.', parts);
        if (leaves.Contains(leafPath) || groups.ContainsKey(leafPath)) return false;
        for (int i = 1; i < parts.Length; i++)
            if (leaves.Contains(string.Join('.', parts[..i]))) return false;
        Module owner = this;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            string path = string.Join('.', parts[..(i + 1)]);
            if (!groups.TryGetValue(path, out var child))
            {
                var group = new OnnxParameterGroup();
                if (owner is OnnxParameterGroup g) g.AddChild(parts[i], group); else RegisterModule(parts[i], group);
                groups[path] = child = group;
            }
            owner = child;
        }
        leaves.Add(leafPath);
        registered = owner is OnnxParameterGroup holder ? holder.Add(parts[^1], t, buffer) : buffer ? RegisterBuffer(parts[^1], t) : RegisterParameter(parts[^1], t);
        return true;
    }

    /// <summary>Runs the graph on one input and returns its first output (a float tensor).</summary>
    public override Tensor Forward(Tensor input)
    {
        if (InputNames.Count != 1)
            throw new ArgumentException($"OnnxModule.Forward: the graph has {InputNames.Count} inputs ({string.Join(", ", InputNames)}); use Run");
        return Run([input])[0];
    }

    /// <summary>Runs the graph on its inputs (in <see cref="InputNames"/> order) and returns the float outputs in <see cref="OutputNames"/> order.</summary>
    public IReadOnlyList<Tensor> Run(IReadOnlyList<Tensor> inputs) =>
        [.. Run(inputs.Select(OnnxValue.Of).ToList()).Select((v, i) => v.Float ?? throw new OnnxRuntimeException($"OnnxModule.Run: output '{OutputNames[i]}' is {v.ElemType}, not a float tensor"))];

    internal OnnxValue[] Run(IReadOnlyList<OnnxValue> inputs)
    {
        if (inputs.Count != InputNames.Count)
            throw new ArgumentException($"OnnxModule.Run: the graph takes {InputNames.Count} inputs ({string.Join(", ", InputNames)}), got {inputs.Count}");
        var env = new Dictionary<string, OnnxValue>(constants);
        foreach (var (name, t) in initializers) env[name] = OnnxValue.Of(t);
        for (int i = 0; i < inputs.Count; i++) env[InputNames[i]] = inputs[i];
        foreach (var (node, kernel) in nodes)
        {
            var args = node.Proto.Input.Select(name => name.Length == 0 ? null : env[name]).ToArray();
            var results = kernel(args);
            for (int o = 0; o < node.Proto.Output.Count; o++)
            {
                string name = node.Proto.Output[o];
                if (name.Length == 0) continue;
                env[name] = (o < results.Length ? results[o] : null)
                    ?? throw new OnnxRuntimeException($"{node.Where}: output {o} ('{name}') is not computed");
            }
        }
        return [.. OutputNames.Select(name => env[name])];
    }

    /// <summary>The model with its initializers set to the current parameter and buffer values.</summary>
    internal ModelProto WithCurrentValues()
    {
        var model = Model.Clone();
        var graph = model.Graph;
        for (int i = 0; i < graph.Initializer.Count; i++)
            if (initializers.TryGetValue(graph.Initializer[i].Name, out var t))
                graph.Initializer[i] = OnnxTensors.Encode(graph.Initializer[i].Name, t);
        return model;
    }
}
