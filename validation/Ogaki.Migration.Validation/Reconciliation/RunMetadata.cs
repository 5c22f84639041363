namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>Run identity and timing: the only part of a report that differs between identical runs (tests scrub it).</summary>
public sealed record RunMetadata(string RunId, DateTimeOffset StartedUtc, DateTimeOffset FinishedUtc, string Machine, string ToolVersion)
{
    public static RunMetadata Now(string runId, DateTimeOffset started) => new(runId, started, DateTimeOffset.UtcNow, System.Environment.MachineName,
        Validation.Reports.ToolVersion.Current);
}
