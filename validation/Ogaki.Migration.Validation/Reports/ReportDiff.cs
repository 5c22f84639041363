using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ogaki.Migration.Validation.Reports;

/// <summary>A count that changed between two rehearsals.</summary>
public sealed record CountChange(string Entity, string Counter, long? Before, long? After);

/// <summary>A control total whose source or target value (or match status) changed between two rehearsals.</summary>
public sealed record TotalChange(string Entity, string Name, string NameJa, string Group, string? BeforeSource, string? BeforeTarget, bool? BeforeMatches,
    string? AfterSource, string? AfterTarget, bool? AfterMatches);

/// <summary>One rehearsal at a glance, for the summary of a comparison: its outcome and its headline counts.</summary>
public sealed record RunSummary(string RunId, string Outcome, int ExitCode, long? Read, long Mapped, long Loaded, long Matched, long Discrepancies,
    long Rejects, long ControlTotalsDiffering, long ValidationErrors)
{
    internal static RunSummary Of(JsonElement root)
    {
        var entities = root.GetProperty("entities").EnumerateArray().ToList();
        long Sum(string counter) => entities.Sum(e => e.GetProperty("counts").GetProperty(counter) is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : 0);
        var read = entities.All(e => e.GetProperty("counts").GetProperty("read").ValueKind == JsonValueKind.Number) ? Sum("read") : (long?)null;
        return new RunSummary(
            root.TryGetProperty("run", out var run) && run.ValueKind == JsonValueKind.Object ? run.GetProperty("runId").GetString() ?? "" : "",
            root.GetProperty("outcome").GetString() ?? "", root.GetProperty("exitCode").GetInt32(), read, Sum("mapped"), Sum("loaded"),
            Sum("matched") + Sum("matchedWithinTolerance"), Sum("missingInTarget") + Sum("unexpectedInTarget") + Sum("duplicate") + Sum("fieldMismatch"),
            root.GetProperty("rejects").GetArrayLength(),
            entities.Sum(e => e.GetProperty("controlTotals").EnumerateArray().Count(t => !t.GetProperty("matches").GetBoolean())),
            root.GetProperty("validation") is { ValueKind: JsonValueKind.Object } v ? v.GetProperty("errors").GetInt64() : 0);
    }

    /// <summary>The headline counts in display order (label, value).</summary>
    internal IEnumerable<(string Label, long? Value)> Lines() =>
    [
        ("読込 / read", Read), ("変換 / mapped", Mapped), ("登録 / loaded", Loaded), ("一致 / matched", Matched), ("差異 / discrepancies", Discrepancies),
        ("不正 / rejects", Rejects), ("管理合計の差異 / control totals differing", ControlTotalsDiffering), ("検証エラー / validation errors", ValidationErrors),
    ];
}

/// <summary>A discrepancy, reject or finding identified across rehearsals (by pseudonymised key, never a clear value).</summary>
public sealed record DiffItem(string Category, string Entity, string Identity, string Detail);

/// <summary>
/// Compares two <c>reconciliation.json</c> files of rehearsals: changed counts and control totals, new and
/// resolved discrepancies, rejects and validation findings. Keys compare only when both reports were
/// pseudonymised with the same key (<c>pseudonymisation.keyId</c>).
/// </summary>
public sealed class ReportDiff
{
    public required string BeforeOutcome { get; init; }

    /// <summary>The earlier run at a glance (outcome, headline counts).</summary>
    public RunSummary? Before { get; init; }

    /// <summary>The later run at a glance.</summary>
    public RunSummary? After { get; init; }

    public required string AfterOutcome { get; init; }

    /// <summary>False when the two reports used different pseudonymisation keys: key-based lists are then meaningless.</summary>
    public required bool KeysComparable { get; init; }

    /// <summary>True when a report listed only part of its discrepancies or findings, so new/resolved may be incomplete.</summary>
    public required bool Truncated { get; init; }

    public required IReadOnlyList<CountChange> CountChanges { get; init; }

    public required IReadOnlyList<TotalChange> TotalChanges { get; init; }

    public required IReadOnlyList<DiffItem> New { get; init; }

