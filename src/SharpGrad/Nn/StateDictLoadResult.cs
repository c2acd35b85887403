namespace SharpGrad.Nn;

/// <summary>What <see cref="Module.LoadStateDict"/> did not match, like PyTorch's <c>_IncompatibleKeys</c>: keys the module has that the dict lacks, and the reverse.</summary>
public sealed record StateDictLoadResult(IReadOnlyList<string> MissingKeys, IReadOnlyList<string> UnexpectedKeys);
