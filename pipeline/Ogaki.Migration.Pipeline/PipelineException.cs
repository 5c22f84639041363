namespace Ogaki.Migration.Pipeline;

/// <summary>What kind of failure stopped a run; the command line maps it to its exit code.</summary>
public enum FailureKind
{
    /// <summary>Invalid input or configuration: a missing or malformed file, an unusable setting.</summary>
    InvalidInput,

    /// <summary>Infrastructure: the target or the artifact store is unreachable or failed, a disk is full.</summary>
    Infrastructure,
}

/// <summary>A failure of a run the operator can act on: one clear sentence (what, where, what to do) and its kind.</summary>
public sealed class PipelineException(string message, FailureKind kind = FailureKind.InvalidInput, Exception? inner = null) : Exception(message, inner)
{
    public FailureKind Kind { get; } = kind;
}
