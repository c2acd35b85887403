namespace SharpGrad.IO;

/// <summary>The contents of a safetensors file: tensors by name and the string metadata.</summary>
public sealed record SafetensorsFile(Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata);
