using Ogaki.Migration.Artifacts;

namespace Ogaki.Migration.Pipeline;

/// <summary>A work folder <see cref="RunFolders.CleanAsync"/> removed, and why.</summary>
public sealed record RemovedWorkFolder(string RunId, string Path, string Reason);

/// <summary>
/// The work folders of runs (<c>&lt;runs&gt;/.work/&lt;run-id&gt;</c>: sample, SQLite target, run.log, spill files).
/// Those of finished runs can go; those of unfinished runs hold what a resume needs, so they go only once abandoned.
/// </summary>
public static class RunFolders
{
    /// <summary>
    /// Removes the work folder of every finished run (its artifacts complete in <paramref name="store"/>) and, when
    /// <paramref name="abandonedAfter"/> is given, of every unfinished run untouched for at least that long.
    /// </summary>
    public static async Task<IReadOnlyList<RemovedWorkFolder>> CleanAsync(string runsDirectory, IArtifactStore store, TimeSpan? abandonedAfter,
        DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        var root = Path.Combine(runsDirectory, ".work");
        var removed = new List<RemovedWorkFolder>();
        if (!Directory.Exists(root)) return removed;
        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            // A folder whose name is no run id was not made by a run: left alone.
            if (!RunId.TryParse(Path.GetFileName(folder), out var id, out _)) continue;
            ArtifactManifest? manifest;
            try
            {
                manifest = await store.GetManifestAsync(id.Value, ct);
            }
            catch (ArtifactStoreException e)
            {
                throw new PipelineException(e.Message, FailureKind.Infrastructure, e);
            }
            string? reason = null;
            if (manifest?.IsComplete == true) reason = "finished";
            else if (abandonedAfter is { } age && nowUtc - LastWriteUtc(folder) >= age)
                reason = $"unfinished, untouched since {LastWriteUtc(folder):yyyy-MM-dd HH:mm} UTC";
            if (reason is null) continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PipelineException($"cannot remove the work folder {folder}: {e.Message}", FailureKind.Infrastructure, e);
            }
            removed.Add(new RemovedWorkFolder(id.Value, folder, reason));
        }
        return removed;
    }

    /// <summary>The newest write anywhere in the folder (the folder's own time when it is empty).</summary>
    static DateTime LastWriteUtc(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc)
            .Append(Directory.GetLastWriteTimeUtc(folder)).Max();
}
