using Ogaki.Migration.Spec.Privacy;
using System.Globalization;
using System.Text;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>Aggregates notes in record order into counted report lines with up to 3 pseudonymised example keys.</summary>
internal sealed class ReportBuilder(Pseudonymizer pseudonymizer)
{
    const int Examples = 3;

    readonly Dictionary<(NoteKind, string, string, string, string), (long Count, List<string> Keys)> _lines = [];

    public void Add(MappingNote n, string recordKey)
    {
        var k = (n.Kind, n.System, n.Table, n.Value, n.Field);
        if (!_lines.TryGetValue(k, out var e)) e = (0, []);
        if (e.Keys.Count < Examples) e.Keys.Add(pseudonymizer.Pseudonymize(recordKey));
        _lines[k] = (e.Count + 1, e.Keys);
    }

    public IReadOnlyList<ReportLine> Lines(NoteKind kind) =>
        [.. _lines.Where(kv => kv.Key.Item1 == kind)
            .Select(kv => new ReportLine(kind.ToString(), kv.Key.Item2, kv.Key.Item3, kv.Key.Item4, kv.Key.Item5, kv.Value.Count, kv.Value.Keys))
            .OrderBy(l => l.System, StringComparer.Ordinal).ThenBy(l => l.Table, StringComparer.Ordinal)
            .ThenBy(l => l.Field, StringComparer.Ordinal).ThenBy(l => l.Value, StringComparer.Ordinal)];
}

/// <summary>Writes a run's counts and reports as deterministic Markdown.</summary>
internal static class MappingReportWriter
{
    public static string Write(MappingResult r)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append("# Mapping run\n\n");
        sb.Append(inv, $"Configuration SHA-256: `{r.ConfigSha256}`\n\n| File | SHA-256 | Bytes |\n|---|---|---|\n");
        foreach (var v in r.ConfigVersions) sb.Append(inv, $"| {v.Path} | `{v.Sha256}` | {v.Bytes} |\n");
        sb.Append("\n## Counts (read = mapped + rejected + excluded)\n\n| Source | Area | Read | Mapped | Rejected | Excluded | Balances |\n|---|---|---|---|---|---|---|\n");
        foreach (var c in r.Counts)
            sb.Append(inv, $"| {c.Source} | {c.Area} | {c.Read} | {c.Mapped} | {c.Rejected} | {c.Excluded} | {(c.Balances ? "yes" : "NO")} |\n");
        if (r.SourceProblems.Count > 0)
        {
            // Data lost before mapping: the run cannot be reconciled (only listed when there is some, so clean runs read as before).
            sb.Append("\n### Sources that do not account for their data\n\n| Source | Kind | Problem |\n|---|---|---|\n");
            foreach (var p in r.SourceProblems) sb.Append(inv, $"| {p.Source} | {p.Kind} | {p.Message.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }
        sb.Append("\n### Rejected by reason\n\n| Source | Reason | Records |\n|---|---|---|\n");
        foreach (var c in r.Counts)
            foreach (var (reason, n) in c.RejectedByReason) sb.Append(inv, $"| {c.Source} | {reason} | {n} |\n");
        sb.Append("\n### Excluded by reason\n\n| Source | Reason | Records |\n|---|---|---|\n");
        foreach (var c in r.Counts)
            foreach (var (reason, n) in c.ExcludedByReason) sb.Append(inv, $"| {c.Source} | {reason} | {n} |\n");
        sb.Append("\n### Standard records\n\n| Source | Entity | Records |\n|---|---|---|\n");
        foreach (var c in r.Counts)
            foreach (var (e, n) in c.RecordsByEntity) sb.Append(inv, $"| {c.Source} | {e} | {n} |\n");
        Section(sb, "Legacy codes without mapping", "Code table", r.UnmappedCodes);
        Section(sb, "外字 without mapping", "Table", r.UnmappedGaiji);
        Section(sb, "Addresses without ABR 町字", "Master", r.UnmatchedAddresses);
        Section(sb, "Non-existent / 不詳 dates (as 不詳フラグ + 不詳表記)", "Item", r.KeptUnknownDates);
        return sb.ToString();
    }

    static void Section(StringBuilder sb, string title, string tableHeader, IReadOnlyList<ReportLine> lines)
    {
        sb.Append(CultureInfo.InvariantCulture, $"\n## {title}\n\n| System | {tableHeader} | Field | Value | Records | Example keys |\n|---|---|---|---|---|---|\n");
        foreach (var l in lines)
            sb.Append(CultureInfo.InvariantCulture, $"| {l.System} | {l.Table} | {l.Field} | {Escape(l.Value)} | {l.Count} | {string.Join(' ', l.ExampleKeys)} |\n");
        if (lines.Count == 0) sb.Append("| — | — | — | — | 0 | — |\n");
    }

    static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);
}
