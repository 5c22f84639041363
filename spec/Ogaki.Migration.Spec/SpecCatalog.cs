using Ogaki.Migration.Spec.Parsing;

namespace Ogaki.Migration.Spec;

/// <summary>A spec version as data: its entities and code tables.</summary>
public sealed class SpecCatalog(string version, IReadOnlyList<SpecEntity> entities, IReadOnlyList<CodeTable> codeTables)
{
    public string Version { get; } = version;

    public IReadOnlyList<SpecEntity> Entities { get; } = entities;

    public IReadOnlyList<CodeTable> CodeTables { get; } = codeTables;

    public SpecEntity? FindEntity(string name) => Entities.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));

    public CodeTable? FindCodeTable(string tableId) => CodeTables.FirstOrDefault(t => string.Equals(t.TableId, tableId, StringComparison.Ordinal));

    /// <summary>Folder holding <c>&lt;version&gt;/</c> spec folders: next to the program, or found upwards from the working directory.</summary>
    public static string DefaultRoot()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "standard");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "spec", "standard");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new SpecLoadException($"no spec folder found (looked in {beside} and for spec/standard above {Directory.GetCurrentDirectory()})");
    }

    /// <summary>The versions found under <paramref name="root"/>, in version order.</summary>
    public static IReadOnlyList<string> Versions(string? root = null) =>
        Directory.GetDirectories(root ?? DefaultRoot())
            .Select(Path.GetFileName)
            .Where(v => v is not null && File.Exists(Path.Combine(root ?? DefaultRoot(), v, "entities.csv")))
            .Select(v => v!)
            .OrderBy(v => System.Version.TryParse(v, out var parsed) ? parsed : new System.Version(0, 0))
            .ToList();

    /// <summary>Loads a spec version with the same parser and checks the generator uses.</summary>
    /// <exception cref="SpecLoadException">The folder is missing or a file is malformed (every problem is listed).</exception>
    public static SpecCatalog Load(string version, string? root = null)
    {
        var dir = Path.Combine(root ?? DefaultRoot(), version);
        if (!Directory.Exists(dir)) throw new SpecLoadException($"spec version {version} not found: no folder {dir}");
        var files = Directory.EnumerateFiles(dir, "*.csv", SearchOption.AllDirectories)
            .Select(p => p.Replace('\\', '/'))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => SpecFileParser.Parse(p, File.ReadAllText(p)))
            .ToList();
        var model = SpecFileParser.Build(files);
        if (model.Problems.Count > 0)
            throw new SpecLoadException($"spec {version} has {model.Problems.Count} problem(s):{Environment.NewLine}{string.Join(Environment.NewLine, model.Problems)}");
        return FromModel(model);
    }

    static SpecCatalog FromModel(SpecModel model)
    {
        var tables = model.CodeTables.Select(t => new CodeTable(t.TableId, t.Identifier, t.NameJa, ParseStatus(t.Status), t.Notes,
            t.Values.Select(v => new CodeValue(v.Code, v.NameJa, v.Identifier, ParseStatus(v.Status), v.Notes)).ToList())).ToList();
        var entities = model.Entities.Select(e => new SpecEntity(e.Row.Name, e.Row.Area, e.Row.AreaNameJa, e.Row.NameJa, e.Row.Key.Split('+'), e.Row.Table,
            ParseStatus(e.Row.Status), e.Row.Notes,
            e.Items.Select((i, n) => new SpecItem(n, i.ItemId, e.Row.Name, i.NameJa, i.Identifier, ParseType(i.Type), i.Length, ParseRequired(i.Required),
                i.CodeTable.Length == 0 ? null : i.CodeTable, i.Notes, ParseStatus(i.Status), ToOfficial(i.Official))).ToList())).ToList();
        return new SpecCatalog(model.Version, entities, tables);
    }

    static OfficialItem? ToOfficial(OfficialItemRow? o) => o is null ? null :
        new(o.DataType, o.Digits, o.FieldName, o.Group, o.PrimaryKey, o.ForeignKey, o.Code, o.Repeat, o.OutputCondition, o.Condition, o.SpecReference, o.Implementation);

    static SpecStatus ParseStatus(string s) => s switch
    {
        "confirmed" => SpecStatus.Confirmed,
        "secondary" => SpecStatus.Secondary,
        _ => SpecStatus.Provisional,
    };

    static Requirement ParseRequired(string s) => s switch
    {
        "M" => Requirement.Mandatory,
        "C" => Requirement.Conditional,
        _ => Requirement.Optional,
    };

    static ItemType ParseType(string s) => s switch
    {
        "text" => ItemType.Text,
        "kana" => ItemType.Kana,
        "digits" => ItemType.Digits,
        "int" => ItemType.Int,
        "amount" => ItemType.Amount,
        "date" => ItemType.Date,
        "yearmonth" => ItemType.YearMonth,
        "flag" => ItemType.Flag,
        "decimal" => ItemType.Decimal,
        "time" => ItemType.Time,
        "blob" => ItemType.Blob,
        _ => ItemType.Code,
    };
}

/// <summary>A spec version could not be loaded; the message names the file, line and problem.</summary>
public sealed class SpecLoadException(string message) : Exception(message);
