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
    readonly Dictionary<string, Module> groups = [];

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
        var parts = name.Split('.');
        if (parts.Any(p => p.Length == 0) || !TryRegister(parts, t, buffer, out var registered))
        {
            // A name no module tree can hold (empty segment, or both a leaf and a prefix) is kept flat, dots replaced.
            string flat = name.Replace('.', '_');
            while (NamedParameters().Any(p => p.Key == flat) || NamedBuffers().Any(b => b.Key == flat) || groups.ContainsKey(flat)) flat += "_";
            registered = buffer ? RegisterBuffer(flat, t) : RegisterParameter(flat, t);
        }
        return registered;
    }

    bool TryRegister(string[] parts, Tensor t, bool buffer, out Tensor registered)
    {
        registered = t;
        Module owner = this;
        string path = "";
        for (int i = 0; i < parts.Length - 1; i++)
        {
            path = path.Length == 0 ? parts[i] : path + "." + parts[i];
            if (!groups.TryGetValue(path, out var child))
            {
                if (Owns(owner, parts[i])) return false;
                child = new OnnxParameterGroup();
                if (owner is OnnxParameterGroup g) g.AddChild(parts[i], child); else RegisterModule(parts[i], child);
                groups[path] = child;
            }
            owner = child;
        }
        string leaf = parts[^1];
        if (Owns(owner, leaf) || groups.ContainsKey(path.Length == 0 ? leaf : path + "." + leaf)) return false;
        registered = owner is OnnxParameterGroup group ? group.Add(leaf, t, buffer) : buffer ? RegisterBuffer(leaf, t) : RegisterParameter(leaf, t);
        return true;
    }

    static bool Owns(Module m, string name) =>
        m.NamedChildren().Any(c => c.Key == name) || m.NamedParameters().Any(p => p.Key == name) || m.NamedBuffers().Any(b => b.Key == name);

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

/// <summary>Holds an imported model's parameters under one dotted-name prefix.</summary>
internal sealed class OnnxParameterGroup : Module
{
    public Tensor Add(string name, Tensor t, bool buffer) => buffer ? RegisterBuffer(name, t) : RegisterParameter(name, t);

    public void AddChild(string name, Module child) => RegisterModule(name, child);

    public override Tensor Forward(Tensor input) => throw new InvalidOperationException("OnnxParameterGroup: holds parameters of an imported graph and computes nothing");
}
