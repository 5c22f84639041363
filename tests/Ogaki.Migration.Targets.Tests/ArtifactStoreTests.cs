using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Blobs;
using Ogaki.Migration.Artifacts;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>Artifact stores: local folder and Azure Blob Storage (Azurite), manifest, verify, no overwrite, outage.</summary>
public sealed class ArtifactStoreTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Kinds => new() { "local", "azure" };

    /// <summary>The run's secret key seals finished manifests; verify checks the seal with it.</summary>
    static readonly ManifestSealer Sealer = new(new Ogaki.Migration.Spec.Privacy.Pseudonymizer("artifact-store-test-key-0123456789"));

    static readonly byte[] Report = Encoding.UTF8.GetBytes("宛名番号,氏名\n***1234,葛\U000E0100城　太郎\n");
    static readonly byte[] Rejects = Encoding.UTF8.GetBytes("file,record,offset,field,reason\nJUKI.dat,7,1380,生年月日,不正な和暦\n");
    static readonly byte[] Diff = Encoding.UTF8.GetBytes("{\"matched\":1200}\n");

    /// <summary>A store of either kind; for Azure also the raw container, to tamper with blobs behind the store's back.</summary>
    sealed class Fixture : IAsyncDisposable
    {
        public required TempDir Dir { get; init; }

        public required IArtifactStore Store { get; init; }

        public BlobContainerClient? Container { get; init; }

        public static Fixture Create(string kind)
        {
            var dir = new TempDir();
            if (kind == "local")
                return new Fixture { Dir = dir, Store = ArtifactStoreFactory.Create(null, dir.File("artifacts"), sealer: Sealer) };
            var conn = Services.AzureBlobConn();
            var name = "t" + Guid.NewGuid().ToString("N")[..20];
            var raw = new BlobServiceClient(conn, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05)).GetBlobContainerClient(name);
            return new Fixture { Dir = dir, Store = ArtifactStoreFactory.Create(conn, dir.File("local-copy"), name, Sealer), Container = raw };
        }

        public async Task ChangeAsync(string runId, string name, byte[] content)
        {
            if (Container is null) await File.WriteAllBytesAsync(Path.Combine(Dir.File("artifacts"), runId, name), content, Ct);
            else await Container.GetBlobClient(runId + "/" + name).UploadAsync(new BinaryData(content), overwrite: true, Ct);
        }

        public async Task DeleteAsync(string runId, string name)
        {
            if (Container is null) File.Delete(Path.Combine(Dir.File("artifacts"), runId, name));
            else await Container.GetBlobClient(runId + "/" + name).DeleteAsync(cancellationToken: Ct);
        }

        public async ValueTask DisposeAsync()
        {
            if (Container is not null) await Container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
            Dir.Dispose();
        }
    }

    static async Task PutAllAsync(IArtifactStore store, string runId)
    {
        await store.PutAsync(runId, "1.1", "report", "summary.csv", new MemoryStream(Report), Ct);
        await store.PutAsync(runId, "1.1", "rejects", "rejects/JUKI.csv", new MemoryStream(Rejects), Ct);
        await store.PutAsync(runId, "1.1", "reconciliation", "reconciliation.json", new MemoryStream(Diff), Ct);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_completed_run_has_a_hashed_manifest_and_verifies_clean(string kind)
    {
        await using var f = Fixture.Create(kind);
        await PutAllAsync(f.Store, "run-1");
        var partial = await f.Store.GetManifestAsync("run-1", Ct);
        Assert.Equal(ArtifactManifest.Incomplete, partial!.Status);
        Assert.Equal(ArtifactManifest.Incomplete, (await f.Store.VerifyAsync("run-1", Ct)).Status);

        var manifest = await f.Store.CompleteRunAsync("run-1", Ct);
        Assert.True(manifest.IsComplete);
        Assert.Equal(["reconciliation.json", "rejects/JUKI.csv", "summary.csv"], manifest.Artifacts.Select(a => a.Name));
        var summary = manifest.Artifacts.Single(a => a.Name == "summary.csv");
        Assert.Equal(Report.Length, summary.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Report)), summary.Sha256);
        Assert.Equal("report", summary.Kind);

        var report = await f.Store.VerifyAsync("run-1", Ct);
        Assert.True(report.IsClean, report.ToString());
        Assert.Equal(3, report.Checked);
        Assert.Equal(ArtifactManifest.Complete, report.Status);

        await using var read = await f.Store.OpenReadAsync("run-1", "summary.csv", Ct);
        using var ms = new MemoryStream();
        await read.CopyToAsync(ms, Ct);
        Assert.Equal(Report, ms.ToArray()); // Japanese text byte-identical

        if (f.Container is not null)
        {
            var props = (await f.Container.GetBlobClient("run-1/summary.csv").GetPropertiesAsync(cancellationToken: Ct)).Value;
            Assert.Equal(MD5.HashData(Report), props.ContentHash);
            Assert.Equal("run-1", props.Metadata["run_id"]);
            Assert.Equal("1.1", props.Metadata["spec_version"]);
            Assert.Equal("report", props.Metadata["kind"]);
            Assert.Equal(summary.Sha256, props.Metadata["sha256"]);
            var hashFile = (await f.Container.GetBlobClient("run-1/" + ArtifactManifest.HashFileName).DownloadContentAsync(Ct)).Value.Content.ToArray();
            var manifestBytes = (await f.Container.GetBlobClient("run-1/" + ArtifactManifest.FileName).DownloadContentAsync(Ct)).Value.Content.ToArray();
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)) + "  manifest.json\n", Encoding.ASCII.GetString(hashFile));
        }
        else
        {
            var dir = Path.Combine(f.Dir.File("artifacts"), "run-1");
            var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(dir, ArtifactManifest.FileName), Ct);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(manifestBytes)) + "  manifest.json\n", await File.ReadAllTextAsync(Path.Combine(dir, ArtifactManifest.HashFileName), Ct));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Verify_reports_a_changed_a_missing_and_an_extra_artifact(string kind)
    {
        await using var f = Fixture.Create(kind);
        await PutAllAsync(f.Store, "run-2");
        await f.Store.CompleteRunAsync("run-2", Ct);

        await f.ChangeAsync("run-2", "summary.csv", Encoding.UTF8.GetBytes("宛名番号,氏名\n***1234,葛城　太郎\n"));
        await f.DeleteAsync("run-2", "reconciliation.json");
        if (f.Container is null) Directory.CreateDirectory(Path.Combine(f.Dir.File("artifacts"), "run-2", "extra"));
        await f.ChangeAsync("run-2", "extra/unlisted.txt", [1, 2, 3]);

        var report = await f.Store.VerifyAsync("run-2", Ct);
        Assert.False(report.IsClean);
        Assert.True(report.ManifestIntact);
        Assert.Equal(["summary.csv"], report.Changed);
        Assert.Equal(["reconciliation.json"], report.Missing);
        Assert.Equal(["extra/unlisted.txt"], report.Extra);

        // A manifest edited to match a change no longer matches its hash file.
        var manifest = (await f.Store.GetManifestAsync("run-2", Ct))!;
        var forged = manifest with { Artifacts = [.. manifest.Artifacts.Select(a => a with { Sha256 = new string('0', 64) })] };
        await f.ChangeAsync("run-2", ArtifactManifest.FileName, forged.ToBytes());
        Assert.False((await f.Store.VerifyAsync("run-2", Ct)).ManifestIntact);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_artifact_of_a_finished_run_is_never_overwritten(string kind)
    {
        await using var f = Fixture.Create(kind);
        await PutAllAsync(f.Store, "run-3");
        // Before completion the same content may be put again (a resumed run) without error.
        await f.Store.PutAsync("run-3", "1.1", "report", "summary.csv", new MemoryStream(Report), Ct);
        await f.Store.CompleteRunAsync("run-3", Ct);

        var ex = await Assert.ThrowsAsync<ArtifactStoreException>(() =>
            f.Store.PutAsync("run-3", "1.1", "report", "summary.csv", new MemoryStream(Encoding.UTF8.GetBytes("other")), Ct));
        Assert.Contains("never overwritten", ex.Message, StringComparison.Ordinal);
        Assert.Contains("summary.csv", ex.Message, StringComparison.Ordinal);
        var added = await Assert.ThrowsAsync<ArtifactStoreException>(() =>
            f.Store.PutAsync("run-3", "1.1", "report", "late.csv", new MemoryStream(Report), Ct));
        Assert.Contains("finished run", added.Message, StringComparison.Ordinal);

        Assert.True((await f.Store.VerifyAsync("run-3", Ct)).IsClean);
        await using var read = await f.Store.OpenReadAsync("run-3", "summary.csv", Ct);
        using var ms = new MemoryStream();
        await read.CopyToAsync(ms, Ct);
        Assert.Equal(Report, ms.ToArray());
    }

    [Fact]
    public async Task Azure_blob_refuses_the_overwrite_with_409_when_the_local_copy_is_not_the_guard()
    {
        // Two stores with separate local copies on one container: only the service's 409 protects the finished run.
        using var dirA = new TempDir();
        using var dirB = new TempDir();
        var conn = Services.AzureBlobConn();
        var name = "t" + Guid.NewGuid().ToString("N")[..20];
        var a = ArtifactStoreFactory.Create(conn, dirA.Path, name, Sealer);
        var b = ArtifactStoreFactory.Create(conn, dirB.Path, name, Sealer);
        try
        {
            await a.PutAsync("run-4", "1.1", "report", "summary.csv", new MemoryStream(Report), Ct);
            await a.CompleteRunAsync("run-4", Ct);
            var ex = await Assert.ThrowsAsync<ArtifactStoreException>(() =>
                b.PutAsync("run-4", "1.1", "report", "summary.csv", new MemoryStream(Encoding.UTF8.GetBytes("other")), Ct));
            Assert.Contains("409", ex.Message, StringComparison.Ordinal);
            var added = await Assert.ThrowsAsync<ArtifactStoreException>(() =>
                b.PutAsync("run-4", "1.1", "report", "late.csv", new MemoryStream(Report), Ct));
            Assert.Contains("finished run", added.Message, StringComparison.Ordinal);
            Assert.True((await a.VerifyAsync("run-4", Ct)).IsClean);
        }
        finally
        {
            await new BlobServiceClient(conn, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05)).GetBlobContainerClient(name).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public async Task Azure_unavailable_gives_a_clear_error_after_retries_and_keeps_the_local_copy()
    {
        using var dir = new TempDir();
        int closedPort;
        using (var l = new TcpListener(IPAddress.Loopback, 0)) { l.Start(); closedPort = ((IPEndPoint)l.LocalEndpoint).Port; }
        const string key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
        var down = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;";
        var container = "t" + Guid.NewGuid().ToString("N")[..20];
        var store = new AzureBlobArtifactStore(down, container, dir.Path, maxRetries: 3, retryDelay: TimeSpan.FromMilliseconds(20), sealer: Sealer);

        var ex = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.PutAsync("run-5", "1.1", "report", "summary.csv", new MemoryStream(Report), Ct));
        Assert.Equal(4, ex.Attempts); // first try + 3 retries
        Assert.Contains("after 4 attempt(s)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local copy", ex.Message, StringComparison.Ordinal);
        Assert.Contains(closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, store.Description, StringComparison.Ordinal);
        Assert.Equal(Report, await File.ReadAllBytesAsync(Path.Combine(ex.LocalCopy!, "summary.csv"), Ct));
        await Assert.ThrowsAsync<ArtifactStoreException>(() => store.PutAsync("run-5", "1.1", "rejects", "rejects/JUKI.csv", new MemoryStream(Rejects), Ct));
        var local = await store.Local.VerifyAsync("run-5", Ct);
        Assert.True(local.ManifestIntact && local.Changed.Count == 0 && local.Missing.Count == 0 && local.Extra.Count == 0, local.ToString());
        Assert.False(local.IsClean); // every artifact is there, but an unfinished run is never "intact"
        Assert.Equal(2, (await store.Local.GetManifestAsync("run-5", Ct))!.Artifacts.Count);

        // When the service is back, completing the run uploads what only the local copy held: nothing was lost.
        var conn = Services.AzureBlobConn();
        var back = ArtifactStoreFactory.Create(conn, dir.Path, container, Sealer);
        try
        {
            await back.CompleteRunAsync("run-5", Ct);
            var report = await back.VerifyAsync("run-5", Ct);
            Assert.True(report.IsClean, report.ToString());
            Assert.Equal(2, report.Checked);
            Assert.Equal(ArtifactManifest.Complete, report.Status);
        }
        finally
        {
            await new BlobServiceClient(conn, new BlobClientOptions(BlobClientOptions.ServiceVersion.V2025_11_05)).GetBlobContainerClient(container).DeleteIfExistsAsync(cancellationToken: CancellationToken.None);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_report_rewritten_with_recomputed_hashes_breaks_the_seal(string kind)
    {
        await using var f = Fixture.Create(kind);
        await PutAllAsync(f.Store, "run-7");
        await f.Store.CompleteRunAsync("run-7", Ct);
        Assert.Equal(SealState.Valid, (await f.Store.VerifyAsync("run-7", Ct)).Seal);

        // Someone who can write files edits a report, then recomputes its entry in the manifest and the manifest's hash file.
        var edited = Encoding.UTF8.GetBytes("宛名番号,氏名\n***1234,改竄　太郎\n");
        await f.ChangeAsync("run-7", "summary.csv", edited);
        var manifest = (await f.Store.GetManifestAsync("run-7", Ct))!;
        var forged = manifest with
        {
            Artifacts = [.. manifest.Artifacts.Select(a => a.Name == "summary.csv"
                ? a with { Size = edited.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(edited)), Md5 = Convert.ToBase64String(MD5.HashData(edited)) }
                : a)],
        };
        var forgedBytes = forged.ToBytes();
        await f.ChangeAsync("run-7", ArtifactManifest.FileName, forgedBytes);
        await f.ChangeAsync("run-7", ArtifactManifest.HashFileName, ArtifactManifest.HashFile(forgedBytes));

        var report = await f.Store.VerifyAsync("run-7", Ct);
        Assert.True(report.ManifestIntact);          // the hashes alone are consistent again…
        Assert.Empty(report.Changed);
        Assert.Equal(SealState.Invalid, report.Seal); // …but the seal, made under the run's key, is not
        Assert.False(report.IsClean);
        Assert.Contains(report.Problems(), p => p.Contains("rewritten", StringComparison.Ordinal));

        // Removing the seal does not help either.
        if (f.Container is null) File.Delete(Path.Combine(f.Dir.File("artifacts"), "run-7", ManifestSealer.FileName));
        else await f.DeleteAsync("run-7", ManifestSealer.FileName);
        var unsealed = await f.Store.VerifyAsync("run-7", Ct);
        Assert.Equal(SealState.Missing, unsealed.Seal);
        Assert.False(unsealed.IsClean);
    }

    [Fact]
    public async Task A_renamed_an_unfinished_an_unkeyed_or_another_keys_run_is_not_intact()
    {
        using var dir = new TempDir();
        var store = new LocalArtifactStore(dir.Path, Sealer);
        await PutAllAsync(store, "run-8");
        var unfinished = await store.VerifyAsync("run-8", Ct);
        Assert.Equal(ArtifactManifest.Incomplete, unfinished.Status);
        Assert.False(unfinished.IsClean);
        Assert.Contains(unfinished.Problems(), p => p.Contains("never finished", StringComparison.Ordinal));

        await store.CompleteRunAsync("run-8", Ct);
        Assert.True((await store.VerifyAsync("run-8", Ct)).IsClean);

        // The same folder under another name: every hash still matches, but the manifest names another run.
        Directory.Move(Path.Combine(dir.Path, "run-8"), Path.Combine(dir.Path, "run-9"));
        var renamed = await store.VerifyAsync("run-9", Ct);
        Assert.True(renamed.ManifestIntact);
        Assert.False(renamed.RunIdMatches);
        Assert.False(renamed.IsClean);
        Directory.Move(Path.Combine(dir.Path, "run-9"), Path.Combine(dir.Path, "run-8"));

        var otherKey = await new LocalArtifactStore(dir.Path, new ManifestSealer(new Ogaki.Migration.Spec.Privacy.Pseudonymizer("another-secret-key-987654321"))).VerifyAsync("run-8", Ct);
        Assert.Equal(SealState.OtherKey, otherKey.Seal);
        Assert.False(otherKey.IsClean);
        var noKey = await new LocalArtifactStore(dir.Path).VerifyAsync("run-8", Ct);
        Assert.Equal(SealState.NotChecked, noKey.Seal);
        Assert.False(noKey.IsClean);
    }

    [Fact]
    public void Factory_picks_the_store_from_the_connection_and_masks_the_key()
    {
        using var dir = new TempDir();
        Assert.IsType<LocalArtifactStore>(ArtifactStoreFactory.Create(null, dir.Path));
        Assert.IsType<LocalArtifactStore>(ArtifactStoreFactory.Create("  ", dir.Path));
        var folder = Assert.IsType<LocalArtifactStore>(ArtifactStoreFactory.Create(dir.File("elsewhere"), dir.Path));
        Assert.Equal(dir.File("elsewhere"), folder.Root);
        var dev = Assert.IsType<AzureBlobArtifactStore>(ArtifactStoreFactory.Create("UseDevelopmentStorage=true", dir.Path));
        Assert.EndsWith("/" + ArtifactStoreFactory.DefaultContainer, dev.ContainerUri.AbsoluteUri, StringComparison.Ordinal);
        var named = Assert.IsType<AzureBlobArtifactStore>(ArtifactStoreFactory.Create(
            "DefaultEndpointsProtocol=https;AccountName=ogakimig;AccountKey=c2VjcmV0c2VjcmV0;EndpointSuffix=core.windows.net;Container=rehearsal-3", dir.Path));
        Assert.Equal("https://ogakimig.blob.core.windows.net/rehearsal-3", named.ContainerUri.AbsoluteUri);
        Assert.DoesNotContain("c2VjcmV0c2VjcmV0", named.Description, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create("AccountName=x;AccountKey=c2VjcmV0c2VjcmV0;Bogus", dir.Path));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("a//b")]
    [InlineData("manifest.json")]
    public async Task Artifact_names_cannot_escape_the_run_or_replace_the_manifest(string name)
    {
        using var dir = new TempDir();
        var store = new LocalArtifactStore(dir.Path);
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync("run-6", "1.1", "report", name, new MemoryStream(Report), Ct));
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }
}
