namespace Ogaki.Migration.Cli;

/// <summary>Exit codes of ogaki-migrate (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Success; for dry-run and reconcile: everything reconciles.</summary>
    public const int Ok = 0;

    /// <summary>The work ran, and found discrepancies (reconciliation, verify, conformance failures).</summary>
    public const int Discrepancies = 1;

    /// <summary>Invalid input or configuration: unknown option, missing file, unreadable configuration, malformed layout.</summary>
    public const int InvalidInput = 2;

    /// <summary>Infrastructure failure: database or blob endpoint unreachable, disk full.</summary>
    public const int Infrastructure = 3;

    /// <summary>Cancelled by the operator (Ctrl-C, SIGTERM); a dry run can be resumed with the run id it printed (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>An unexpected internal error (a bug): run again with --verbose and report it.</summary>
    public const int InternalError = 70;

    /// <summary>The exit code of a run's failure.</summary>
    public static int Of(Ogaki.Migration.Pipeline.FailureKind kind) =>
        kind == Ogaki.Migration.Pipeline.FailureKind.Infrastructure ? Infrastructure : InvalidInput;
}

/// <summary>A failure the user can act on: one clear sentence (what, where, what to do) and its exit code.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.InvalidInput, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
