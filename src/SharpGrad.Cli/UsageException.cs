namespace SharpGrad.Cli;

/// <summary>A mistake on the command line or in the environment; the message names the option and what it expects (exit 2).</summary>
public sealed class UsageException(string message) : Exception(message);
