using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ogaki.Migration.Artifacts;

/// <summary>
/// The manifest of a run (<c>manifest.json</c>): every artifact with kind, size and SHA-256, sorted by name
/// (ordinal), and the run status. Its own SHA-256 is kept in <c>manifest.json.sha256</c> in <c>sha256sum</c> format,
/// so <c>sha256sum -c manifest.json.sha256</c> checks it too.
/// </summary>
public sealed record ArtifactManifest(string RunId, string SpecVersion, string Status, IReadOnlyList<ArtifactEntry> Artifacts)
{
    public const string FileName = "manifest.json";
    public const string HashFileName = "manifest.json.sha256";
    public const string Complete = "complete";
    public const string Incomplete = "incomplete";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public bool IsComplete => string.Equals(Status, Complete, StringComparison.Ordinal);

    /// <summary>A copy with this artifact added or replaced, names kept in ordinal order.</summary>
    public ArtifactManifest With(ArtifactEntry entry) => this with
    {
        Artifacts = [.. Artifacts.Where(a => !string.Equals(a.Name, entry.Name, StringComparison.Ordinal)).Append(entry).OrderBy(a => a.Name, StringComparer.Ordinal)],
    };

    /// <summary>UTF-8 JSON, LF line endings, deterministic.</summary>
    public byte[] ToBytes() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Json).ReplaceLineEndings("\n") + "\n");

    public static ArtifactManifest Parse(byte[] bytes) =>
        JsonSerializer.Deserialize<ArtifactManifest>(bytes, Json) ?? throw new ArtifactStoreException("empty manifest");

    /// <summary>The hash file's content: <c>&lt;sha256&gt;  manifest.json</c>.</summary>
    public static byte[] HashFile(byte[] manifestBytes) =>
        Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)) + "  " + FileName + "\n");

    /// <summary>True when the hash file matches the manifest's bytes.</summary>
    public static bool HashMatches(byte[] manifestBytes, byte[]? hashFile) =>
        hashFile is not null && HashFile(manifestBytes).AsSpan().SequenceEqual(hashFile);

    /// <summary>Checks a run id or artifact name: relative, '/' separated, no '..', not a manifest file.</summary>
    internal static void CheckName(string runId, string name)
    {
        CheckRunId(runId);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var parts = name.Split('/');
        if (name.Contains('\\', StringComparison.Ordinal) || parts.Any(p => p.Length == 0 || p is "." or ".." || p.Any(char.IsControl)))
            throw new ArgumentException($"artifact name '{name}' must be relative, '/' separated, without empty, '.' or '..' parts", nameof(name));
        if (name is FileName or HashFileName) throw new ArgumentException($"'{name}' is reserved for the manifest", nameof(name));
    }

    internal static void CheckRunId(string runId)
    {
        if (!global::Ogaki.Migration.Artifacts.RunId.TryParse(runId, out _, out var problem)) throw new ArgumentException(problem, nameof(runId));
    }
}
