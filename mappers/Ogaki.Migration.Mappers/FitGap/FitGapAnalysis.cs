using System.Globalization;
using System.Text;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Mappers.Engine;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.FitGap;

/// <summary>The field names of one legacy record type (from its layout file, copybook, CSV header or table DDL).</summary>
public sealed record LegacyLayout(string System, string RecordType, IReadOnlyList<string> Fields)
{
    /// <summary>Reads a layout definition CSV (<c>record_type,name,offset,length,type,…</c>; <c>#</c> comment lines).</summary>
    public static IReadOnlyList<LegacyLayout> FromLayoutCsv(string path, string system)
    {
        var csv = CsvTable.Load(path);
        return [.. csv.Rows.GroupBy(r => csv.Get(r.Fields, "record_type"), StringComparer.Ordinal)
            .Select(g => new LegacyLayout(system, g.Key, g.Select(r => csv.Get(r.Fields, "name")).ToList()))];
    }

    /// <summary>
    /// The field names of a record as an adapter delivers it (any source: copybook, layout file, CSV header, table),
    /// group items and their children flattened in layout order.
    /// </summary>
    public static LegacyLayout FromRecord(Ogaki.Migration.Adapters.Sdk.LegacyRecord record, string system, string recordType)
    {
        var names = new List<string>();
        void Walk(Ogaki.Migration.Adapters.Sdk.LegacyGroup g)
        {
            for (var i = 0; i < g.Count; i++)
            {
                names.Add(g.NameAt(i));
                var v = g.ValueAt(i);
                if (v is IReadOnlyList<object?> list && list.Count > 0) v = list[0];
                if (v is Ogaki.Migration.Adapters.Sdk.LegacyGroup child) Walk(child);
            }
        }
        Walk(record.Fields);
        return new LegacyLayout(system, recordType, names);
    }

    /// <summary>Reads a CSV header line as the field list of one record type.</summary>
    public static LegacyLayout FromHeaderCsv(string path, string system, string recordType)
    {
        var csv = CsvTable.Load(path);
        return new LegacyLayout(system, recordType, [.. csv.Header]);
    }
}

/// <summary>A standard item and where it comes from.</summary>
public sealed record FitItem(string ItemId, string NameJa, Requirement Required, IReadOnlyList<string> LegacyFields, IReadOnlyList<string> Conversions);

/// <summary>Fit and gap of one entity fed by one system.</summary>
public sealed record EntityFitGap(string Entity, string EntityNameJa, IReadOnlyList<FitItem> Filled, IReadOnlyList<FitItem> NoSource);

/// <summary>Code values of one code table as seen from one system.</summary>
/// <param name="StandardCodesWithoutSource">Standard codes no legacy code maps to.</param>
/// <param name="LegacyCodesSeenUnmapped">Legacy codes seen in data without mapping (from a run), with record counts.</param>
public sealed record CodeFitGap(string TableId, string TableNameJa, IReadOnlyList<string> StandardCodesWithoutSource, IReadOnlyList<(string Code, long Records)> LegacyCodesSeenUnmapped);

/// <summary>Fit and gap of one legacy system.</summary>
public sealed record SystemFitGap(string System, IReadOnlyList<EntityFitGap> Entities, IReadOnlyList<string> UnusedLegacyFields, IReadOnlyList<CodeFitGap> Codes);

/// <summary>国の標準仕様と現行システムの比較分析 (fit-gap): data object and deterministic Markdown.</summary>
public sealed record FitGapReport(string SpecVersion, string ConfigSha256, IReadOnlyList<SystemFitGap> Systems)
{
    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# 国の標準仕様と現行システムの比較分析 (fit-gap)\n\n");
        sb.Append(inv, $"Standard spec {SpecVersion}; mapping configuration SHA-256 `{ConfigSha256}`.\n");
        foreach (var s in Systems)
        {
            sb.Append(inv, $"\n## {s.System}\n");
            foreach (var e in s.Entities)
            {
                sb.Append(inv, $"\n### {e.Entity} ({e.EntityNameJa}): {e.Filled.Count} filled, {e.NoSource.Count} without source\n\n");
                sb.Append("| Item | 項目名 | Req | Legacy field(s) | Conversion |\n|---|---|---|---|---|\n");
                foreach (var i in e.Filled)
                    sb.Append(inv, $"| {i.ItemId} | {i.NameJa} | {Req(i.Required)} | {string.Join(", ", i.LegacyFields)} | {string.Join(", ", i.Conversions)} |\n");
                sb.Append("\nWithout source:\n\n| Item | 項目名 | Req |\n|---|---|---|\n");
                foreach (var i in e.NoSource) sb.Append(inv, $"| {i.ItemId} | {i.NameJa} | {Req(i.Required)} |\n");
                if (e.NoSource.Count == 0) sb.Append("| — | — | — |\n");
            }
            sb.Append(inv, $"\n### Legacy fields never used ({s.UnusedLegacyFields.Count})\n\n");
            sb.Append(s.UnusedLegacyFields.Count == 0 ? "—\n" : string.Join("\n", s.UnusedLegacyFields.Select(f => "- " + f)) + "\n");
            sb.Append("\n### Code tables\n\n| Table | 名称 | Standard codes without a legacy code | Legacy codes seen unmapped (records) |\n|---|---|---|---|\n");
            foreach (var c in s.Codes)
                sb.Append(inv, $"| {c.TableId} | {c.TableNameJa} | {(c.StandardCodesWithoutSource.Count == 0 ? "—" : string.Join(" ", c.StandardCodesWithoutSource))} | {(c.LegacyCodesSeenUnmapped.Count == 0 ? "—" : string.Join(" ", c.LegacyCodesSeenUnmapped.Select(x => x.Code + " (" + x.Records.ToString(inv) + ")")))} |\n");
        }
        return sb.ToString();
    }

    static string Req(Requirement r) => r switch { Requirement.Mandatory => "M", Requirement.Conditional => "C", _ => "O" };
}

