using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Artifacts;

/// <summary>Creates the artifact store from configuration.</summary>
public static class ArtifactStoreFactory
{
    /// <summary>Container used when the connection string names none.</summary>
    public const string DefaultContainer = "ogaki-artifacts";

    /// <summary>
    /// No connection → a local folder at <paramref name="localFolder"/>. An Azure Storage connection string
    /// (<c>UseDevelopmentStorage=true</c>, <c>AccountName=…</c>, <c>BlobEndpoint=…</c>; an extra <c>Container=name</c>
    /// key picks the container) → Azure Blob Storage with its local copy in <paramref name="localFolder"/>.
    /// Anything else is taken as a folder path. Take the connection string from the environment, never from a file in the repo.
    /// </summary>
    /// <param name="sealer">Seals finished runs' manifests and checks seals on verify (<see cref="ManifestSealer"/>).</param>
    public static IArtifactStore Create(string? connection, string localFolder, string? container = null, ManifestSealer? sealer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(localFolder);
        switch (ConnectionStrings.Classify(connection))
        {
            case ConnectionKind.None: return new LocalArtifactStore(localFolder, sealer);
            case ConnectionKind.Folder: return new LocalArtifactStore(connection!.Trim(), sealer);
            case ConnectionKind.AzureBlob: break;
            default: throw new ArgumentException($"'{ConnectionStrings.Describe(connection, "")}' is not an artifact store: use a folder or an Azure Storage connection string", nameof(connection));
        }
        var parts = connection!.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var containerPart = parts.FirstOrDefault(p => p.StartsWith("Container=", StringComparison.OrdinalIgnoreCase));
        var rest = string.Join(";", parts.Where(p => !ReferenceEquals(p, containerPart)));
        var name = container ?? containerPart?["Container=".Length..] ?? DefaultContainer;
        return new AzureBlobArtifactStore(rest, name, localFolder, sealer: sealer);
    }
}
