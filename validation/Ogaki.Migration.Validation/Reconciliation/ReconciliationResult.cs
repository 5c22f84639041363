using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>What the CLI should exit with.</summary>
public enum ReconciliationOutcome
{
    /// <summary>Everything matched: exit code 0.</summary>
    Reconciled = 0,
    /// <summary>The comparison ran and found differences (or validation errors): exit code 1.</summary>
    Discrepancies = 1,
    /// <summary>The comparison could not be completed (target unreachable, a table gone): exit code 3, the CLI's infrastructure failure.</summary>
    Error = 2,
}

/// <summary>The full result of a run's reconciliation: what the reports are written from.</summary>
public sealed class ReconciliationResult
{
    public const string SchemaVersion = "1.0";

    /// <summary>What reports and the console say when the development pseudonym key was used.</summary>
    public const string DevelopmentKeyWarning = "OGAKI_PSEUDONYM_KEY was not set: pseudonyms use the public development key and can be reversed. Not for production reports.";

    public required string SpecVersion { get; init; }

    public required RunMetadata Run { get; init; }

    public required string PseudonymKeyId { get; init; }

    public required PseudonymKeySource PseudonymKeySource { get; init; }

    public required ReportPrivacy Privacy { get; init; }

    /// <summary>Entities in the order given (normally spec catalog order).</summary>
    public required IReadOnlyList<EntityReconciliation> Entities { get; init; }

    /// <summary>Rejects sorted by source, file, record number, field, reason.</summary>
    public required IReadOnlyList<RejectEntry> Rejects { get; init; }

    public ValidationSummary? Validation { get; init; }

    public IReadOnlyList<ToleranceRule> Tolerances { get; init; } = [];

    /// <summary>Sources that lost data before mapping (control counts, truncation, empty, unreadable, expected counts).</summary>
    public IReadOnlyList<Ogaki.Migration.Mappers.Engine.SourceProblem> SourceProblems { get; init; } = [];

    /// <summary>Reasons the run is not reconciled: the sources' first, then in entity order.</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            var p = SourceProblems.Select(s => "source " + s).ToList();
            p.AddRange(Entities.SelectMany(e => e.Problems()));
            if (Validation is { Errors: > 0 } v) p.Add(FormattableString.Invariant($"validation: {v.Errors} errors"));
            return p;
        }
    }

    public ReconciliationOutcome Outcome =>
        Entities.Any(e => e.Error is not null) ? ReconciliationOutcome.Error
        : Problems.Count > 0 ? ReconciliationOutcome.Discrepancies
        : ReconciliationOutcome.Reconciled;

    /// <summary>The process exit code for this outcome, the one the reports print and the CLI returns: 0 reconciled, 1 discrepancies, 3 could not compare.</summary>
    public int ExitCode => Outcome switch
    {
        ReconciliationOutcome.Reconciled => 0,
        ReconciliationOutcome.Discrepancies => 1,
        _ => 3,
    };

    /// <summary>Builds a result with rejects sorted for deterministic reports.</summary>
    public static ReconciliationResult Create(string specVersion, RunMetadata run, Pseudonymizer pseudonymizer, ReportPrivacy privacy,
        IEnumerable<EntityReconciliation> entities, IEnumerable<RejectEntry>? rejects = null, ValidationSummary? validation = null,
        IEnumerable<ToleranceRule>? tolerances = null, IEnumerable<Ogaki.Migration.Mappers.Engine.SourceProblem>? sourceProblems = null) => new()
    {
        SpecVersion = specVersion,
        Run = run,
        PseudonymKeyId = pseudonymizer.KeyId,
        PseudonymKeySource = pseudonymizer.Source,
        Privacy = privacy,
        Entities = entities.ToList(),
        Rejects = (rejects ?? []).OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.File, StringComparer.Ordinal)
            .ThenBy(r => r.RecordNumber).ThenBy(r => r.Field, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal)
            .ThenBy(r => r.Message, StringComparer.Ordinal).ToList(),
        Validation = validation,
        Tolerances = (tolerances ?? []).ToList(),
        SourceProblems = (sourceProblems ?? []).ToList(),
    };
}
