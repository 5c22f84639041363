using System.Security.Cryptography;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>One configuration file and the SHA-256 of its bytes, as a run records it.</summary>
public sealed record ConfigFileVersion(string Path, string Sha256, long Bytes);

/// <summary>
/// The mapping configuration a migration team edits (<c>mappers/config/</c>): per legacy system a field map
/// (<c>&lt;system&gt;/fields.csv</c>), code tables (<c>codes/&lt;CT-ID&gt;.&lt;system&gt;.csv</c>), the 外字 table,
/// municipality settings and the ABR 町字 master. Every file's SHA-256 is recorded in <see cref="Versions"/>.
/// </summary>
public sealed class MappingConfig
{
    readonly Dictionary<(string Table, string System), CodeMap> _codes;

    MappingConfig(string root, IReadOnlyList<ConfigFileVersion> versions, IReadOnlyList<FieldMapEntry> fields,
        Dictionary<(string, string), CodeMap> codes, GaijiTable gaiji, AbrTownMaster abr, IReadOnlyDictionary<string, string> settings)
    {
        Root = root;
        Versions = versions;
        Fields = fields;
        _codes = codes;
        Gaiji = gaiji;
        Abr = abr;
        Settings = settings;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Concat(versions.Select(v => v.Path + "\t" + v.Sha256 + "\n")))));
    }

    public string Root { get; }

    /// <summary>Every file used, ordinal by path, with its SHA-256.</summary>
    public IReadOnlyList<ConfigFileVersion> Versions { get; }

    /// <summary>SHA-256 over the list of (path, file hash): one value naming the whole configuration.</summary>
    public string Sha256 { get; }

    public IReadOnlyList<FieldMapEntry> Fields { get; }

    public IEnumerable<CodeMap> CodeMaps => _codes.Values.OrderBy(c => c.File, StringComparer.Ordinal);

    public GaijiTable Gaiji { get; }

    public AbrTownMaster Abr { get; }

    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>全国地方公共団体コード of the municipality (212024).</summary>
    public string LgCode => Settings["lg_code"];

    public string Prefecture => Settings["prefecture"];

    public string City => Settings["city"];

    public IEnumerable<string> Systems => Fields.Select(f => f.System).Distinct().Order(StringComparer.Ordinal);

    public CodeMap? FindCodeMap(string tableId, string system) => _codes.GetValueOrDefault((tableId, system));

    /// <summary>The configuration shipped beside this assembly (<c>config/</c>), else <c>mappers/config</c> above the working directory.</summary>
    public static string DefaultRoot()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "config");
        if (File.Exists(Path.Combine(beside, "municipality.csv"))) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var c = Path.Combine(dir.FullName, "mappers", "config");
            if (File.Exists(Path.Combine(c, "municipality.csv"))) return c;
        }
        throw new MappingConfigException("mapping configuration not found (config/municipality.csv)");
    }

    /// <summary>
    /// Loads and checks the configuration. <paramref name="gaijiOverride"/> replaces the 外字 table file (for
    /// example the <c>gaiji.csv</c> a legacy extract ships); its hash is recorded like any other file.
    /// </summary>
    public static MappingConfig Load(string? root = null, string? gaijiOverride = null, SpecCatalog? catalog = null)
    {
        root = Path.GetFullPath(root ?? DefaultRoot());
        catalog ??= StandardSpec.Catalog;
        var versions = new List<ConfigFileVersion>();
        void Record(string path, string name)
        {
            var bytes = File.ReadAllBytes(path);
            versions.Add(new ConfigFileVersion(name, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.LongLength));
        }
        string Rel(string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

        var settingsPath = Path.Combine(root, "municipality.csv");
        if (!File.Exists(settingsPath)) throw new MappingConfigException($"{settingsPath} not found");
        var settingsCsv = CsvTable.Load(settingsPath);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, row) in settingsCsv.Rows) settings[settingsCsv.Get(row, "key").Trim()] = settingsCsv.Get(row, "value").Trim();
        foreach (var k in new[] { "lg_code", "prefecture", "city", "abr_town", "gaiji" })
            if (!settings.ContainsKey(k)) throw new MappingConfigException($"municipality.csv: missing key {k}");
        if (!CheckDigits.IsValidLocalGovernmentCode(settings["lg_code"])) throw new MappingConfigException("municipality.csv: lg_code fails its check digit");
        Record(settingsPath, "municipality.csv");

        var fields = new List<FieldMapEntry>();
        foreach (var dir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var f = Path.Combine(dir, "fields.csv");
            if (!File.Exists(f)) continue;
            var system = Path.GetFileName(dir);
            fields.AddRange(FieldMapEntry.LoadFile(f, system, Rel(f), catalog));
            Record(f, Rel(f));
        }

        var codes = new Dictionary<(string, string), CodeMap>();
        var codesDir = Path.Combine(root, "codes");
        if (Directory.Exists(codesDir))
        {
            foreach (var f in Directory.GetFiles(codesDir, "*.csv").Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(f);
                var table = catalog.FindCodeTable(name[..Math.Max(0, name.LastIndexOf('.'))]);
                var map = CodeMap.Load(f, Rel(f), table);
                if (table is null) throw new MappingConfigException($"{Rel(f)}: {map.TableId} is not a code table of spec {catalog.Version}");
                codes[(map.TableId, map.System)] = map;
                Record(f, Rel(f));
            }
        }

        var gaijiPath = gaijiOverride ?? Path.Combine(root, settings["gaiji"]);
        var gaiji = GaijiTable.Load(gaijiPath);
        Record(gaijiPath, gaijiOverride is null ? Rel(gaijiPath) : "gaiji(override):" + Path.GetFileName(gaijiPath));

        var abrPath = Path.Combine(root, settings["abr_town"]);
        var abr = AbrTownMaster.Load(abrPath, settings["lg_code"], settings["prefecture"], settings["city"]);
        Record(abrPath, Rel(abrPath));

        versions.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var config = new MappingConfig(root, versions, fields, codes, gaiji, abr, settings);
        FieldMapEntry.CheckCodeTables(config);
        return config;
    }
}
