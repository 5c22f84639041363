using System.Security.Cryptography;

namespace Ogaki.Migration.Artifacts;

/// <summary>Artifacts in a local folder: <c>&lt;root&gt;/&lt;run id&gt;/&lt;name&gt;</c>, with the manifest beside them.</summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    readonly ManifestSealer? _sealer;

    /// <param name="root">Folder holding one sub-folder per run.</param>
    /// <param name="sealer">Seals a finished run's manifest and checks seals on verify; without one no run verifies as intact.</param>
    public LocalArtifactStore(string root, ManifestSealer? sealer = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        Root = Path.GetFullPath(root);
        _sealer = sealer;
    }

    public string Root { get; }

    public string Kind => "local";

    public string Description => "local folder " + Root;

    /// <summary>The folder of a run.</summary>
    public string RunFolder(string runId)
    {
        ArtifactManifest.CheckRunId(runId);
        return Path.Combine(Root, runId);
    }

    string PathOf(string runId, string name) => Path.Combine(RunFolder(runId), name.Replace('/', Path.DirectorySeparatorChar));

    public async Task<ArtifactEntry> PutAsync(string runId, string specVersion, string kind, string name, Stream content, CancellationToken cancellationToken = default)
    {
        ArtifactManifest.CheckName(runId, name);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(content);
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? new ArtifactManifest(runId, specVersion, ArtifactManifest.Incomplete, []);
        var path = PathOf(runId, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".part-" + Guid.NewGuid().ToString("N");
        ArtifactEntry entry;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                entry = await CopyHashingAsync(content, file, name, kind, cancellationToken).ConfigureAwait(false);
            if (File.Exists(path))
            {
                var existing = await HashFileAsync(path, name, kind, cancellationToken).ConfigureAwait(false);
                if (string.Equals(existing.Sha256, entry.Sha256, StringComparison.Ordinal))
                {
                    File.Delete(temp);
                    return await Record(manifest, existing).ConfigureAwait(false);
                }
                if (manifest.IsComplete)
                    throw new ArtifactStoreException($"artifact {name} of finished run {runId} already exists with other content; artifacts of a finished run are never overwritten");
            }
            else if (manifest.IsComplete)
                throw new ArtifactStoreException($"run {runId} is complete; no artifact can be added to a finished run ({name})");
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return await Record(manifest, entry).ConfigureAwait(false);

        async Task<ArtifactEntry> Record(ArtifactManifest m, ArtifactEntry e)
        {
            if (!m.IsComplete) await WriteManifestAsync(m.With(e), cancellationToken).ConfigureAwait(false);
            return e;
        }
    }

    public async Task<ArtifactManifest> CompleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var manifest = await GetManifestAsync(runId, cancellationToken).ConfigureAwait(false)
            ?? throw new ArtifactStoreException($"run {runId} has no artifacts in {Root}");
        if (manifest.IsComplete) return manifest;
        manifest = manifest with { Status = ArtifactManifest.Complete };
        await WriteManifestAsync(manifest, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    /// <summary>Writes manifest and hash file, and the seal of a complete one (each through a temporary file and a rename).</summary>
    internal async Task<byte[]> WriteManifestAsync(ArtifactManifest manifest, CancellationToken ct)
    {
        var dir = RunFolder(manifest.RunId);
        Directory.CreateDirectory(dir);
        var bytes = manifest.ToBytes();
        await WriteAtomicAsync(Path.Combine(dir, ArtifactManifest.FileName), bytes, ct).ConfigureAwait(false);
        await WriteAtomicAsync(Path.Combine(dir, ArtifactManifest.HashFileName), ArtifactManifest.HashFile(bytes), ct).ConfigureAwait(false);
        if (manifest.IsComplete && _sealer is not null)
            await WriteAtomicAsync(Path.Combine(dir, ManifestSealer.FileName), _sealer.Seal(bytes), ct).ConfigureAwait(false);
        return bytes;
    }

    /// <summary>The seal file's bytes as stored, or null.</summary>
    internal async Task<byte[]?> ReadSealBytesAsync(string runId, CancellationToken ct)
    {
        var path = Path.Combine(RunFolder(runId), ManifestSealer.FileName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false) : null;
    }

    /// <summary>The seal state of manifest bytes against a seal file, with this store's key.</summary>
    internal static SealState CheckSeal(ManifestSealer? sealer, byte[] manifestBytes, byte[]? sealFile) =>
        sealer?.Check(manifestBytes, sealFile) ?? SealState.NotChecked;

    static async Task WriteAtomicAsync(string path, byte[] bytes, CancellationToken ct)
    {
        var temp = path + ".part-" + Guid.NewGuid().ToString("N");
        await File.WriteAllBytesAsync(temp, bytes, ct).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    public async Task<ArtifactManifest?> GetManifestAsync(string runId, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(RunFolder(runId), ArtifactManifest.FileName);
        return File.Exists(path) ? ArtifactManifest.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : null;
    }

    /// <summary>The manifest's bytes as stored, or null.</summary>
    internal async Task<byte[]?> ReadManifestBytesAsync(string runId, CancellationToken ct)
    {
        var path = Path.Combine(RunFolder(runId), ArtifactManifest.FileName);
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false) : null;
    }

    public Task<Stream> OpenReadAsync(string runId, string name, CancellationToken cancellationToken = default)
    {
        ArtifactManifest.CheckName(runId, name);
        var path = PathOf(runId, name);
        if (!File.Exists(path)) throw new ArtifactStoreException($"artifact {name} of run {runId} not found in {Root}");
        return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true));
    }

    public async Task<VerifyReport> VerifyAsync(string runId, CancellationToken cancellationToken = default)
    {
        var dir = RunFolder(runId);
        var manifestPath = Path.Combine(dir, ArtifactManifest.FileName);
        var hashPath = Path.Combine(dir, ArtifactManifest.HashFileName);
        var present = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(dir, p).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(n => n is not ArtifactManifest.FileName and not ArtifactManifest.HashFileName and not ManifestSealer.FileName)
                .ToHashSet(StringComparer.Ordinal)
            : [];
        if (!File.Exists(manifestPath))
            return new VerifyReport(runId, false, false, "", 0, [], [], [.. present.Order(StringComparer.Ordinal)]);
        var bytes = await File.ReadAllBytesAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        var intact = ArtifactManifest.HashMatches(bytes, File.Exists(hashPath) ? await File.ReadAllBytesAsync(hashPath, cancellationToken).ConfigureAwait(false) : null);
        var manifest = ArtifactManifest.Parse(bytes);
        List<string> changed = [], missing = [];
        foreach (var a in manifest.Artifacts)
        {
            if (!present.Remove(a.Name)) { missing.Add(a.Name); continue; }
            var actual = await HashFileAsync(PathOf(runId, a.Name), a.Name, a.Kind, cancellationToken).ConfigureAwait(false);
            if (actual.Size != a.Size || !string.Equals(actual.Sha256, a.Sha256, StringComparison.Ordinal)) changed.Add(a.Name);
        }
        var seal = CheckSeal(_sealer, bytes, await ReadSealBytesAsync(runId, cancellationToken).ConfigureAwait(false));
        return new VerifyReport(runId, true, intact, manifest.Status, manifest.Artifacts.Count, changed, missing, [.. present.Order(StringComparer.Ordinal)], manifest.RunId, seal);
    }

    internal static async Task<ArtifactEntry> HashFileAsync(string path, string name, string kind, CancellationToken ct)
    {
        await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return await CopyHashingAsync(f, Stream.Null, name, kind, ct).ConfigureAwait(false);
    }

    internal static async Task<ArtifactEntry> CopyHashingAsync(Stream source, Stream destination, string name, string kind, CancellationToken ct)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[81920];
        long size = 0;
        int n;
        while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            md5.AppendData(buffer, 0, n);
            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            size += n;
        }
        return new ArtifactEntry(name, kind, size, Convert.ToHexStringLower(sha.GetHashAndReset()), Convert.ToBase64String(md5.GetHashAndReset()));
    }
}