    public required IReadOnlyList<DiffItem> Resolved { get; init; }

    /// <summary>Discrepancies present in both whose differing items changed.</summary>
    public required IReadOnlyList<DiffItem> Changed { get; init; }

    public bool HasChanges => !string.Equals(BeforeOutcome, AfterOutcome, StringComparison.Ordinal) || CountChanges.Count + TotalChanges.Count + New.Count + Resolved.Count + Changed.Count > 0;

    public static ReportDiff CompareFiles(string beforePath, string afterPath) => Compare(File.ReadAllBytes(beforePath), File.ReadAllBytes(afterPath));

    public static ReportDiff Compare(string beforeJson, string afterJson) => Compare(Encoding.UTF8.GetBytes(beforeJson), Encoding.UTF8.GetBytes(afterJson));

    /// <exception cref="InvalidDataException">A file is not a reconciliation report.</exception>
    public static ReportDiff Compare(ReadOnlyMemory<byte> beforeJson, ReadOnlyMemory<byte> afterJson)
    {
        using var before = Parse(beforeJson, "before");
        using var after = Parse(afterJson, "after");
        var b = before.RootElement;
        var a = after.RootElement;
        var comparable = string.Equals(KeyId(b), KeyId(a), StringComparison.Ordinal);

        var counts = new List<CountChange>();
        var totals = new List<TotalChange>();
        var beforeEntities = Entities(b);
        var afterEntities = Entities(a);
        foreach (var name in beforeEntities.Keys.Union(afterEntities.Keys).Order(StringComparer.Ordinal))
        {
            beforeEntities.TryGetValue(name, out var be);
            afterEntities.TryGetValue(name, out var ae);
            var bc = CountsOf(be);
            var ac = CountsOf(ae);
            foreach (var counter in bc.Keys.Union(ac.Keys).Order(StringComparer.Ordinal))
            {
                var x = bc.GetValueOrDefault(counter);
                var y = ac.GetValueOrDefault(counter);
                if (x != y) counts.Add(new CountChange(name, counter, x, y));
            }
            var bt = TotalsOf(be);
            var at = TotalsOf(ae);
            foreach (var key in bt.Keys.Union(at.Keys).Order(StringComparer.Ordinal))
            {
                bt.TryGetValue(key, out var x);
                at.TryGetValue(key, out var y);
                if (x is not null && y is not null && x.Source == y.Source && x.Target == y.Target && x.Matches == y.Matches) continue;
                var any = (x ?? y)!;
                totals.Add(new TotalChange(name, any.Name, any.NameJa, any.Group, x?.Source, x?.Target, x?.Matches, y?.Source, y?.Target, y?.Matches));
            }
        }

        var bi = Items(b);
        var ai = Items(a);
        var added = ai.Where(p => !bi.ContainsKey(p.Key)).Select(p => p.Value).ToList();
        var resolved = bi.Where(p => !ai.ContainsKey(p.Key)).Select(p => p.Value).ToList();
        var changed = ai.Where(p => bi.TryGetValue(p.Key, out var old) && !string.Equals(old.Detail, p.Value.Detail, StringComparison.Ordinal))
            .Select(p => p.Value with { Detail = bi[p.Key].Detail + " → " + p.Value.Detail }).ToList();

        return new ReportDiff
        {
            BeforeOutcome = b.GetProperty("outcome").GetString() ?? "",
            Before = RunSummary.Of(b),
            After = RunSummary.Of(a),
            AfterOutcome = a.GetProperty("outcome").GetString() ?? "",
            KeysComparable = comparable,
            Truncated = IsTruncated(b) || IsTruncated(a),
            CountChanges = counts,
            TotalChanges = totals,
            New = added,
            Resolved = resolved,
            Changed = changed,
        };
    }

