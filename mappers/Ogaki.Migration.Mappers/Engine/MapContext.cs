using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Conversions;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>One problem found while mapping a legacy record: reason code, the standard item and the legacy field.</summary>
/// <param name="Reason">Stable reason code (<see cref="MappingRejectReasons"/>).</param>
/// <param name="ItemId">Standard item id (00100022), or null for a record-level problem.</param>
/// <param name="ItemNameJa">The item's Japanese name (生年月日).</param>
/// <param name="Field">Legacy field path.</param>
/// <param name="Message">One sentence; never the value (it may be personal data, e.g. 個人番号).</param>
public sealed record RejectIssue(string Reason, string? ItemId, string? ItemNameJa, string? Field, string Message)
{
    public override string ToString() =>
        Reason + (ItemId is null ? "" : $" {ItemId} {ItemNameJa}") + (Field is null ? "" : $" [{Field}]") + ": " + Message;
}

/// <summary>What a report should know about a record (unmapped code, 外字, address), collected in record order.</summary>
public readonly record struct MappingNote(NoteKind Kind, string Table, string System, string Value, string Field);

public enum NoteKind
{
    UnmappedCode,
    UnmappedGaiji,
    UnmatchedAddress,
    /// <summary>A non-existent or 不詳 date carried by the 不詳 pair of a DATE item (Table = item id, Value = item name).</summary>
    KeptUnknownDate,
}

/// <summary>
/// Per-worker mapping state: the record being mapped, the current occurrence / chain code, and the problems
/// and notes found. Not thread-safe; each worker owns one.
/// </summary>
public sealed class MapContext(MappingConfig config, LinkIndex links)
{
    public MappingConfig Config { get; } = config;

    public LinkIndex Links { get; } = links;

    public LegacyRecord Record { get; internal set; } = null!;

    /// <summary>1-based occurrence of a <c>(*)</c> path; 0 when not iterating.</summary>
    public int Occurrence { get; internal set; }

    /// <summary>The code of the <c>@each</c> chain this record is made for, or null.</summary>
    public string? EachCode { get; internal set; }

    public List<RejectIssue> Issues { get; } = [];

    public List<MappingNote> Notes { get; } = [];

    /// <summary>Set when a code maps to <c>exclude</c> (住登外): the record goes to the excluded register.</summary>
    public string? ExcludeReason { get; internal set; }

    // One-entry memo of the last successful code lookup (see EntryConverter.MapCode).
    internal CodeMap? LastCodeMap;
    internal object? LastCodeRaw;
    internal CodeTarget? LastCodeTarget;

    // The 和暦 date resolved last, shared by its DATE item and its 不詳 pair (see EntryConverter.Wareki).
    internal object? LastDateConverter;
    internal int LastDateOccurrence;
    internal UnknownDateValue LastDate;

    // The address field split last (see EntryConverter.Address); reset with every record.
    internal AddressSplit Address { get; } = new();

    /// <summary>Ordinal set of items that already have a conversion problem (their spec violations are not repeated).</summary>
    internal HashSet<string> FailedItems { get; } = new(StringComparer.Ordinal);

    public void Fail(FieldMapEntry entry, SpecItem? item, string reason, string message)
    {
        Issues.Add(new RejectIssue(reason, item?.ItemId, item?.NameJa, entry.LegacyField.Length > 0 ? entry.LegacyField : null, message));
        if (item is not null) FailedItems.Add(item.ItemId);
    }

    public void Note(NoteKind kind, string table, string system, string value, string field) => Notes.Add(new MappingNote(kind, table, system, value, field));

    /// <summary>Starts mapping a new record: clears the problems and notes of the previous one.</summary>
    public void ResetRecord(LegacyRecord record)
    {
        Record = record;
        Occurrence = 0;
        EachCode = null;
        Issues.Clear();
        Notes.Clear();
        FailedItems.Clear();
        ExcludeReason = null;
        Address.Record = null;
        LastDateConverter = null;
    }
}

/// <summary>
/// A 和暦 source date as the standard carries it: a real Gregorian date, or 不詳 (an unknown or non-existent date,
/// standard §1.1.8) in the 〇〇_不詳フラグ / 〇〇_不詳表記 pair with the DATE left empty; all null when there is no date.
/// </summary>
internal readonly record struct UnknownDateValue(DateOnly? Date, bool? Unknown, string? Text);

/// <summary>One whole-text address field of one record, resolved (外字) and matched against the ABR master once.</summary>
internal sealed class AddressSplit
{
    public LegacyRecord? Record;
    public int Occurrence;
    public string? Field;
    /// <summary>The trimmed text with 外字 resolved; null when blank or when a 外字 is not in the table.</summary>
    public string? Text;
    /// <summary>The first unmapped 外字 (PUA scalar), or 0.</summary>
    public int UnmappedPua;
    public AddressMatch Match;
    public bool InCity;
}
