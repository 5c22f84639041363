using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Validation.Privacy;

namespace Ogaki.Migration.Validation.Reconciliation;

/// <summary>A rejected input as reports show it (the raw bytes are never reported).</summary>
/// <param name="Reason">Stable reason code (<c>invalid-packed-decimal</c>, <c>mapping:required</c>).</param>
/// <param name="Message">The reason as one sentence; never a value.</param>
public sealed record RejectEntry(string Source, string File, long RecordNumber, long ByteOffset, string? Field, string Reason, string Message)
{
    /// <summary>The record's pseudonymised key (<c>p-…</c>), when the record got as far as having one.</summary>
    public string? KeyPseudonym { get; init; }

    /// <summary>The standard item the problem is in (00100022), or null for a record-level problem.</summary>
    public string? ItemId { get; init; }

    /// <summary>The item's Japanese name (項目名, e.g. 生年月日).</summary>
    public string? ItemNameJa { get; init; }

    /// <summary>From an adapter reject; a 個人番号 in the message is redacted.</summary>
    public static RejectEntry From(string source, LegacyReject reject) => new(source, reject.Location.File, reject.Location.RecordNumber,
        reject.Location.ByteOffset, reject.Location.Field, reject.Reason, PersonalDataScanner.RedactMyNumbers(reject.Message));

    /// <summary>One entry per problem of a record the mapping rejected, each with its own key, item and reason fields.</summary>
    public static IEnumerable<RejectEntry> From(Mappers.Engine.MappingReject reject) => reject.Issues.Select(i => new RejectEntry(reject.Source, reject.Location.File,
        reject.Location.RecordNumber, reject.Location.ByteOffset, i.Field ?? reject.Location.Field, i.Reason, PersonalDataScanner.RedactMyNumbers(i.Message))
    {
        KeyPseudonym = reject.PseudonymKey,
        ItemId = i.ItemId,
        ItemNameJa = i.ItemNameJa,
    });
}
