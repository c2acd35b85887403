using SharpGrad.Nn;

namespace SharpGrad.IO.Onnx;

/// <summary>Holds an imported model's parameters under one dotted-name prefix.</summary>
internal sealed class OnnxParameterGroup : Module
{
    public Tensor Add(string name, Tensor t, bool buffer) => buffer ? RegisterBuffer(name, t) : RegisterParameter(name, t);

    public void AddChild(string name, Module child) => RegisterModule(name, child);

    public override Tensor Forward(Tensor input) => throw new InvalidOperationException("OnnxParameterGroup: holds parameters of an imported graph and computes nothing");
}
