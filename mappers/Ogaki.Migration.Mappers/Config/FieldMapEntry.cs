using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>
/// One row of a legacy system's field map (<c>&lt;system&gt;/fields.csv</c>, columns
/// <c>record_type,legacy_field,entity,item_id,conversion,notes</c>).
/// </summary>
/// <remarks>
/// <para><c>legacy_field</c> is a layout path: <c>SHIMEI</c>, <c>ZM-GETSUWARI-GAKU(3)</c> (1-based OCCURS index)
/// or <c>ZM-SHOTOKU-TBL(*).ZM-SHOTOKU-CD</c>, where <c>(*)</c> makes one standard record per occurrence.</para>
/// <para><c>item_id</c> is a spec item id, or a directive: <c>@when</c> (an occurrence is emitted only when the
/// conversion <c>nonblank</c>/<c>positive</c> holds for this field), <c>@each</c> (one standard record per code of
/// the mapped code chain, e.g. 徴収区分 combinations) or <c>@check</c> (convert to catch defects, no item).</para>
/// <para><c>conversion</c> is <c>name[:arg[:arg…]][;each=CODE]</c>; <c>;each=</c> limits the row to the record
/// made for that code of the <c>@each</c> chain. Several rows may fill one item: the first non-empty wins.</para>
/// </remarks>
public sealed record FieldMapEntry(
    string System,
    string File,
    int Line,
    string RecordType,
    string LegacyField,
    string Entity,
    string ItemId,
    string Conversion,
    string Notes)
{
    public const string When = "@when";
    public const string Each = "@each";
    public const string Check = "@check";

    /// <summary>The conversion name (before the first colon).</summary>
    public string ConversionName => Split().Name;

    /// <summary>The conversion arguments (after the name, colon separated).</summary>
    public string[] ConversionArgs => Split().Args;

    /// <summary>The <c>;each=</c> condition, or null.</summary>
    public string? EachCondition => Split().Each;

    public bool IsDirective => ItemId.StartsWith('@');

    /// <summary>Where the row is, for messages.</summary>
    public string Where => $"{File} line {Line}";

    (string Name, string[] Args, string? Each) Split()
    {
        var conv = Conversion;
        string? each = null;
        var semi = conv.IndexOf(';', StringComparison.Ordinal);
        if (semi >= 0)
        {
            var opt = conv[(semi + 1)..].Trim();
            conv = conv[..semi];
            if (opt.StartsWith("each=", StringComparison.Ordinal)) each = opt[5..];
        }
        var parts = conv.Split(':');
        return (parts[0].Trim(), parts[1..], each);
    }

    static readonly Dictionary<string, ItemType[]> Allowed = new(StringComparer.Ordinal)
    {
        ["text"] = [ItemType.Text],
        ["kana"] = [ItemType.Kana, ItemType.Text],
        ["codename"] = [ItemType.Text],
        ["lgpref"] = [ItemType.Text],
        ["lgcity"] = [ItemType.Text],
        ["digits"] = [ItemType.Digits, ItemType.Text],
        ["digits-nz"] = [ItemType.Digits, ItemType.Text],
        ["mynumber"] = [ItemType.Digits],
        ["machiaza"] = [ItemType.Digits],
        ["lgcode"] = [ItemType.Digits],
        ["lookup"] = [ItemType.Digits, ItemType.Text],
        ["address"] = [ItemType.Digits, ItemType.Text],
        ["code"] = [ItemType.Code],
        ["chain"] = [ItemType.Code],
        ["each"] = [ItemType.Code],
        ["wareki"] = [ItemType.Date],
        ["wareki-text"] = [ItemType.Date],
        ["date"] = [ItemType.Date],
        ["int"] = [ItemType.Int],
        ["occurrence"] = [ItemType.Int],
        ["amount"] = [ItemType.Amount],
        ["flag"] = [ItemType.Flag],
        ["yearmonth"] = [ItemType.YearMonth],
    };

    /// <summary>Conversion names the engine knows, with the item types each may fill.</summary>
    public static IReadOnlyDictionary<string, ItemType[]> Conversions => Allowed;

    internal static List<FieldMapEntry> LoadFile(string path, string system, string relative, SpecCatalog catalog)
    {
        var csv = CsvTable.Load(path);
        foreach (var col in new[] { "record_type", "legacy_field", "entity", "item_id", "conversion" })
            if (!csv.HasColumn(col)) throw new MappingConfigException($"{relative}: missing column {col}");
        var list = new List<FieldMapEntry>();
        foreach (var (line, row) in csv.Rows)
        {
            var e = new FieldMapEntry(system, relative, line, csv.Get(row, "record_type").Trim(), csv.Get(row, "legacy_field").Trim(),
                csv.Get(row, "entity").Trim(), csv.Get(row, "item_id").Trim(), csv.Get(row, "conversion").Trim(), csv.Get(row, "notes"));
            e.Verify(catalog);
            list.Add(e);
        }
        return list;
    }

    /// <summary>The spec item this row fills, or null for a directive.</summary>
    public SpecItem? FindItem(SpecCatalog catalog) =>
        catalog.FindEntity(Entity)?.Items.FirstOrDefault(i => string.Equals(i.ItemId, ItemId, StringComparison.Ordinal));

    void Verify(SpecCatalog catalog)
    {
        if (RecordType.Length == 0) throw new MappingConfigException($"{Where}: record_type is empty");
        var entity = catalog.FindEntity(Entity) ?? throw new MappingConfigException($"{Where}: entity {Entity} is not in spec {catalog.Version}");
        var (name, args, _) = Split();
        if (IsDirective)
        {
            var ok = ItemId switch
            {
                When => name is "nonblank" or "positive",
                Each => name is "code" && args.Length == 1,
                Check => Allowed.ContainsKey(name),
                _ => false,
            };
            if (!ok) throw new MappingConfigException($"{Where}: directive {ItemId} cannot use conversion {Conversion}");
            return;
        }
        var item = entity.Items.FirstOrDefault(i => string.Equals(i.ItemId, ItemId, StringComparison.Ordinal))
            ?? throw new MappingConfigException($"{Where}: item {ItemId} is not an item of {Entity}");
        if (!Allowed.TryGetValue(name, out var types)) throw new MappingConfigException($"{Where}: unknown conversion '{name}'");
        if (!types.Contains(item.Type)) throw new MappingConfigException($"{Where}: conversion {name} cannot fill {ItemId} {item.NameJa} of type {item.Type}");
        if (name is "code" or "chain" or "codename" && (args.Length == 0 || catalog.FindCodeTable(args[0]) is null))
            throw new MappingConfigException($"{Where}: conversion {name} needs a code table of the spec");
        if (name is "code" or "chain" && item.CodeTable is not null && !string.Equals(item.CodeTable, args[0], StringComparison.Ordinal))
            throw new MappingConfigException($"{Where}: item {ItemId} uses {item.CodeTable}, not {args[0]}");
        if (name is "chain" && (args.Length != 2 || !int.TryParse(args[1], global::System.Globalization.CultureInfo.InvariantCulture, out var n) || n is < 1 or > 4))
            throw new MappingConfigException($"{Where}: chain needs <CT-ID>:<1-4>");
        if (LegacyField.Length == 0 && name is not ("lgcode" or "lgpref" or "lgcity"))
            throw new MappingConfigException($"{Where}: legacy_field is empty");
    }

    internal static void CheckCodeTables(MappingConfig config)
    {
        foreach (var e in config.Fields)
        {
            var (name, args, _) = e.Split();
            if (name is "code" or "chain" or "codename" && config.FindCodeMap(args[0], e.System) is null)
                throw new MappingConfigException($"{e.Where}: no code map codes/{args[0]}.{e.System}.csv");
        }
    }
}
