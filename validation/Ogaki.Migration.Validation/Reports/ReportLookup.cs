using System.Text.Json;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>Where a pseudonymised key occurs in a run's report: a discrepancy, a reject or a finding, with its source location when known.</summary>
/// <param name="Category"><c>discrepancy:missingInTarget</c>, <c>reject:invalid-date</c>, <c>finding:taxpayer-unresolved</c>.</param>
/// <param name="Subject">The entity (discrepancies, findings) or the source (rejects).</param>
/// <param name="Key">The whole key as the report shows it (e.g. <c>p-…/2025</c>).</param>
/// <param name="Detail">Items or field concerned; never a value.</param>
public sealed record LookupHit(string Category, string Subject, string Key, string Detail, SourceLocation? Location);

/// <summary>
/// Finds a pseudonym in a <c>reconciliation.json</c> (the operator's way back from a report line to the legacy record:
/// <c>ogaki-migrate lookup</c>). It reads only pseudonyms, item ids and locations: a report holds no clear 個人番号.
/// </summary>
public static class ReportLookup
{
    /// <summary>The pseudonymisation key id the report was written with.</summary>
    public static string KeyId(ReadOnlyMemory<byte> json)
    {
        using var doc = Parse(json);
        return doc.RootElement.GetProperty("pseudonymisation").GetProperty("keyId").GetString() ?? "";
    }

    /// <summary>Every place <paramref name="pseudonym"/> is a part of a key (parts are joined with <c>/</c>), in report order.</summary>
    /// <exception cref="InvalidDataException">Not a reconciliation report.</exception>
    public static IReadOnlyList<LookupHit> Find(ReadOnlyMemory<byte> json, string pseudonym)
    {
        using var doc = Parse(json);
        var root = doc.RootElement;
        var hits = new List<LookupHit>();
        foreach (var e in root.GetProperty("entities").EnumerateArray())
        {
            var entity = e.GetProperty("entity").GetString()!;
            foreach (var d in e.GetProperty("discrepancies").EnumerateArray())
            {
                var key = d.GetProperty("key").GetString()!;
                if (!HasPart(key, pseudonym)) continue;
                SourceLocation? at = d.TryGetProperty("sourceLocation", out var l) && l.ValueKind == JsonValueKind.Object
                    ? new SourceLocation(l.GetProperty("file").GetString()!, l.GetProperty("recordNumber").GetInt64(), l.GetProperty("byteOffset").GetInt64())
                    : null;
                var items = string.Join(", ", d.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("itemId").GetString() + " " + f.GetProperty("nameJa").GetString()));
                hits.Add(new LookupHit("discrepancy:" + d.GetProperty("kind").GetString(), entity, key, items, at));
            }
        }
        foreach (var x in root.GetProperty("rejects").EnumerateArray())
        {
            if (!x.TryGetProperty("keyPseudonym", out var k) || k.GetString() is not { } key || !HasPart(key, pseudonym)) continue;
            var item = x.GetProperty("itemId").GetString() is { } id ? id + " " + x.GetProperty("itemNameJa").GetString() : "";
            hits.Add(new LookupHit("reject:" + x.GetProperty("reason").GetString(), x.GetProperty("source").GetString()!, key, item,
                new SourceLocation(x.GetProperty("file").GetString()!, x.GetProperty("recordNumber").GetInt64(), x.GetProperty("byteOffset").GetInt64(), x.GetProperty("field").GetString())));
        }
        if (root.GetProperty("validation") is { ValueKind: JsonValueKind.Object } v)
            foreach (var f in v.GetProperty("findings").EnumerateArray())
            {
                var key = f.GetProperty("key").GetString()!;
                if (!HasPart(key, pseudonym)) continue;
                var item = f.GetProperty("itemId").GetString() is { } id ? id + " " + f.GetProperty("itemNameJa").GetString() : "";
                hits.Add(new LookupHit("finding:" + f.GetProperty("rule").GetString(), f.GetProperty("entity").GetString()!, key, item, null));
            }
        return hits;
    }

    static bool HasPart(string key, string pseudonym) =>
        string.Equals(key, pseudonym, StringComparison.Ordinal) || key.Split('/').Contains(pseudonym, StringComparer.Ordinal);

    static JsonDocument Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException("not valid JSON: " + e.Message, e);
        }
        if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("schema", out var s) && s.GetString() == JsonReport.Schema) return doc;
        doc.Dispose();
        throw new InvalidDataException($"not a reconciliation report (schema {JsonReport.Schema})");
    }
}
