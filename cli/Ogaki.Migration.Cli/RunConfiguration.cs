using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Cli;

/// <summary>
/// Settings of a run. Layered: defaults ← configuration file (JSON) ← environment (<c>OGAKI_</c> prefix, e.g.
/// <c>OGAKI_Target</c>, <c>OGAKI_Sample__Scale</c>) ← command line. Secrets (database passwords, storage keys,
/// the pseudonym key) come from the environment or the command line only and are never written into reports.
/// </summary>
public sealed class RunConfiguration
{
    /// <summary>Spec version the run maps to (must be the compiled one).</summary>
    public string SpecVersion { get; set; } = Ogaki.Migration.Standard.StandardSpec.Version;

    /// <summary>Folder of an existing legacy estate; empty: generate a sample.</summary>
    public string? Source { get; set; }

    public SampleSettings Sample { get; set; } = new();

    /// <summary>Target connection: <c>sqlite:&lt;path&gt;</c> (default: runs/&lt;run-id&gt;/target.db) or a PostgreSQL connection string.</summary>
    public string? Target { get; set; }

    /// <summary>Artifact store: empty for the local runs folder, or an Azure Blob connection string.</summary>
    public string? Store { get; set; }

    /// <summary>Folder that holds one sub-folder per run.</summary>
    public string RunsDirectory { get; set; } = "runs";

    /// <summary>Folder of the mapping configuration (code tables, 外字, addresses); empty: the one shipped with the tool.</summary>
    public string? MappingDirectory { get; set; }

    /// <summary>Records per load batch (one transaction each).</summary>
    public int BatchSize { get; set; } = 5_000;

    public sealed class SampleSettings
    {
        public double Scale { get; set; } = 0.1;

        public int Seed { get; set; } = 42;

        /// <summary>Inject the estate's defects (with their ground truth); false gives a clean sample.</summary>
        public bool Defects { get; set; } = true;
    }

    /// <summary>Reads the layers; a missing or unreadable configuration file is an invalid-input error.</summary>
    public static RunConfiguration Load(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile)) throw new CliException($"configuration file {configFile} not found; pass an existing JSON file to --config.");
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(configFile));
                CheckFileKeys(document.RootElement, typeof(RunConfiguration), "", configFile);
            }
            catch (JsonException e)
            {
                throw new CliException($"configuration file {configFile} is not valid JSON (line {e.LineNumber + 1}): {e.Message}");
            }
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }
        builder.AddEnvironmentVariables("OGAKI_");
        if (overrides is not null) builder.AddInMemoryCollection(overrides.Where(p => p.Value is not null));
        var config = new RunConfiguration();
        try
        {
            builder.Build().Bind(config);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException($"configuration is invalid: {e.Message}");
        }
        if (!(config.Sample.Scale is > 0 and <= 100)) throw new CliException($"sample scale {config.Sample.Scale.ToString(System.Globalization.CultureInfo.InvariantCulture)} is out of range; use a value above 0 and at most 100.");
        if (config.BatchSize < 1) throw new CliException("batch size must be at least 1.");
        return config;
    }

    /// <summary>
    /// A configuration file names only known settings (a misspelt key would silently fall back to its default) and
    /// holds no secret: files get committed and copied, so passwords and keys come from the environment or the command line.
    /// </summary>
    static void CheckFileKeys(JsonElement element, Type settings, string path, string file)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new CliException($"configuration file {file}: {(path.Length == 0 ? "the file" : "'" + path.TrimEnd(':') + "'")} must be a JSON object, not {element.ValueKind.ToString().ToLowerInvariant()}.");
        var known = settings.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Where(p => p.CanWrite).ToList();
        foreach (var entry in element.EnumerateObject())
        {
            var key = path + entry.Name;
            var property = known.FirstOrDefault(p => string.Equals(p.Name, entry.Name, StringComparison.OrdinalIgnoreCase))
                ?? throw new CliException($"configuration file {file}: unknown key '{key}'; known keys here: {string.Join(", ", known.Select(p => path + p.Name))}.");
            if (entry.Value.ValueKind == JsonValueKind.Object) CheckFileKeys(entry.Value, property.PropertyType, key + ":", file);
            else if (entry.Value.ValueKind == JsonValueKind.String && ConnectionStrings.Secrets(entry.Value.GetString()) is [var secret, ..])
                throw new CliException($"configuration file {file}: '{key}' holds a secret ({secret}); secrets are taken only from the environment " +
                    $"(OGAKI_{key.Replace(":", "__", StringComparison.Ordinal)}) or the command line — remove it from the file.");
        }
    }

    /// <summary>The configuration as it goes into a run's manifest: connection strings reduced to their kind, no secrets.</summary>
    public string ToRedactedJson() => JsonSerializer.Serialize(new
    {
        SpecVersion,
        Source = Source ?? "(generated sample)",
        Sample,
        Target = ConnectionStrings.Describe(Target, "sqlite (run folder)"),
        Store = ConnectionStrings.Describe(Store, "local folder"),
        RunsDirectory,
        MappingDirectory = MappingDirectory ?? "(shipped)",
        BatchSize,
    }, JsonOptions);

    static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The runner's request for this configuration: a dry run (<paramref name="load"/>) or a reconciliation.</summary>
    public RunRequest ToRunRequest(bool load, Ogaki.Migration.Artifacts.RunId? runId, bool unmask) => new()
    {
        SpecVersion = SpecVersion,
        Source = Source,
        SampleScale = Sample.Scale,
        SampleSeed = Sample.Seed,
        SampleDefects = Sample.Defects,
        Target = Target,
        Store = Store,
        RunsDirectory = RunsDirectory,
        MappingDirectory = MappingDirectory,
        BatchSize = BatchSize,
        Load = load,
        RunId = runId,
        Unmask = unmask,
        RedactedConfiguration = ToRedactedJson(),
    };
}