/// <summary>Builds the fit-gap report from the field maps, the legacy layouts and (optionally) a mapping run.</summary>
public static class FitGapAnalysis
{
    public static FitGapReport Analyze(MappingConfig config, IEnumerable<LegacyLayout> layouts, MappingResult? run = null, SpecCatalog? catalog = null)
    {
        catalog ??= StandardSpec.Catalog;
        var layoutList = layouts.ToList();
        var systems = new List<SystemFitGap>();
        foreach (var system in config.Systems.Union(layoutList.Select(l => l.System)).Distinct().Order(StringComparer.Ordinal))
        {
            var rows = config.Fields.Where(f => f.System == system).ToList();
            var entities = new List<EntityFitGap>();
            foreach (var entityName in rows.Select(r => r.Entity).Distinct(StringComparer.Ordinal))
            {
                var entity = catalog.FindEntity(entityName)!;
                var filled = new List<FitItem>();
                var gaps = new List<FitItem>();
                foreach (var item in entity.Items)
                {
                    var its = rows.Where(r => r.Entity == entityName && r.ItemId == item.ItemId).ToList();
                    var conversions = its.Select(r => r.Conversion).Distinct(StringComparer.Ordinal).ToList();
                    if (its.Count == 0 && PairedDate(entity, item) is { } date)
                    {
                        // A 不詳フラグ / 不詳表記 item is filled by the wareki row of its DATE item (the engine binds the pair).
                        its = [.. rows.Where(r => r.Entity == entityName && r.ItemId == date.ItemId && r.ConversionName is "wareki" or "wareki-text")];
                        conversions = [.. its.Select(r => r.Conversion + " (不詳 pair of " + date.ItemId + ")").Distinct(StringComparer.Ordinal)];
                    }
                    var fi = new FitItem(item.ItemId, item.NameJa, item.Required,
                        [.. its.Select(r => r.LegacyField.Length > 0 ? r.RecordType + ":" + r.LegacyField : "(constant)").Distinct(StringComparer.Ordinal)],
                        conversions);
                    (its.Count > 0 ? filled : gaps).Add(fi);
                }
                entities.Add(new EntityFitGap(entity.Name, entity.NameJa, filled, gaps));
            }
            entities.Sort((a, b) => Order(catalog, a.Entity).CompareTo(Order(catalog, b.Entity)));

            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in rows)
            {
                foreach (var name in FieldNames(r.LegacyField)) used.Add(r.RecordType + ":" + name);
                if (r.ConversionName is "wareki" && r.ConversionArgs.Length == 3)
                {
                    used.Add(r.RecordType + ":" + r.ConversionArgs[1]);
                    used.Add(r.RecordType + ":" + r.ConversionArgs[2]);
                }
                if (r.ConversionName is "machiaza" && r.ConversionArgs.Length == 1) used.Add(r.RecordType + ":" + r.ConversionArgs[0]);
            }
            var unused = layoutList.Where(l => l.System == system)
                .SelectMany(l => l.Fields.Where(f => !used.Contains(l.RecordType + ":" + f)).Select(f => l.RecordType + ":" + f))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

            var codes = new List<CodeFitGap>();
            foreach (var map in config.CodeMaps.Where(m => m.System == system))
            {
                var table = catalog.FindCodeTable(map.TableId)!;
                var targeted = new HashSet<string>(map.Entries.SelectMany(e => e.Value.Codes), StringComparer.Ordinal);
                var seen = run?.UnmappedCodes.Where(l => l.System == system && l.Table == map.TableId)
                    .GroupBy(l => l.Value, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(x => x.Count))).OrderBy(x => x.Key, StringComparer.Ordinal).ToList() ?? [];
                codes.Add(new CodeFitGap(map.TableId, table.NameJa, [.. table.Values.Select(v => v.Code).Where(c => !targeted.Contains(c))], seen));
            }
            systems.Add(new SystemFitGap(system, entities, unused, codes));
        }
        return new FitGapReport(catalog.Version, config.Sha256, systems);
    }

    static int Order(SpecCatalog catalog, string entity)
    {
        for (var i = 0; i < catalog.Entities.Count; i++)
            if (catalog.Entities[i].Name == entity) return i;
        return int.MaxValue;
    }

    static IEnumerable<string> FieldNames(string path)
    {
        if (path.Length == 0) yield break;
        foreach (var seg in path.Split('.'))
        {
            var p = seg.IndexOf('(', StringComparison.Ordinal);
            yield return p > 0 ? seg[..p] : seg;
        }
    }

    // The DATE item whose 不詳 pair this item belongs to, or null.
    static SpecItem? PairedDate(SpecEntity entity, SpecItem item)
    {
        foreach (var d in entity.Items)
            if (d.Type == ItemType.Date && entity.UnknownDatePair(d) is var (flag, text) && (ReferenceEquals(flag, item) || ReferenceEquals(text, item)))
                return d;
        return null;
    }
}
