using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// SQLite target, the embedded default: the same EF Core model and ledger as PostgreSQL, one IMMEDIATE
/// transaction per batch. Storage: text/kana/digits/code/yearmonth as TEXT, int and flag as INTEGER,
/// amount as canonical decimal TEXT (SQLite has no exact decimal), date as TEXT <c>yyyy-MM-dd</c>.
/// </summary>
public sealed class SqliteTarget : IStandardTarget
{
    readonly SqliteConnection _connection;
    readonly SemaphoreSlim _gate = new(1, 1);
    readonly ConcurrentDictionary<SpecEntity, EntityPlan> _plans = new();

    /// <param name="path">Database file; created when missing.</param>
    public SqliteTarget(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = 60 }.ConnectionString);
        _connection.Open();
        using var pragma = _connection.CreateCommand();
        // WAL survives a killed process (a commit is durable once written); NORMAL sync is enough for that.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=60000;";
        pragma.ExecuteNonQuery();
    }

    public string Path { get; }

    public string Kind => "sqlite";

    public string Description => "sqlite " + Path;

    public async Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { return await SchemaManager.ResetAsync(_connection, TargetProvider.Sqlite, cancellationToken).ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    public async Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try { await SchemaManager.EnsureAsync(_connection, TargetProvider.Sqlite, entities, specVersion, cancellationToken).ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    public async Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var plan = _plans.GetOrAdd(batch.Entity, e => new EntityPlan(e));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var tx = _connection.BeginTransaction(deferred: false);
            using (var check = _connection.CreateCommand())
            {
                check.Transaction = tx;
                check.CommandText = $"SELECT checksum, row_count FROM {TargetNames.LedgerTable} WHERE run_id = $r AND entity = $e AND batch_no = $b";
                check.Parameters.AddWithValue("$r", batch.RunId);
                check.Parameters.AddWithValue("$e", batch.Entity.Name);
                check.Parameters.AddWithValue("$b", batch.BatchNumber);
                using var r = check.ExecuteReader();
                if (r.Read())
                    return LoadSupport.Skip(batch, (r.GetString(0), r.GetInt64(1)));
            }

            using var hasher = new RowHasher();
            using var insert = _connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = plan.InsertSql;
            var parameters = new SqliteParameter[plan.Items.Length];
            for (var i = 0; i < parameters.Length; i++) parameters[i] = insert.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), plan.Types[i]);
            insert.Prepare();
            long written = 0;
            foreach (var record in batch.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                LoadSupport.CheckEntity(batch, record);
                hasher.StartRow();
                for (var i = 0; i < parameters.Length; i++)
                {
                    var value = record.GetValue(i);
                    hasher.Value(value);
                    parameters[i].Value = plan.ToDb(i, value, batch);
                }
                hasher.EndRow();
                written += insert.ExecuteNonQuery();
            }
            var checksum = hasher.Finish();
            using (var ledger = _connection.CreateCommand())
            {
                ledger.Transaction = tx;
                ledger.CommandText = $"INSERT INTO {TargetNames.LedgerTable} (run_id, spec_version, entity, batch_no, first_input, last_input, row_count, checksum, completed_at) VALUES ($r, $v, $e, $b, $f, $l, $n, $c, $t)";
                ledger.Parameters.AddWithValue("$r", batch.RunId);
                ledger.Parameters.AddWithValue("$v", batch.SpecVersion);
                ledger.Parameters.AddWithValue("$e", batch.Entity.Name);
                ledger.Parameters.AddWithValue("$b", batch.BatchNumber);
                ledger.Parameters.AddWithValue("$f", batch.FirstInput);
                ledger.Parameters.AddWithValue("$l", batch.LastInput);
                ledger.Parameters.AddWithValue("$n", written);
                ledger.Parameters.AddWithValue("$c", checksum);
                ledger.Parameters.AddWithValue("$t", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                ledger.ExecuteNonQuery();
            }
            tx.Commit();
            return new BatchResult(batch.BatchNumber, written, false, checksum);
        }
        catch (Exception ex) when (ex is SqliteException or InvalidCastException or IOException)
        {
            throw new TargetLoadException(batch, LoadSupport.Reason(ex), ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var plan = _plans.GetOrAdd(entity, e => new EntityPlan(e));
        // A connection of its own, so a caller may read while loading goes on.
        await using var conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = plan.SelectSql;
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[plan.Items.Length];
            for (var i = 0; i < row.Length; i++) row[i] = r.IsDBNull(i) ? null : FromDb(r, i, plan.Items[i]);
            yield return row;
        }
    }

    static object FromDb(SqliteDataReader r, int i, SpecItem item) => item.Type switch
    {
        ItemType.Int => r.GetInt32(i),
        ItemType.Amount => decimal.Parse(r.GetString(i), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
        ItemType.Date => DateOnly.ParseExact(r.GetString(i), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ItemType.Flag => r.GetInt64(i) != 0,
        ItemType.YearMonth => YearMonth.Parse(r.GetString(i), CultureInfo.InvariantCulture),
        _ => r.GetString(i),
    };

    public async Task<long> CountAsync(SpecEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT count(*) FROM \"{entity.Table}\"";
            return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        finally { _gate.Release(); }
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = $"SELECT run_id, spec_version, entity, batch_no, first_input, last_input, row_count, checksum, completed_at FROM {TargetNames.LedgerTable} WHERE $r IS NULL OR run_id = $r ORDER BY run_id, entity, batch_no";
            cmd.Parameters.AddWithValue("$r", (object?)runId ?? DBNull.Value);
            var list = new List<LedgerEntry>();
            using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
                list.Add(new LedgerEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetString(7),
                    DateTime.SpecifyKind(DateTime.Parse(r.GetString(8), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc)));
            return list;
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    sealed class EntityPlan
    {
        public EntityPlan(SpecEntity entity)
        {
            Items = [.. entity.Items];
            var cols = string.Join(", ", Items.Select(i => "\"" + TargetNames.Column(i) + "\""));
            InsertSql = $"INSERT INTO \"{entity.Table}\" ({cols}) VALUES ({string.Join(", ", Items.Select((_, n) => "$p" + n.ToString(CultureInfo.InvariantCulture)))})";
            // BINARY collation is byte order of UTF-8, the same order as PostgreSQL's "C" collation.
            SelectSql = $"SELECT {cols} FROM \"{entity.Table}\" ORDER BY {string.Join(", ", TargetNames.KeyItems(entity).Select(k => "\"" + TargetNames.Column(k) + "\" NULLS LAST"))}"; // nulls last, as PostgreSQL
            Types = [.. Items.Select(i => i.Type is ItemType.Int or ItemType.Flag ? SqliteType.Integer : SqliteType.Text)];
            MaxLengths = [.. Items.Select(TargetNames.MaxLength)];
        }

        public int?[] MaxLengths { get; }

        public SpecItem[] Items { get; }

        public SqliteType[] Types { get; }

        public string InsertSql { get; }

        public string SelectSql { get; }

        public object ToDb(int ordinal, object? value, LoadBatch batch)
        {
            if (value is null) return DBNull.Value;
            var item = Items[ordinal];
            switch (item.Type)
            {
                case ItemType.Int: return (long)(int)value;
                case ItemType.Flag: return (bool)value ? 1L : 0L;
                case ItemType.Amount:
                    var amount = (decimal)value;
                    if (decimal.Truncate(amount) != amount)
                        throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: amount {CanonicalValue.Decimal(amount)} is not whole yen");
                    return CanonicalValue.Decimal(amount);
                case ItemType.Date: return ((DateOnly)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                case ItemType.YearMonth: return ((YearMonth)value).ToString();
                default:
                    // SQLite does not enforce varchar lengths; check them so both targets accept the same rows.
                    var s = (string)value;
                    if (MaxLengths[ordinal] is { } max && s.Length > max && s.EnumerateRunes().Count() > max)
                        throw new TargetLoadException(batch, $"{item.ItemId} {item.NameJa}: {s.EnumerateRunes().Count()} code points exceed the column's {max}");
                    return s;
            }
        }
    }
}