    static JsonDocument Parse(ReadOnlyMemory<byte> json, string which)
    {
        try
        {
            var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("schema", out var s)
                || !string.Equals(s.GetString(), JsonReport.Schema, StringComparison.Ordinal))
            {
                doc.Dispose();
                throw new InvalidDataException($"the {which} file is not a reconciliation report (schema {JsonReport.Schema})");
            }
            return doc;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"the {which} file is not valid JSON: {ex.Message}", ex);
        }
    }

    static string? KeyId(JsonElement root) => root.GetProperty("pseudonymisation").GetProperty("keyId").GetString();

    static bool IsTruncated(JsonElement root) =>
        root.GetProperty("entities").EnumerateArray().Any(e => e.GetProperty("discrepanciesTruncated").GetBoolean())
        || (root.GetProperty("validation") is { ValueKind: JsonValueKind.Object } v && v.GetProperty("truncated").GetBoolean());

    static Dictionary<string, JsonElement> Entities(JsonElement root) =>
        root.GetProperty("entities").EnumerateArray().ToDictionary(e => e.GetProperty("entity").GetString()!, StringComparer.Ordinal);

    static Dictionary<string, long?> CountsOf(JsonElement? entity)
    {
        var d = new Dictionary<string, long?>(StringComparer.Ordinal);
        if (entity is not { } e) return d;
        foreach (var p in e.GetProperty("counts").EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Number) d[p.Name] = p.Value.GetInt64();
            else if (p.Value.ValueKind == JsonValueKind.Null) d[p.Name] = null;
            else if (p.Value.ValueKind == JsonValueKind.Object)
                foreach (var r in p.Value.EnumerateObject()) d[p.Name + "." + r.Name] = r.Value.GetInt64();
        }
        return d;
    }

    sealed record Total(string Name, string NameJa, string Group, string? Source, string? Target, bool Matches);

    static Dictionary<string, Total> TotalsOf(JsonElement? entity)
    {
        var d = new Dictionary<string, Total>(StringComparer.Ordinal);
        if (entity is not { } e) return d;
        foreach (var t in e.GetProperty("controlTotals").EnumerateArray())
        {
            var total = new Total(t.GetProperty("name").GetString()!, t.GetProperty("nameJa").GetString()!, t.GetProperty("group").GetString()!,
                t.GetProperty("source").GetString(), t.GetProperty("target").GetString(), t.GetProperty("matches").GetBoolean());
            d[total.Name + "\u001F" + total.Group] = total;
        }
        return d;
    }

    static SortedDictionary<string, DiffItem> Items(JsonElement root)
    {
        var d = new SortedDictionary<string, DiffItem>(StringComparer.Ordinal);
        foreach (var e in root.GetProperty("entities").EnumerateArray())
        {
            var entity = e.GetProperty("entity").GetString()!;
            foreach (var x in e.GetProperty("discrepancies").EnumerateArray())
            {
                var kind = x.GetProperty("kind").GetString()!;
                var key = x.GetProperty("key").GetString()!;
                var fields = string.Join(",", x.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("itemId").GetString()));
                var detail = kind == "duplicate"
                    ? "source " + x.GetProperty("sourceCount").GetInt32().ToString(CultureInfo.InvariantCulture) + ", target " + x.GetProperty("targetCount").GetInt32().ToString(CultureInfo.InvariantCulture)
                    : fields;
                d["d\u001F" + entity + "\u001F" + key + "\u001F" + kind] = new DiffItem("discrepancy:" + kind, entity, key, detail);
            }
        }
        foreach (var x in root.GetProperty("rejects").EnumerateArray())
        {
            var identity = x.GetProperty("file").GetString() + "#" + x.GetProperty("recordNumber").GetInt64().ToString(CultureInfo.InvariantCulture)
                + (x.GetProperty("field").GetString() is { } f ? "." + f : "");
            var reason = x.GetProperty("reason").GetString()!;
            d["r\u001F" + identity + "\u001F" + reason] = new DiffItem("reject:" + reason, x.GetProperty("source").GetString()!, identity, x.GetProperty("message").GetString() ?? "");
        }
        if (root.GetProperty("validation") is { ValueKind: JsonValueKind.Object } v)
        {
            foreach (var x in v.GetProperty("findings").EnumerateArray())
            {
                var entity = x.GetProperty("entity").GetString()!;
                var key = x.GetProperty("key").GetString()!;
                var rule = x.GetProperty("rule").GetString()!;
                var item = x.GetProperty("itemId").GetString() ?? "";
                d["f\u001F" + entity + "\u001F" + key + "\u001F" + rule + "\u001F" + item] =
                    new DiffItem("finding:" + rule, entity, key + (item.Length > 0 ? " " + item : ""), x.GetProperty("severity").GetString() ?? "");
            }
        }
        return d;
    }

    /// <summary>The comparison as Markdown.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("# リハーサル比較 / Rehearsal comparison\n\n");
        sb.Append("## 概要 / Summary\n\n");
        sb.Append("- 結果 / Outcome: ").Append(BeforeOutcome).Append(" → ").Append(AfterOutcome).Append('\n');
        if (!KeysComparable) sb.Append("- **警告 / Warning:** the reports use different pseudonymisation keys; record keys cannot be matched, so every keyed item shows as new and resolved.\n");
        if (Truncated) sb.Append("- **注意 / Note:** a report lists only part of its discrepancies or findings; new/resolved lists may be incomplete.\n");
        sb.Append("- 変化 / Changes: ").Append(ChangeSummary()).Append('\n');
        if (!HasChanges) sb.Append("\nNo changes.\n");
        if (Before is { } rb && After is { } ra)
        {
            sb.Append("\n| | 前回 / Before | 今回 / After |\n|---|---:|---:|\n");
            sb.Append("| 実行 / Run | ").Append(rb.RunId).Append(" | ").Append(ra.RunId).Append(" |\n");
            sb.Append("| 結果 / Outcome | ").Append(rb.Outcome).Append(" (exit ").Append(rb.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(") | ")
              .Append(ra.Outcome).Append(" (exit ").Append(ra.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(") |\n");
            foreach (var ((label, x), (_, y)) in rb.Lines().Zip(ra.Lines()))
                sb.Append("| ").Append(label).Append(" | ").Append(MarkdownReport.N(x)).Append(" | ").Append(MarkdownReport.N(y)).Append(x == y ? "" : " ◀").Append(" |\n");
        }

        sb.Append("\n## 管理合計の変化 / Control total changes\n\n");
        if (TotalChanges.Count == 0) sb.Append("None.\n");
        else
        {
            sb.Append("| 対象 / Entity | 合計 / Total | 区分 / Group | 前回 移行元/移行先 / Before source/target | 今回 移行元/移行先 / After source/target |\n|---|---|---|---|---|\n");
            foreach (var t in TotalChanges)
                sb.Append("| ").Append(t.Entity).Append(" | ").Append(t.NameJa).Append(" | ").Append(t.Group).Append(" | ")
                  .Append(Pair(t.BeforeSource, t.BeforeTarget, t.BeforeMatches)).Append(" | ").Append(Pair(t.AfterSource, t.AfterTarget, t.AfterMatches)).Append(" |\n");
        }

        sb.Append("\n# 明細 / Detail\n");
        sb.Append("\n## 件数の変化 / Count changes\n\n");
        if (CountChanges.Count == 0) sb.Append("None.\n");
        else
        {
            sb.Append("| 対象 / Entity | 件数 / Counter | 前回 / Before | 今回 / After |\n|---|---|---:|---:|\n");
            foreach (var c in CountChanges)
                sb.Append("| ").Append(c.Entity).Append(" | ").Append(c.Counter).Append(" | ").Append(MarkdownReport.N(c.Before)).Append(" | ").Append(MarkdownReport.N(c.After)).Append(" |\n");
        }
        List("新規 / New", New);
        List("解消 / Resolved", Resolved);
        List("変化 / Changed", Changed);
        return sb.ToString();

        void List(string title, IReadOnlyList<DiffItem> items)
        {
            sb.Append("\n## ").Append(title).Append(" (").Append(MarkdownReport.N(items.Count)).Append(")\n\n");
            if (items.Count == 0)
            {
                sb.Append("None.\n");
                return;
            }
            sb.Append("| 分類 / Category | 対象 / Entity | キー / Key | 内容 / Detail |\n|---|---|---|---|\n");
            foreach (var i in items)
                sb.Append("| ").Append(i.Category).Append(" | ").Append(i.Entity).Append(" | ").Append(i.Identity.Replace("|", "\\|", StringComparison.Ordinal))
                  .Append(" | ").Append(i.Detail.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }
    }

    /// <summary>The comparison as plain text (one line per change), for a console.</summary>
    public string ToText()
    {
        var sb = new StringBuilder();
        sb.Append("== summary ==\n");
        if (Before is { } rb && After is { } ra)
        {
            sb.Append("runs: ").Append(rb.RunId).Append(" -> ").Append(ra.RunId).Append('\n');
            sb.Append("outcome: ").Append(rb.Outcome).Append(" (exit ").Append(rb.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(") -> ")
              .Append(ra.Outcome).Append(" (exit ").Append(ra.ExitCode.ToString(CultureInfo.InvariantCulture)).Append(")\n");
            foreach (var ((label, x), (_, y)) in rb.Lines().Zip(ra.Lines()))
                sb.Append("  ").Append(label.PadRight(32)).Append(MarkdownReport.N(x).PadLeft(12)).Append(" -> ").Append(MarkdownReport.N(y).PadLeft(12)).Append(x == y ? "" : "  *").Append('\n');
        }
        else sb.Append("outcome: ").Append(BeforeOutcome).Append(" -> ").Append(AfterOutcome).Append('\n');
        if (!KeysComparable) sb.Append("warning: different pseudonymisation keys; keyed items are not comparable\n");
        if (Truncated) sb.Append("note: a report is truncated; new/resolved may be incomplete\n");
        sb.Append("changes: ").Append(ChangeSummary()).Append('\n');
        if (TotalChanges.Count > 0) sb.Append("control totals that changed:\n");
        foreach (var t in TotalChanges)
            sb.Append("  ").Append(t.Name).Append(" [").Append(t.Group).Append("]: ").Append(Pair(t.BeforeSource, t.BeforeTarget, t.BeforeMatches))
              .Append(" -> ").Append(Pair(t.AfterSource, t.AfterTarget, t.AfterMatches)).Append('\n');
        if (!HasChanges)
        {
            sb.Append("no changes\n");
            return sb.ToString();
        }
        sb.Append("== detail ==\n");
        foreach (var c in CountChanges)
            sb.Append("count ").Append(c.Entity).Append('.').Append(c.Counter).Append(": ").Append(MarkdownReport.N(c.Before)).Append(" -> ").Append(MarkdownReport.N(c.After)).Append('\n');
        foreach (var i in New) sb.Append("new ").Append(i.Category).Append(' ').Append(i.Entity).Append(' ').Append(i.Identity).Append(' ').Append(i.Detail).Append('\n');
        foreach (var i in Resolved) sb.Append("resolved ").Append(i.Category).Append(' ').Append(i.Entity).Append(' ').Append(i.Identity).Append(' ').Append(i.Detail).Append('\n');
        foreach (var i in Changed) sb.Append("changed ").Append(i.Category).Append(' ').Append(i.Entity).Append(' ').Append(i.Identity).Append(' ').Append(i.Detail).Append('\n');
        return sb.ToString();
    }

    /// <summary>How many of each kind changed, in one line: counts, totals, then new/resolved/changed per category.</summary>
    string ChangeSummary()
    {
        static string By(IReadOnlyList<DiffItem> items, string category) =>
            MarkdownReport.N(items.Count(i => i.Category.StartsWith(category + ":", StringComparison.Ordinal)));
        var parts = new List<string>
        {
            MarkdownReport.N(CountChanges.Count) + " counts",
            MarkdownReport.N(TotalChanges.Count) + " control totals",
        };
        foreach (var c in new[] { "discrepancy", "reject", "finding" })
            parts.Add($"{c}: {By(New, c)} new, {By(Resolved, c)} resolved" + (c == "discrepancy" ? $", {By(Changed, c)} changed" : ""));
        return string.Join("; ", parts);
    }

    static string Pair(string? source, string? target, bool? matches) =>
        source is null && target is null ? "–" : (source ?? "–") + " / " + (target ?? "–") + (matches == false ? " (NG)" : "");
}
