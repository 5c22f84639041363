namespace Ogaki.Migration.Artifacts;

/// <summary>
/// Where a run's artifacts (reports, reject files, reconciliation diffs) are kept: a local folder (default) or
/// Azure Blob Storage (with a local copy). Each run has a manifest listing every artifact with SHA-256 and size,
/// hashed itself, marked <c>incomplete</c> until <see cref="CompleteRunAsync"/>. Artifacts of a finished run are
/// never overwritten. Create one with <see cref="ArtifactStoreFactory.Create"/>.
/// </summary>
public interface IArtifactStore
{
    /// <summary>"local" or "azure-blob".</summary>
    string Kind { get; }

    /// <summary>Where the store points, secrets masked (safe for logs).</summary>
    string Description { get; }

    /// <summary>
    /// Stores one artifact of a run and adds it to the run's (incomplete) manifest. Putting the same content again is
    /// a no-op; different content under the same name is refused once the run is complete.
    /// </summary>
    /// <param name="runId">Run id (a folder / blob prefix; letters, digits, '-', '_', '.').</param>
    /// <param name="specVersion">Spec version of the run, recorded with the artifact.</param>
    /// <param name="kind">What the artifact is, e.g. <c>report</c>, <c>rejects</c>, <c>reconciliation</c>.</param>
    /// <param name="name">Relative name within the run, '/' separated (e.g. <c>rejects/JUKI.csv</c>).</param>
    /// <param name="content">The bytes, read to the end.</param>
    /// <param name="cancellationToken">Cancels the put.</param>
    Task<ArtifactEntry> PutAsync(string runId, string specVersion, string kind, string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Marks the run complete: writes the final manifest and its hash file. A complete run cannot be changed afterwards.</summary>
    Task<ArtifactManifest> CompleteRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>The run's manifest, or null when the run has none.</summary>
    Task<ArtifactManifest?> GetManifestAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Opens an artifact for reading.</summary>
    Task<Stream> OpenReadAsync(string runId, string name, CancellationToken cancellationToken = default);

    /// <summary>Re-reads every artifact and the manifest; reports changed, missing and extra files.</summary>
    Task<VerifyReport> VerifyAsync(string runId, CancellationToken cancellationToken = default);
}

/// <summary>One stored artifact.</summary>
/// <param name="Name">Relative name within the run.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
/// <param name="Md5">Base64 MD5 of the content (Azure's Content-MD5).</param>
public sealed record ArtifactEntry(string Name, string Kind, long Size, string Sha256, string Md5);

/// <summary>What <see cref="IArtifactStore.VerifyAsync"/> found.</summary>
/// <param name="RunId">The run asked for.</param>
/// <param name="ManifestFound">False when the run has no manifest at all.</param>
/// <param name="ManifestIntact">The manifest's bytes match its hash file.</param>
/// <param name="Status"><c>complete</c>, <c>incomplete</c>, or empty without a manifest.</param>
/// <param name="Checked">Artifacts listed in the manifest.</param>
/// <param name="Changed">Listed artifacts whose size or SHA-256 differ from the manifest.</param>
/// <param name="Missing">Listed artifacts that are gone.</param>
/// <param name="Extra">Files under the run that the manifest does not list.</param>
/// <param name="ManifestRunId">The run id the manifest itself names (differs from <paramref name="RunId"/> when a run folder was renamed or copied).</param>
/// <param name="Seal">What the manifest's seal says (<see cref="ManifestSealer"/>).</param>
public sealed record VerifyReport(string RunId, bool ManifestFound, bool ManifestIntact, string Status, int Checked,
    IReadOnlyList<string> Changed, IReadOnlyList<string> Missing, IReadOnlyList<string> Extra, string ManifestRunId = "", SealState Seal = SealState.NotChecked)
{
    /// <summary>True when the manifest names this run.</summary>
    public bool RunIdMatches => string.Equals(RunId, ManifestRunId, StringComparison.Ordinal);

    /// <summary>
    /// True only when the run is finished, its manifest names it, is intact and carries a valid seal, and every
    /// artifact is exactly as listed, nothing more. An unfinished, renamed or unsealed run is never "intact".
    /// </summary>
    public bool IsClean => ManifestFound && ManifestIntact && RunIdMatches && Seal == SealState.Valid
        && string.Equals(Status, ArtifactManifest.Complete, StringComparison.Ordinal)
        && Changed.Count == 0 && Missing.Count == 0 && Extra.Count == 0;

    /// <summary>Why the run is not intact, one reason a line; empty when it is.</summary>
    public IReadOnlyList<string> Problems()
    {
        if (!ManifestFound) return ["no manifest"];
        List<string> p = [];
        if (!ManifestIntact) p.Add("the manifest does not match its hash file (manifest.json.sha256)");
        if (!RunIdMatches) p.Add($"the manifest belongs to run '{ManifestRunId}', not '{RunId}' (folder renamed or copied)");
        if (!string.Equals(Status, ArtifactManifest.Complete, StringComparison.Ordinal)) p.Add($"the run is {Status}: it never finished");
        p.Add(Seal switch
        {
            SealState.Valid => "",
            SealState.Missing => $"the manifest has no seal ({ManifestSealer.FileName}): it is not tamper-evident",
            SealState.Invalid => "the manifest's seal does not match: the manifest was rewritten after the run",
            SealState.OtherKey => "the manifest was sealed under another key than OGAKI_PSEUDONYM_KEY here",
            _ => "the seal was not checked (no key)",
        });
        if (Changed.Count > 0) p.Add("changed: " + string.Join(", ", Changed));
        if (Missing.Count > 0) p.Add("missing: " + string.Join(", ", Missing));
        if (Extra.Count > 0) p.Add("not in the manifest: " + string.Join(", ", Extra));
        return [.. p.Where(x => x.Length > 0)];
    }

    public override string ToString() =>
        $"run {RunId}: manifest {(ManifestFound ? ManifestIntact ? "intact" : "CHANGED" : "MISSING")}, run id {(ManifestFound ? ManifestRunId : "-")}, status {Status}, seal {Seal}, {Checked} listed; " +
        $"changed [{string.Join(", ", Changed)}], missing [{string.Join(", ", Missing)}], extra [{string.Join(", ", Extra)}]";
}

/// <summary>A store operation failed; the message says what and where, with secrets masked.</summary>
public sealed class ArtifactStoreException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>Requests tried (with retries) before giving up; 0 when no request was made.</summary>
    public int Attempts { get; init; }

    /// <summary>Folder that still holds the run's artifacts locally, when there is one.</summary>
    public string? LocalCopy { get; init; }
}

/// <summary>Conveniences over <see cref="IArtifactStore"/>.</summary>
public static class ArtifactStoreExtensions
{
    /// <summary>Stores a file as an artifact of the run.</summary>
    public static async Task<ArtifactEntry> PutFileAsync(this IArtifactStore store, string runId, string specVersion, string kind, string name, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return await store.PutAsync(runId, specVersion, kind, name, file, cancellationToken).ConfigureAwait(false);
    }
}
