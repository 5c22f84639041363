using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Artifacts;

/// <summary>
/// Artifacts in Azure Blob Storage (or Azurite): blob <c>&lt;run id&gt;/&lt;name&gt;</c> in one container, uploaded
/// with Content-MD5 and metadata (run_id, spec_version, kind, sha256), never overwriting a finished run's artifact
/// (<c>overwrite: false</c>). Every artifact is first written to a local copy, so nothing is lost when the service
/// is down; transient failures are retried with exponential backoff.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    readonly BlobContainerClient _container;
    readonly LocalArtifactStore _local;
    readonly AttemptCounter _attempts = new();
    readonly ManifestSealer? _sealer;
    bool _containerReady;

    /// <param name="connectionString">Azure Storage connection string or <c>UseDevelopmentStorage=true</c>.</param>
    /// <param name="containerName">Container holding the runs.</param>
    /// <param name="localFolder">Folder of the local copy.</param>
    /// <param name="maxRetries">Retries after the first attempt of each request.</param>
    /// <param name="retryDelay">First backoff delay (doubles per retry, at most 10 s); default 0.5 s.</param>
    /// <param name="sealer">Seals a finished run's manifest and checks seals on verify; without one no run verifies as intact.</param>
    public AzureBlobArtifactStore(string connectionString, string containerName, string localFolder, int maxRetries = 4, TimeSpan? retryDelay = null,
        ManifestSealer? sealer = null)
    {
        _sealer = sealer;
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(containerName);
        // Azurite 3.35 knows API versions up to 2025-11-05; the client would send a newer one.
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = retryDelay ?? TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        options.AddPolicy(_attempts, HttpPipelinePosition.PerRetry);
        try { _container = new BlobServiceClient(connectionString, options).GetBlobContainerClient(containerName); }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new ArgumentException("invalid Azure Storage connection string: " + ConnectionStrings.Mask(connectionString), nameof(connectionString), ex);
        }
        _local = new LocalArtifactStore(localFolder, sealer);
        Description = $"azure-blob {_container.Uri} (local copy {_local.Root})";
    }

    public string Kind => "azure-blob";

    public string Description { get; }

    /// <summary>The local copy.</summary>
    public LocalArtifactStore Local => _local;

    public Uri ContainerUri => _container.Uri;

    static string BlobName(string runId, string name) => runId + "/" + name;

    public async Task<ArtifactEntry> PutAsync(string runId, string specVersion, string kind, string name, Stream content, CancellationToken cancellationToken = default)
    {
        // Local copy first: if the service is down the artifact is still kept.
        var entry = await _local.PutAsync(runId, specVersion, kind, name, content, cancellationToken).ConfigureAwait(false);
        await RemoteAsync($"upload {name} of run {runId}", runId, async ct =>
        {
            await EnsureContainerAsync(ct).ConfigureAwait(false);
            var remoteManifest = await DownloadOrNullAsync(BlobName(runId, ArtifactManifest.FileName), ct).ConfigureAwait(false);
            var remoteComplete = remoteManifest is not null && ArtifactManifest.Parse(remoteManifest).IsComplete;
            var blob = _container.GetBlobClient(BlobName(runId, name));
            if (remoteComplete && !(await blob.ExistsAsync(ct).ConfigureAwait(false)).Value)
                throw new ArtifactStoreException($"run {runId} is complete in {_container.Uri}; no artifact can be added to a finished run ({name})")
                { LocalCopy = _local.RunFolder(runId) };
            try
            {
                await UploadArtifactAsync(blob, runId, specVersion, entry, overwrite: false, ct).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                var props = (await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value;
                if (props.Metadata.TryGetValue("sha256", out var sha) && string.Equals(sha, entry.Sha256, StringComparison.Ordinal))
                    return; // the same content is already there
                if (remoteComplete)
                    throw new ArtifactStoreException($"artifact {name} of finished run {runId} already exists in {_container.Uri} with other content (409 BlobAlreadyExists); artifacts of a finished run are never overwritten", ex)
                    { LocalCopy = _local.RunFolder(runId) };
                await UploadArtifactAsync(blob, runId, specVersion, entry, overwrite: true, ct).ConfigureAwait(false);
            }
            if (!remoteComplete) await UploadManifestAsync(runId, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    async Task UploadArtifactAsync(BlobClient blob, string runId, string specVersion, ArtifactEntry entry, bool overwrite, CancellationToken ct)
    {
        var md5 = Convert.FromBase64String(entry.Md5);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentHash = md5, ContentType = ContentType(entry.Name) },
            Metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["run_id"] = runId,
                ["spec_version"] = specVersion,
                ["kind"] = entry.Kind,
                ["sha256"] = entry.Sha256,
            },
            TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
        };
        if (!overwrite) options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        await using var file = await _local.OpenReadAsync(runId, entry.Name, ct).ConfigureAwait(false);
        await blob.UploadAsync(file, options, ct).ConfigureAwait(false);
    }

    static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".json" => "application/json",
        ".csv" => "text/csv; charset=utf-8",
        ".txt" or ".md" or ".sha256" => "text/plain; charset=utf-8",
        ".html" => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };

    /// <summary>Uploads the local manifest and hash file (only while the remote run is not complete).</summary>
    async Task UploadManifestAsync(string runId, CancellationToken ct)
    {
        var bytes = await _local.ReadManifestBytesAsync(runId, ct).ConfigureAwait(false)
            ?? throw new ArtifactStoreException($"run {runId} has no local manifest in {_local.Root}");
        var manifest = ArtifactManifest.Parse(bytes);
        var headers = new BlobHttpHeaders { ContentType = "application/json", ContentHash = MD5.HashData(bytes) };
        var meta = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["run_id"] = runId,
            ["spec_version"] = manifest.SpecVersion,
            ["kind"] = "manifest",
            ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            ["status"] = manifest.Status,
        };
        await _container.GetBlobClient(BlobName(runId, ArtifactManifest.FileName))
            .UploadAsync(new BinaryData(bytes), new BlobUploadOptions { HttpHeaders = headers, Metadata = meta }, ct).ConfigureAwait(false);
        var hash = ArtifactManifest.HashFile(bytes);
        await _container.GetBlobClient(BlobName(runId, ArtifactManifest.HashFileName))
            .UploadAsync(new BinaryData(hash), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain", ContentHash = MD5.HashData(hash) }, Metadata = meta }, ct).ConfigureAwait(false);
        if (await _local.ReadSealBytesAsync(runId, ct).ConfigureAwait(false) is { } seal)
            await _container.GetBlobClient(BlobName(runId, ManifestSealer.FileName))
                .UploadAsync(new BinaryData(seal), new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain", ContentHash = MD5.HashData(seal) }, Metadata = meta }, ct).ConfigureAwait(false);
    }

    public async Task<ArtifactManifest> CompleteRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        var manifest = await _local.CompleteRunAsync(runId, cancellationToken).ConfigureAwait(false);
        await RemoteAsync($"complete run {runId}", runId, async ct =>
        {
            await EnsureContainerAsync(ct).ConfigureAwait(false);
            var remote = await DownloadOrNullAsync(BlobName(runId, ArtifactManifest.FileName), ct).ConfigureAwait(false);
            if (remote is not null && ArtifactManifest.Parse(remote).IsComplete) return;
            // A put that failed earlier left artifacts only in the local copy: upload them now (idempotent).
            foreach (var a in manifest.Artifacts)
            {
                var blob = _container.GetBlobClient(BlobName(runId, a.Name));
                try { await UploadArtifactAsync(blob, runId, manifest.SpecVersion, a, overwrite: false, ct).ConfigureAwait(false); }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    var props = (await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false)).Value;
                    if (!props.Metadata.TryGetValue("sha256", out var sha) || !string.Equals(sha, a.Sha256, StringComparison.Ordinal))
                        await UploadArtifactAsync(blob, runId, manifest.SpecVersion, a, overwrite: true, ct).ConfigureAwait(false);
                }
            }
            await UploadManifestAsync(runId, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return manifest;
    }

    public async Task<ArtifactManifest?> GetManifestAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArtifactManifest.CheckRunId(runId);
        byte[]? bytes = null;
        await RemoteAsync($"read manifest of run {runId}", runId, async ct =>
            bytes = await DownloadOrNullAsync(BlobName(runId, ArtifactManifest.FileName), ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return bytes is null ? null : ArtifactManifest.Parse(bytes);
    }

    public async Task<Stream> OpenReadAsync(string runId, string name, CancellationToken cancellationToken = default)
    {
        ArtifactManifest.CheckName(runId, name);
        byte[]? bytes = null;
        await RemoteAsync($"read {name} of run {runId}", runId, async ct =>
            bytes = await DownloadOrNullAsync(BlobName(runId, name), ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return bytes is null ? throw new ArtifactStoreException($"artifact {name} of run {runId} not found in {_container.Uri}") : new MemoryStream(bytes, writable: false);
    }

    public async Task<VerifyReport> VerifyAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArtifactManifest.CheckRunId(runId);
        VerifyReport? report = null;
        await RemoteAsync($"verify run {runId}", runId, async ct =>
        {
            var present = new Dictionary<string, BlobItem>(StringComparer.Ordinal);
            await foreach (var item in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = runId + "/", Traits = BlobTraits.Metadata }, ct).ConfigureAwait(false))
                present[item.Name[(runId.Length + 1)..]] = item;
            present.Remove(ArtifactManifest.HashFileName);
            present.Remove(ManifestSealer.FileName);
            if (!present.Remove(ArtifactManifest.FileName))
            {
                report = new VerifyReport(runId, false, false, "", 0, [], [], [.. present.Keys.Order(StringComparer.Ordinal)]);
                return;
            }
            var bytes = (await DownloadOrNullAsync(BlobName(runId, ArtifactManifest.FileName), ct).ConfigureAwait(false))!;
            var intact = ArtifactManifest.HashMatches(bytes, await DownloadOrNullAsync(BlobName(runId, ArtifactManifest.HashFileName), ct).ConfigureAwait(false));
            var manifest = ArtifactManifest.Parse(bytes);
            List<string> changed = [], missing = [];
            foreach (var a in manifest.Artifacts)
            {
                if (!present.Remove(a.Name)) { missing.Add(a.Name); continue; }
                var response = await _container.GetBlobClient(BlobName(runId, a.Name)).DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
                await using var stream = response.Value.Content;
                var actual = await LocalArtifactStore.CopyHashingAsync(stream, Stream.Null, a.Name, a.Kind, ct).ConfigureAwait(false);
                if (actual.Size != a.Size || !string.Equals(actual.Sha256, a.Sha256, StringComparison.Ordinal)) changed.Add(a.Name);
            }
            var seal = LocalArtifactStore.CheckSeal(_sealer, bytes, await DownloadOrNullAsync(BlobName(runId, ManifestSealer.FileName), ct).ConfigureAwait(false));
            report = new VerifyReport(runId, true, intact, manifest.Status, manifest.Artifacts.Count, changed, missing, [.. present.Keys.Order(StringComparer.Ordinal)], manifest.RunId, seal);
        }, cancellationToken).ConfigureAwait(false);
        return report!;
    }

    async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (_containerReady) return;
        await _container.CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
        _containerReady = true;
    }

    async Task<byte[]?> DownloadOrNullAsync(string blobName, CancellationToken ct)
    {
        try
        {
            var result = await _container.GetBlobClient(blobName).DownloadContentAsync(ct).ConfigureAwait(false);
            return result.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Runs a service call; an unreachable or failing service becomes one clear error that names the local copy.</summary>
    async Task RemoteAsync(string what, string runId, Func<CancellationToken, Task> action, CancellationToken ct)
    {
        var before = _attempts.Count;
        try
        {
            await action(ct).ConfigureAwait(false);
        }
        catch (ArtifactStoreException)
        {
            throw;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var attempts = _attempts.Count - before;
            var reason = ex is RequestFailedException { Status: > 0 } rf
                ? string.Create(CultureInfo.InvariantCulture, $"HTTP {rf.Status} {rf.ErrorCode}")
                : "service unreachable: " + (ex.InnerException?.Message ?? ex.Message).Split('\n')[0];
            throw new ArtifactStoreException(
                string.Create(CultureInfo.InvariantCulture, $"Azure Blob Storage {_container.Uri}: could not {what} after {attempts} attempt(s) ({ConnectionStrings.Mask(reason)}); the artifacts are kept in the local copy {_local.RunFolder(runId)}"), ex)
            {
                Attempts = attempts,
                LocalCopy = _local.RunFolder(runId),
            };
        }
    }

    /// <summary>Counts every attempt, retries included (placed per retry in the pipeline).</summary>
    sealed class AttemptCounter : HttpPipelineSynchronousPolicy
    {
        int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message) => Interlocked.Increment(ref _count);
    }
}
