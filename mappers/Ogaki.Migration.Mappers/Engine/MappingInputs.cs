// The inputs of a mapping run: its sources (MappingSource, SourceRole), the options and the callbacks that receive
// the mapped records.

using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>What a source holds, which fixes the processing order and the cross-area links checked.</summary>
public enum SourceRole
{
    /// <summary>世帯 (SETAI): mapped first; a household is emitted after the residents prove exactly one 世帯主.</summary>
    Households,
    /// <summary>住民 (JUMIN): residents, 除票 and 住登外 (excluded); each member's household must exist.</summary>
    Residents,
    /// <summary>異動履歴 (IDO_RIREKI).</summary>
    History,
    /// <summary>個人住民税 (ZEIMAST): every taxpayer must be a resident or a recorded 住登外 person.</summary>
    Tax,
    /// <summary>児童手当 受給者 (JUKYUSHA): must be a resident or 住登外 person.</summary>
    AllowanceRecipients,
    /// <summary>児童手当 対象児童 (TAISHO_JIDO): in the recipient's household or recorded as 別居.</summary>
    AllowanceChildren,
    /// <summary>児童手当 支払 (SHIHARAI): must belong to a recipient.</summary>
    AllowancePayments,
}

/// <summary>One legacy source for a run.</summary>
/// <param name="System">Legacy system = config folder (<c>opensys</c>, <c>csv</c>, <c>mainframe</c>, <c>sqlite</c>).</param>
/// <param name="Role">What the source holds.</param>
/// <param name="Adapter">The streaming reader.</param>
/// <param name="RecordType">Field-map record type for records whose own <see cref="LegacyRecord.RecordType"/> is empty or not in the map.</param>
/// <param name="RecordTypeAliases">Adapter record type → field-map record type (e.g. <c>ZM-DETAIL</c> → <c>D</c>).</param>
/// <param name="ExpectedRecords">Records the extract announces for this source (<see cref="ExpectedCounts"/>), or null.</param>
/// <param name="ExpectedFrom">The file that announces <paramref name="ExpectedRecords"/>, for messages.</param>
public sealed record MappingSource(string System, SourceRole Role, ILegacyAdapter Adapter, string RecordType, IReadOnlyDictionary<string, string>? RecordTypeAliases = null,
    long? ExpectedRecords = null, string? ExpectedFrom = null)
{
    public string Area => Role switch
    {
        SourceRole.Households or SourceRole.Residents or SourceRole.History => "JUKI",
        SourceRole.Tax => "KZEI",
        _ => "JTEA",
    };
}

/// <summary>Receives mapped records in deterministic order, batch by batch (e.g. to load them into a target).</summary>
/// <param name="entity">The records' entity.</param>
/// <param name="records">Records of one entity, in source order; the list is not reused after the call.</param>
public delegate ValueTask MappedRecordSink(SpecEntity entity, IReadOnlyList<IStandardRecord> records, CancellationToken cancellationToken);

/// <summary>Told where each mapped record came from (file, record, offset), just before the record goes to the sink.</summary>
public delegate void MappedRecordLocated(IStandardRecord record, SourceLocation location);

/// <summary>Run options.</summary>
/// <param name="Degree">Mapping workers (default: processor count, at least 1).</param>
/// <param name="BatchSize">Records per batch.</param>
/// <param name="Pseudonymizer">Pseudonyms for keys in reports (default: key from <c>OGAKI_PSEUDONYM_KEY</c>).</param>
/// <param name="Sink">Called with each batch's mapped records, in order, before the next batch is taken (streaming).</param>
/// <param name="RetainRecords">Keep every mapped record in <see cref="MappingResult.Records"/>; false for bounded memory with a sink.</param>
/// <param name="Progress">Called after each batch with the legacy records read so far over all sources (from the ordered stage, one thread at a time).</param>
/// <param name="Located">Told each mapped record's source location (so reports can say where a discrepancy came from).</param>
/// <param name="TempDirectory">Folder for the run's spill files: duplicate-key sets, the link index, households waiting for the 世帯主 check (default: the system temp folder); deleted when the run ends.</param>
public sealed record MappingOptions(int Degree = 0, int BatchSize = 256, Pseudonymizer? Pseudonymizer = null, MappedRecordSink? Sink = null, bool RetainRecords = true,
    Action<long>? Progress = null, MappedRecordLocated? Located = null, string? TempDirectory = null);
