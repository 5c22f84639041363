using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Validation.Checks;
using Ogaki.Migration.Validation.Reconciliation;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>Writes <c>reconciliation.json</c> (schema: docs/reconciliation-schema.md). Amounts are strings (exact decimals).</summary>
public static class JsonReport
{
    public const string Schema = "ogaki-migration/reconciliation";

    public static byte[] Write(ReconciliationResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteString("schemaVersion", ReconciliationResult.SchemaVersion);
            w.WriteString("specVersion", r.SpecVersion);
            w.WriteString("outcome", Names.Outcome(r.Outcome));
            w.WriteNumber("exitCode", r.ExitCode);
            w.WriteStartObject("pseudonymisation");
            w.WriteString("keyId", r.PseudonymKeyId);
            w.WriteString("keySource", Names.KeySource(r.PseudonymKeySource));
            if (r.PseudonymKeySource == PseudonymKeySource.Development) w.WriteString("warning", Names.DevelopmentKeyWarning);
            else w.WriteNull("warning");
            w.WriteEndObject();
            w.WriteStartObject("privacy");
            w.WriteString("personalData", r.Privacy.UnmaskPersonalData ? "unmasked" : "masked");
            w.WriteString("identifiers", "pseudonymised");
            w.WriteString("secrets", "hmac");
            w.WriteEndObject();
            WriteArray(w, "problems", r.Problems, (w, p) => w.WriteStringValue(p));
            WriteObjects(w, "tolerances", r.Tolerances, (w, t) =>
            {
                w.WriteString("entity", t.Entity);
                w.WriteString("identifier", t.Identifier);
                w.WriteString("absoluteAmount", DecimalText.Format(t.AbsoluteAmount));
                w.WriteBoolean("ignore", t.Ignore);
            });

            WriteObjects(w, "areas", AreaTotals.Of(r), (w, a) =>
            {
                w.WriteString("area", a.Area);
                w.WriteString("nameJa", a.NameJa);
                WriteCounts(w, a.Counts);
            });

            WriteObjects(w, "entities", r.Entities, WriteEntity);

            WriteObjects(w, "rejects", r.Rejects, (w, x) =>
            {
                w.WriteString("source", x.Source);
                w.WriteString("file", x.File);
                w.WriteNumber("recordNumber", x.RecordNumber);
                w.WriteNumber("byteOffset", x.ByteOffset);
                w.WriteString("field", x.Field);
                w.WriteString("keyPseudonym", x.KeyPseudonym);
                w.WriteString("itemId", x.ItemId);
                w.WriteString("itemNameJa", x.ItemNameJa);
                w.WriteString("reason", x.Reason);
                w.WriteString("message", x.Message);
            });

            if (r.Validation is { } v) WriteValidation(w, v);
            else w.WriteNull("validation");

            // Run metadata last, so ReportScrubber can cut it without parsing.
            w.WriteStartObject("run");
            w.WriteString("runId", r.Run.RunId);
            w.WriteString("startedUtc", r.Run.StartedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("finishedUtc", r.Run.FinishedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("machine", r.Run.Machine);
            w.WriteString("toolVersion", r.Run.ToolVersion);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the array <paramref name="name"/>, one value per item.</summary>
    static void WriteArray<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeItem)
    {
        w.WriteStartArray(name);
        foreach (var item in items) writeItem(w, item);
        w.WriteEndArray();
    }

    /// <summary>Writes the array <paramref name="name"/>, one object per item; <paramref name="writeFields"/> writes its members.</summary>
    static void WriteObjects<T>(Utf8JsonWriter w, string name, IEnumerable<T> items, Action<Utf8JsonWriter, T> writeFields) =>
        WriteArray(w, name, items, (w, item) =>
        {
            w.WriteStartObject();
            writeFields(w, item);
            w.WriteEndObject();
        });

    static void WriteCounts(Utf8JsonWriter w, Counts c)
    {
        w.WriteStartObject("counts");
        WriteNullable(w, "read", c.Read);
        w.WriteNumber("mapped", c.Mapped);
        WriteNullable(w, "rejected", c.Rejected);
        WriteReasons(w, "rejectedByReason", c.RejectedByReason);
        WriteNullable(w, "excluded", c.Excluded);
        WriteReasons(w, "excludedByReason", c.ExcludedByReason);
        w.WriteNumber("loaded", c.Loaded);
        w.WriteNumber("matched", c.Matched);
        w.WriteNumber("matchedWithinTolerance", c.MatchedWithinTolerance);
        w.WriteNumber("missingInTarget", c.Missing);
        w.WriteNumber("unexpectedInTarget", c.Unexpected);
        w.WriteNumber("duplicate", c.Duplicates);
        w.WriteNumber("fieldMismatch", c.Mismatches);
        w.WriteEndObject();
        if (c.Balanced is { } b) w.WriteBoolean("balanced", b);
        else w.WriteNull("balanced");
        // The two verdicts, labelled: "balanced" above is the source accounting only.
        w.WriteStartObject("verdicts");
        w.WriteString("sourceAccounting", Names.Verdict(c.Balanced));
        w.WriteString("targetAgreement", Names.Verdict(c.TargetAgrees));
        w.WriteEndObject();
    }

    static void WriteReasons(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long>? reasons)
    {
        if (reasons is null)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        foreach (var (k, v) in reasons.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(k, v);
        w.WriteEndObject();
    }

    static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>The members of one entity object (the caller opens and closes it).</summary>
    static void WriteEntity(Utf8JsonWriter w, EntityReconciliation e)
    {
        w.WriteString("entity", e.Entity.Name);
        w.WriteString("area", e.Entity.Area);
        w.WriteString("nameJa", e.Entity.NameJa);
        w.WriteString("table", e.Entity.Table);
        WriteCounts(w, Counts.Of(e));
        w.WriteString("sourceDigest", e.SourceDigest);
        w.WriteString("targetDigest", e.TargetDigest);
        w.WriteString("error", e.Error);
        WriteObjects(w, "controlTotals", e.ControlTotals, (w, t) =>
        {
            w.WriteString("name", t.Name);
            w.WriteString("nameJa", t.NameJa);
            w.WriteString("group", t.Group);
            w.WriteString("source", DecimalText.Format(t.Source));
            w.WriteString("target", DecimalText.Format(t.Target));
            w.WriteString("difference", DecimalText.Format(t.Difference));
            w.WriteString("tolerance", DecimalText.Format(t.Tolerance));
            w.WriteBoolean("matches", t.Matches);
        });
        w.WriteBoolean("discrepanciesTruncated", e.DiscrepanciesTruncated);
        WriteObjects(w, "discrepancies", e.Discrepancies, (w, d) =>
        {
            w.WriteString("kind", Names.Kind(d.Kind));
            w.WriteString("key", d.Key);
            w.WriteNumber("sourceCount", d.SourceCount);
            w.WriteNumber("targetCount", d.TargetCount);
            if (d.Location is { } l)
            {
                w.WriteStartObject("sourceLocation");
                w.WriteString("file", l.File);
                w.WriteNumber("recordNumber", l.RecordNumber);
                w.WriteNumber("byteOffset", l.ByteOffset);
                w.WriteEndObject();
            }
            else w.WriteNull("sourceLocation");
            WriteObjects(w, "fields", d.Fields, (w, f) =>
            {
                w.WriteString("itemId", f.ItemId);
                w.WriteString("nameJa", f.ItemNameJa);
                w.WriteString("identifier", f.Identifier);
                w.WriteString("source", f.Source);
                w.WriteString("target", f.Target);
            });
        });
    }

    static void WriteValidation(Utf8JsonWriter w, ValidationSummary v)
    {
        w.WriteStartObject("validation");
        w.WriteStartObject("records");
        foreach (var (k, n) in v.RecordsByEntity.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(k, n);
        w.WriteEndObject();
        w.WriteNumber("errors", v.Errors);
        w.WriteNumber("warnings", v.Warnings);
        w.WriteNumber("infos", v.Infos);
        WriteObjects(w, "counts", v.Counts, (w, c) =>
        {
            w.WriteString("entity", c.Entity);
            w.WriteString("rule", c.RuleId);
            w.WriteString("severity", Names.Severity(c.Severity));
            w.WriteNumber("count", c.Count);
        });
        w.WriteBoolean("truncated", v.Truncated);
        WriteObjects(w, "findings", v.Findings, (w, f) =>
        {
            w.WriteString("entity", f.Entity);
            w.WriteString("key", f.Key);
            w.WriteString("itemId", f.ItemId);
            w.WriteString("itemNameJa", f.ItemNameJa);
            w.WriteString("severity", Names.Severity(f.Severity));
            w.WriteString("rule", f.RuleId);
            w.WriteString("message", f.Message);
        });
        w.WriteEndObject();
    }
}
/// <summary>Counts of an entity or an area, as reports show them, with the two verdicts kept apart: source accounting
/// (<see cref="Balanced"/>: read = mapped + rejected + excluded) and target agreement (<see cref="TargetAgrees"/>).</summary>
internal sealed record Counts(long? Read, long Mapped, long? Rejected, IReadOnlyDictionary<string, long>? RejectedByReason, long? Excluded,
    IReadOnlyDictionary<string, long>? ExcludedByReason, long Loaded, long Matched, long MatchedWithinTolerance, long Missing, long Unexpected,
    long Duplicates, long Mismatches, bool? Balanced, bool TargetAgrees)
{
    public static Counts Of(EntityReconciliation e) => new(e.SourceCounts?.Read, e.Mapped, e.SourceCounts?.Rejected, e.SourceCounts?.RejectedByReason,
        e.SourceCounts?.Excluded, e.SourceCounts?.ExcludedByReason, e.Loaded, e.Matched, e.MatchedWithinTolerance, e.MissingInTarget,
        e.UnexpectedInTarget, e.Duplicates, e.FieldMismatches, e.SourceBalanced, e.TargetAgrees);

    public static Counts Sum(IReadOnlyList<Counts> all)
    {
        static IReadOnlyDictionary<string, long>? Merge(IEnumerable<IReadOnlyDictionary<string, long>?> ds)
        {
            var list = ds.ToList();
            if (list.Any(d => d is null)) return null;
            var m = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var d in list)
                foreach (var (k, v) in d!) m[k] = m.GetValueOrDefault(k) + v;
            return m;
        }
        static long? SumOrNull(IEnumerable<long?> xs)
        {
            var l = xs.ToList();
            return l.Any(x => x is null) ? null : l.Sum(x => x!.Value);
        }
        return new Counts(SumOrNull(all.Select(c => c.Read)), all.Sum(c => c.Mapped), SumOrNull(all.Select(c => c.Rejected)),
            Merge(all.Select(c => c.RejectedByReason)), SumOrNull(all.Select(c => c.Excluded)), Merge(all.Select(c => c.ExcludedByReason)),
            all.Sum(c => c.Loaded), all.Sum(c => c.Matched), all.Sum(c => c.MatchedWithinTolerance), all.Sum(c => c.Missing),
            all.Sum(c => c.Unexpected), all.Sum(c => c.Duplicates), all.Sum(c => c.Mismatches),
            all.Any(c => c.Balanced == false) ? false : all.All(c => c.Balanced == true) ? true : null, all.All(c => c.TargetAgrees));
    }
}

internal sealed record AreaTotals(string Area, string NameJa, Counts Counts)
{
    public static IReadOnlyList<AreaTotals> Of(ReconciliationResult r) => r.Entities
        .GroupBy(e => (e.Entity.Area, e.Entity.AreaNameJa))
        .Select(g => new AreaTotals(g.Key.Area, g.Key.AreaNameJa, Counts.Sum(g.Select(Counts.Of).ToList())))
        .ToList();
}

internal static class Names
{
    public const string DevelopmentKeyWarning = ReconciliationResult.DevelopmentKeyWarning;

    /// <summary>A verdict as reports write it: <c>ok</c>, <c>ng</c>, or <c>unknown</c> when the counts were not given.</summary>
    public static string Verdict(bool? ok) => ok switch { true => "ok", false => "ng", null => "unknown" };

    /// <summary>Column headings and the one-line definitions printed under the counts table.</summary>
    public const string SourceAccountingHeading = "受入勘定 / Source accounting";
    public const string TargetAgreementHeading = "移行先照合 / Target agreement";
    public const string SourceAccountingDefinition = "read = mapped + rejected + excluded (every record read is accounted for; says nothing about the target)";
    public const string TargetAgreementDefinition = "loaded = mapped, every mapped row matched (exactly or within tolerance), no missing, unexpected, duplicate or mismatched row, every control total matches";

    public static string Outcome(ReconciliationOutcome o) => o switch
    {
        ReconciliationOutcome.Reconciled => "reconciled",
        ReconciliationOutcome.Discrepancies => "discrepancies",
        _ => "error",
    };

    public static string OutcomeJa(ReconciliationOutcome o) => o switch
    {
        ReconciliationOutcome.Reconciled => "一致 / reconciled",
        ReconciliationOutcome.Discrepancies => "差異あり / discrepancies",
        _ => "エラー / error",
    };

    public static string KeySource(PseudonymKeySource s) => s switch
    {
        PseudonymKeySource.Environment => "environment",
        PseudonymKeySource.Configured => "configured",
        _ => "development",
    };

    public static string Kind(DiscrepancyKind k) => k switch
    {
        DiscrepancyKind.MissingInTarget => "missingInTarget",
        DiscrepancyKind.UnexpectedInTarget => "unexpectedInTarget",
        DiscrepancyKind.Duplicate => "duplicate",
        _ => "fieldMismatch",
    };

    public static string KindJa(DiscrepancyKind k) => k switch
    {
        DiscrepancyKind.MissingInTarget => "移行先に欠落 / missing in target",
        DiscrepancyKind.UnexpectedInTarget => "移行先に余剰 / unexpected in target",
        DiscrepancyKind.Duplicate => "重複 / duplicate",
        _ => "項目不一致 / field mismatch",
    };

    public static string Severity(Validation.Checks.Severity s) => s switch
    {
        Validation.Checks.Severity.Error => "error",
        Validation.Checks.Severity.Warning => "warning",
        _ => "info",
    };
}
