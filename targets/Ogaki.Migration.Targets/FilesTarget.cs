using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// The standard hand-over layout: one UTF-8 CSV file per グループ (entity, <c>&lt;table&gt;.csv</c>), columns in
/// データ項目ID order named by the ローマ字 field names (<see cref="StandardFiles"/>), a run ledger
/// (<c>_ledger.csv</c>) and <c>manifest.json</c> (files, row counts, SHA-256, provisional field names).
/// A batch appends its rows, is flushed to disk, and then commits with its ledger line, which records the file's
/// length after the batch; rows of a batch that never reached the ledger are cut off when the folder is opened
/// again, so an interrupted run resumes like on the databases. Keys are unique and mandatory items present, as the
/// databases' constraints demand.
/// </summary>
public sealed class FilesTarget : IStandardTarget
{
    const string LedgerFile = "_ledger.csv";
    const string ManifestFile = "manifest.json";
    const string SchemaFile = "_schema.txt"; // the entity files this tool created, one name a line

    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    static readonly string LedgerHeader = "run_id,spec_version,entity,batch_no,first_input,last_input,row_count,checksum,completed_at,file_bytes" + StandardFiles.Newline;

    readonly SemaphoreSlim _gate = new(1, 1);
    readonly Dictionary<string, EntityFile> _files = new(StringComparer.Ordinal);
    readonly List<(LedgerEntry Entry, long FileBytes)> _ledger = [];
    string _specVersion = "";

