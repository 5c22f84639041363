using Ogaki.Migration.Spec;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Checks;

/// <summary>How many findings one rule produced in one entity.</summary>
public sealed record RuleCount(string Entity, string RuleId, Severity Severity, long Count);

/// <summary>The outcome of validating a run's standard records.</summary>
public sealed class ValidationSummary
{
    public required IReadOnlyDictionary<string, long> RecordsByEntity { get; init; }

    /// <summary>Counts per entity, rule and severity, ordinal order.</summary>
    public required IReadOnlyList<RuleCount> Counts { get; init; }

    /// <summary>Findings in detail, sorted (entity, key, rule, item); at most <see cref="ValidationOptions.MaxFindingDetails"/>.</summary>
    public required IReadOnlyList<Finding> Findings { get; init; }

    public bool Truncated { get; init; }

    public long Errors => Counts.Where(c => c.Severity == Severity.Error).Sum(c => c.Count);

    public long Warnings => Counts.Where(c => c.Severity == Severity.Warning).Sum(c => c.Count);

    public long Infos => Counts.Where(c => c.Severity == Severity.Info).Sum(c => c.Count);
}

/// <summary>
/// Validates a stream of standard records (any entities, any order): per-record rules as each record is
/// added, cross-record rules on <see cref="Complete"/>. The CLI's <c>dry-run</c> feeds it every mapped record.
/// The cross-record keys spill to <c>tempDirectory</c>; <see cref="Complete"/> (or <see cref="Dispose"/>) deletes them.
/// </summary>
public sealed class ValidationRun : IDisposable
{
    readonly StandardRecordValidator _record;
    readonly CrossRecordValidator _cross;
    readonly ValidationOptions _options;
    readonly Dictionary<string, long> _records = new(StringComparer.Ordinal);
    readonly Dictionary<(string Entity, string Rule, Severity Severity), long> _counts = [];
    readonly List<Finding> _details = [];
    readonly List<Finding> _scratch = [];
    bool _truncated;

    /// <param name="options">Validation settings.</param>
    /// <param name="renderer">Renders values and pseudonymises keys.</param>
    /// <param name="tempDirectory">Folder of the cross-record spill files (keys with personal data; default: the system temp folder).</param>
    public ValidationRun(ValidationOptions options, ValueRenderer renderer, string? tempDirectory = null)
    {
        _options = options;
        _record = new StandardRecordValidator(options, renderer);
        _cross = new CrossRecordValidator(options, renderer, tempDirectory);
    }

    /// <summary>Deletes the cross-record spill files of a run that did not complete.</summary>
    public void Dispose() => _cross.Dispose();

    public void Add(IStandardRecord record)
    {
        _records[record.Entity.Name] = _records.GetValueOrDefault(record.Entity.Name) + 1;
        _scratch.Clear();
        _record.Validate(record, _scratch);
        _cross.Observe(record, _scratch);
        Keep(_scratch);
    }

    public async Task AddAllAsync(IAsyncEnumerable<IStandardRecord> records, CancellationToken cancellationToken = default)
    {
        await foreach (var r in records.WithCancellation(cancellationToken)) Add(r);
    }

    /// <summary>Runs the cross-record rules and summarises; <paramref name="outside"/> tells them about 住登外者 and rejected records.</summary>
    public ValidationSummary Complete(OutsideRecords? outside = null)
    {
        _scratch.Clear();
        _cross.Complete(_scratch, outside);
        Keep(_scratch);
        return new ValidationSummary
        {
            RecordsByEntity = new SortedDictionary<string, long>(_records, StringComparer.Ordinal),
            Counts = _counts.Select(p => new RuleCount(p.Key.Entity, p.Key.Rule, p.Key.Severity, p.Value))
                .OrderBy(c => c.Entity, StringComparer.Ordinal).ThenBy(c => c.RuleId, StringComparer.Ordinal).ThenBy(c => c.Severity).ToList(),
            Findings = _details.OrderBy(f => f.Entity, StringComparer.Ordinal).ThenBy(f => f.Key, StringComparer.Ordinal)
                .ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.ItemId, StringComparer.Ordinal)
                .ThenBy(f => f.Message, StringComparer.Ordinal).ToList(),
            Truncated = _truncated,
        };
    }

    void Keep(List<Finding> findings)
    {
        foreach (var f in findings)
        {
            var k = (f.Entity, f.RuleId, f.Severity);
            _counts[k] = _counts.GetValueOrDefault(k) + 1;
            if (_details.Count < _options.MaxFindingDetails) _details.Add(f);
            else _truncated = true;
        }
    }
}