    /// <param name="folder">Output folder; created when missing.</param>
    public FilesTarget(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    public string Kind => "files";

    public string Description => "files " + Folder;

    public async Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _specVersion = specVersion;
            Directory.CreateDirectory(Folder);
            ReadLedger();
            foreach (var entity in entities)
            {
                var path = Path.Combine(Folder, entity.Table + ".csv");
                if (!File.Exists(path))
                {
                    await File.WriteAllBytesAsync(path, Utf8.GetBytes(StandardFiles.Header(StandardFiles.Columns(entity))), cancellationToken).ConfigureAwait(false);
                    await File.AppendAllTextAsync(Path.Combine(Folder, SchemaFile), Path.GetFileName(path) + "\n", Utf8, cancellationToken).ConfigureAwait(false);
                }
                _files[entity.Name] = await OpenAsync(entity, cancellationToken).ConfigureAwait(false);
            }
        }
        finally { _gate.Release(); }
    }

    /// <summary>Deletes the files this tool wrote here (entity files it created, ledger, manifest); other files stay.</summary>
    public async Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var schema = Path.Combine(Folder, SchemaFile);
            var created = File.Exists(schema) ? await File.ReadAllLinesAsync(schema, Utf8, cancellationToken).ConfigureAwait(false) : [];
            var deleted = new List<string>();
            foreach (var name in created.Where(n => n.Length > 0).Append(LedgerFile).Append(ManifestFile).Append(SchemaFile).Distinct(StringComparer.Ordinal))
            {
                var path = Path.Combine(Folder, Path.GetFileName(name));
                if (!File.Exists(path)) continue;
                File.Delete(path);
                deleted.Add(name);
            }
            _files.Clear();
            _ledger.Clear();
            return deleted;
        }
        finally { _gate.Release(); }
    }

    public async Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_files.TryGetValue(batch.Entity.Name, out var file))
            {
                // A resumed process opens the folder without ensuring the schema again, as it would a database.
                if (!File.Exists(Path.Combine(Folder, batch.Entity.Table + ".csv")))
                    throw new TargetLoadException(batch, $"no file {batch.Entity.Table}.csv for {batch.Entity.Name}: the schema was not ensured for it");
                ReadLedger();
                _files[batch.Entity.Name] = file = await OpenAsync(batch.Entity, cancellationToken).ConfigureAwait(false);
            }
            var done = _ledger.FirstOrDefault(l => l.Entry.RunId == batch.RunId && l.Entry.Entity == batch.Entity.Name && l.Entry.BatchNumber == batch.BatchNumber);
            if (done.Entry is not null) return LoadSupport.Skip(batch, (done.Entry.Checksum, done.Entry.RowCount));

            using var hasher = new RowHasher();
            var text = new StringBuilder();
            var keys = new HashSet<string>(StringComparer.Ordinal);
            var values = new object?[batch.Entity.Items.Count];
            foreach (var record in batch.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                LoadSupport.CheckEntity(batch, record);
                hasher.StartRow();
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = record.GetValue(i);
                    hasher.Value(values[i]);
                    var item = batch.Entity.Items[i];
                    if (values[i] is null && batch.Entity.IsNeverEmpty(item))
                        throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: a mandatory item is empty");
                    // The same limits the databases' columns enforce, so every target accepts the same rows.
                    if (values[i] is string s && file.MaxLengths[i] is { } max && s.Length > max && s.EnumerateRunes().Count() > max)
                        throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: {s.EnumerateRunes().Count()} code points exceed the column's {max}");
                    if (values[i] is decimal amount && item.Type == ItemType.Amount && decimal.Truncate(amount) != amount)
                        throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: amount {CanonicalValue.Decimal(amount)} is not whole yen");
                }
                hasher.EndRow();
                var key = file.KeyOf(values);
                if (file.Keys.Contains(key) || !keys.Add(key))
                    throw new TargetLoadException(batch, $"a key is already in {file.FileName} (loaded by another run?): {string.Join(", ", batch.Entity.Key)}");
                StandardFiles.FillMachiazaCodes(values, file.MachiazaCodes);
                StandardFiles.AppendRow(text, file.Columns, values);
            }
            var checksum = hasher.Finish();
            long length;
            await using (var fs = new FileStream(file.Path, FileMode.Append, FileAccess.Write, FileShare.Read))
            {
                await fs.WriteAsync(Utf8.GetBytes(text.ToString()), cancellationToken).ConfigureAwait(false);
                fs.Flush(flushToDisk: true);
                length = fs.Length;
            }
            var entry = new LedgerEntry(batch.RunId, batch.SpecVersion, batch.Entity.Name, batch.BatchNumber, batch.FirstInput, batch.LastInput, hasher.Rows, checksum, DateTime.UtcNow);
            await AppendLedgerAsync(entry, length, cancellationToken).ConfigureAwait(false);
            file.Keys.UnionWith(keys);
            return new BatchResult(batch.BatchNumber, hasher.Rows, false, checksum);
        }
        catch (Exception ex) when (ex is IOException or InvalidCastException or UnauthorizedAccessException)
        {
            throw new TargetLoadException(batch, LoadSupport.Reason(ex), ex);
        }
        finally { _gate.Release(); }
    }

    /// <summary>Reads the file back, in key order (UTF-8 byte order for text, numeric for whole numbers and flags, nulls last), as the databases do.</summary>
    public async IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var file = _files.TryGetValue(entity.Name, out var f) ? f : new EntityFile(entity, Path.Combine(Folder, entity.Table + ".csv"));
        var rows = new List<object?[]>();
        // A snapshot of the rows: sorted here, as the databases sort by their key.
        await foreach (var row in ReadRowsAsync(file, cancellationToken).ConfigureAwait(false)) rows.Add(row);
        var keyOrdinals = TargetNames.KeyItems(entity).Select(k => k.Ordinal).ToArray();
        rows.Sort((a, b) =>
        {
            foreach (var o in keyOrdinals)
            {
                var c = CompareKeyValues(a[o], b[o]);
                if (c != 0) return c;
            }
            return 0;
        });
        foreach (var row in rows) yield return row;
    }

    static int CompareKeyValues(object? a, object? b)
    {
        if (a is null || b is null) return a is null ? (b is null ? 0 : 1) : -1;
        return (a, b) switch
        {
            (int x, int y) => x.CompareTo(y),
            (bool x, bool y) => x.CompareTo(y),
            (DateOnly x, DateOnly y) => x.CompareTo(y),
            _ => Utf8.GetBytes(KeyText(a)).AsSpan().SequenceCompareTo(Utf8.GetBytes(KeyText(b))),
        };
    }

    static string KeyText(object v) => v switch
    {
        string s => s,
        YearMonth ym => ym.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    public async Task<long> CountAsync(SpecEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var file = _files.TryGetValue(entity.Name, out var f) ? f : new EntityFile(entity, Path.Combine(Folder, entity.Table + ".csv"));
        long n = 0;
        await foreach (var _ in ReadRowsAsync(file, cancellationToken).ConfigureAwait(false)) n++;
        return n;
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ledger.Count == 0) ReadLedger();
            return [.. _ledger.Select(l => l.Entry).Where(e => runId is null || e.RunId == runId)
                .OrderBy(e => e.RunId, StringComparer.Ordinal).ThenBy(e => e.Entity, StringComparer.Ordinal).ThenBy(e => e.BatchNumber)];
        }
        finally { _gate.Release(); }
    }

    /// <summary>Writes <c>manifest.json</c>: each file with its グループ, row count and SHA-256, and the field names that are provisional.</summary>
    public async Task WriteManifestAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var files = new List<object>();
            foreach (var file in _files.Values.OrderBy(f => f.FileName, StringComparer.Ordinal))
            {
                long rows = 0;
                await foreach (var _ in ReadRowsAsync(file, cancellationToken).ConfigureAwait(false)) rows++;
                byte[] hash;
                await using (var fs = File.OpenRead(file.Path))
                    hash = await SHA256.HashDataAsync(fs, cancellationToken).ConfigureAwait(false);
                files.Add(new
                {
                    file = file.FileName,
                    group = file.Entity.NameJa,
                    entity = file.Entity.Name,
                    rows,
                    sha256 = Convert.ToHexStringLower(hash),
                    columns = file.Columns.Select(StandardFiles.FieldName).ToArray(),
                    provisional_field_names = file.Columns.Where(StandardFiles.IsProvisional).Select(i => new { item_id = i.ItemId, name = i.NameJa, field = StandardFiles.FieldName(i) }).ToArray(),
                });
            }
            var manifest = new
            {
                spec_version = _specVersion,
                encoding = "UTF-8 (no BOM), CRLF, RFC 4180; text quoted, a missing value is an empty field",
                note = "Field names marked provisional are derived from our identifiers (snake_case) because the spec has no official ローマ字 name for them yet.",
                files,
            };
            await File.WriteAllTextAsync(Path.Combine(Folder, ManifestFile), JsonSerializer.Serialize(manifest, ManifestJson) + "\n", Utf8, cancellationToken).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async ValueTask DisposeAsync()
    {
        if (_files.Count > 0) await WriteManifestAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    /// <summary>Checks the file's columns, cuts off rows no ledger line committed (an interrupted run) and collects the keys.</summary>
    async Task<EntityFile> OpenAsync(SpecEntity entity, CancellationToken cancellationToken)
    {
        var file = new EntityFile(entity, Path.Combine(Folder, entity.Table + ".csv"));
        string existing;
        using (var reader = new StreamReader(file.Path, Utf8))
            existing = (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false)) ?? "";
        if (existing != StandardFiles.Header(file.Columns).TrimEnd())
            throw new InvalidDataException($"{file.Path}: its columns ({existing}) are not those of {entity.Name} in this spec; write into a new folder");
        var committed = CommittedBytes(file);
        await using (var fs = new FileStream(file.Path, FileMode.Open, FileAccess.Write))
            if (fs.Length > committed) fs.SetLength(committed);
        await foreach (var row in ReadRowsAsync(file, cancellationToken).ConfigureAwait(false))
            file.Keys.Add(file.KeyOf(row));
        return file;
    }

    /// <summary>The file's length after its last committed batch (the header alone when none is).</summary>
    long CommittedBytes(EntityFile file) =>
        _ledger.Where(l => l.Entry.Entity == file.Entity.Name).Select(l => l.FileBytes).DefaultIfEmpty(Utf8.GetByteCount(StandardFiles.Header(file.Columns))).Last();

    /// <summary>The committed rows only: bytes past the last ledger line of the entity belong to no batch.</summary>
    async IAsyncEnumerable<object?[]> ReadRowsAsync(EntityFile file, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!File.Exists(file.Path)) yield break;
        await Task.Yield();
        if (_ledger.Count == 0) ReadLedger();
        var fs = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(new BoundedStream(fs, CommittedBytes(file)), Utf8);
        long line = 0;
        foreach (var fields in StandardFiles.ReadRecords(reader))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (line++ == 0) continue; // header
            if (fields.Length != file.Columns.Length)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: record {line - 1} has {fields.Length} fields; the header has {file.Columns.Length}"));
            var row = new object?[file.Columns.Length];
            for (var c = 0; c < fields.Length; c++)
            {
                var item = file.Columns[c];
                try { row[item.Ordinal] = StandardFiles.Parse(item, fields[c]); }
                catch (FormatException e) { throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{file.Path}: record {line - 1}, {StandardFiles.FieldName(item)}: {e.Message}"), e); }
            }
            StandardFiles.EmptyMachiazaCodes(row, file.MachiazaCodes);
            yield return row;
        }
    }

    void ReadLedger()
    {
        _ledger.Clear();
        var path = Path.Combine(Folder, LedgerFile);
        if (!File.Exists(path)) return;
        // A ledger line cut short by a killed process committed nothing: drop it.
        var bytes = File.ReadAllBytes(path);
        var complete = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (complete < bytes.Length)
            using (var fs = new FileStream(path, FileMode.Open, FileAccess.Write)) fs.SetLength(complete);
        using var reader = new StringReader(Utf8.GetString(bytes, 0, complete));
        var first = true;
        foreach (var f in StandardFiles.ReadRecords(reader))
        {
            if (first) { first = false; continue; }
            var entry = new LedgerEntry(f[0]!, f[1]!, f[2]!, int.Parse(f[3]!, CultureInfo.InvariantCulture), long.Parse(f[4]!, CultureInfo.InvariantCulture),
                long.Parse(f[5]!, CultureInfo.InvariantCulture), long.Parse(f[6]!, CultureInfo.InvariantCulture), f[7]!,
                DateTime.Parse(f[8]!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
            _ledger.Add((entry, long.Parse(f[9]!, CultureInfo.InvariantCulture)));
        }
    }

    async Task AppendLedgerAsync(LedgerEntry e, long fileBytes, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Folder, LedgerFile);
        var line = new StringBuilder();
        if (!File.Exists(path)) line.Append(LedgerHeader);
        foreach (var (value, text) in new (object Value, bool Text)[]
        {
            (e.RunId, true), (e.SpecVersion, true), (e.Entity, true), (e.BatchNumber, false), (e.FirstInput, false), (e.LastInput, false),
            (e.RowCount, false), (e.Checksum, true), (e.CompletedAtUtc.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture), true), (fileBytes, false),
        })
        {
            var s = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            line.Append(text ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s).Append(',');
        }
        line.Length--;
        line.Append(StandardFiles.Newline);
        await using var fs = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        await fs.WriteAsync(Utf8.GetBytes(line.ToString()), cancellationToken).ConfigureAwait(false);
        fs.Flush(flushToDisk: true);
        _ledger.Add((e, fileBytes));
    }

    sealed class EntityFile(SpecEntity entity, string path)
    {
        readonly int[] _keyOrdinals = [.. TargetNames.KeyItems(entity).Select(k => k.Ordinal)];

        public SpecEntity Entity { get; } = entity;

        public string Path { get; } = path;

        public string FileName => System.IO.Path.GetFileName(Path);

        public SpecItem[] Columns { get; } = StandardFiles.Columns(entity);

        /// <summary>Column limits by spec ordinal, as <see cref="TargetNames.MaxLength"/> gives them to the databases.</summary>
        public int?[] MaxLengths { get; } = [.. entity.Items.Select(TargetNames.MaxLength)];

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public IReadOnlyList<(int Code, int Text, int[] Address)> MachiazaCodes { get; } = StandardFiles.MachiazaCodes(entity);

        public string KeyOf(IReadOnlyList<object?> values) => string.Join('\u0001', _keyOrdinals.Select(o => values[o] is { } v ? KeyText(v) : "\u0000"));
    }
}

/// <summary>A read-only view of the first <c>length</c> bytes of a stream (the committed part of a file).</summary>
sealed class BoundedStream(Stream inner, long length) : Stream
{
    long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, (int)Math.Min(count, length - _position));
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
