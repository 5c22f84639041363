using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Targets;

/// <summary>
/// PostgreSQL target: binary COPY of rows encoded by <see cref="BinaryCopyWriter"/> (the batch checksum is the SHA-256
/// of those bytes). Consecutive batches of one entity go in one transaction and one COPY
/// (<see cref="LoadBatchesAsync"/>; a lone batch is a group of one) together with each batch's run-ledger row,
/// committed only after the COPY ended. A load follows the practice of bulk loaders such as pgloader: empty tables lose
/// their primary key while batches are copied in over parallel connections, and the key is built after the last batch
/// (<see cref="CompleteLoadAsync"/>).
/// </summary>
public sealed class PostgresTarget : IStandardTarget
{
    readonly NpgsqlDataSource _dataSource;
    readonly ConcurrentDictionary<SpecEntity, EntityPlan> _plans = new();

    /// <param name="connectionString">An Npgsql keyword connection string (<c>Host=…;Username=…;Password=…;Database=…</c>).</param>
    public PostgresTarget(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try { builder = new NpgsqlConnectionStringBuilder(connectionString); }
        catch (ArgumentException ex) { throw new ArgumentException("invalid PostgreSQL connection string: " + ConnectionStrings.Mask(ex.Message), nameof(connectionString)); }
        Description = "postgresql " + ConnectionStrings.Mask(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null }.ConnectionString);
        // The defaults below apply unless the connection string sets the keyword itself (spelt with or without spaces).
        bool Sets(string keyword) => connectionString.Contains(keyword, StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains(keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        // Read-back streams whole tables: a larger socket buffer than the 8 KiB default means far fewer reads, each
        // with its own timeout bookkeeping in Npgsql.
        if (!Sets("Read Buffer Size"))
            builder.ReadBufferSize = 1 << 18;
        // Likewise for COPY: rows go out in 256 KiB writes instead of 8 KiB ones.
        if (!Sets("Write Buffer Size"))
            builder.WriteBufferSize = 1 << 18;
        // Every batch takes a pooled connection; by default Npgsql resets it with DISCARD ALL, which the server pays for
        // on every batch (0.35-0.4 s of its CPU in a scale-1 load). This target leaves no session state behind: its SETs
        // are SET LOCAL, its locks end with their transaction, and an open transaction is still rolled back on return.
        if (!Sets("No Reset On Close"))
            builder.NoResetOnClose = true;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>
    /// One COPY connection per client core (at most 4): the server parses and stores each connection's rows in its own
    /// backend while this process encodes the next batch.
    /// </summary>
    public int LoadParallelism { get; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    public async Task BeginLoadAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var entity in entities)
        {
            // Only an empty table of ours loses its key: rows already there (a resumed run) keep theirs checked as they
            // come, and a table another role owns (a DBA's, loaded by a role with INSERT only) is loaded as it is.
            if (await KeyOfAsync(conn, tx, entity, cancellationToken).ConfigureAwait(false) is not ({ } key, true, _)) continue;
            await using (var any = new NpgsqlCommand($"SELECT EXISTS (SELECT 1 FROM \"{entity.Table}\")", conn, tx))
                if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!) continue;
            await using var drop = new NpgsqlCommand($"ALTER TABLE \"{entity.Table}\" DROP CONSTRAINT \"{key.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn, tx);
            await drop.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> CompleteLoadAsync(IReadOnlyList<SpecEntity> entities, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        // Each key is one sort of its table; tables build side by side, largest first so the longest does not start last
        // (sized from the catalog, which needs no right to read the rows).
        var missing = new List<(SpecEntity Entity, long Bytes)>();
        await using (var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            foreach (var entity in entities)
                if (await KeyOfAsync(conn, null, entity, cancellationToken).ConfigureAwait(false) is (null, true, var bytes))
                    missing.Add((entity, bytes));
        await Parallel.ForEachAsync(missing.OrderByDescending(o => o.Bytes).Select(o => o.Entity),
            new ParallelOptions { MaxDegreeOfParallelism = LoadParallelism, CancellationToken = cancellationToken },
            async (entity, ct) => await BuildPrimaryKeyAsync(entity, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. missing.Select(m => m.Entity.Table).Order(StringComparer.Ordinal)];
    }

    async Task BuildPrimaryKeyAsync(SpecEntity entity, CancellationToken ct)
    {
        var columns = TargetNames.PostgresKeyColumns(entity);
        try
        {
            await using var conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
            // SET LOCAL: the pooled connection is not reset on return (see the constructor).
            await using var cmd = new NpgsqlCommand(
                $"SET LOCAL maintenance_work_mem = '256MB'; ALTER TABLE \"{entity.Table}\" ADD CONSTRAINT \"{TargetNames.PrimaryKey(entity)}\" PRIMARY KEY ({columns})", conn, tx);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException pg) when (pg.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // The detail names the duplicated key values (personal data): only the message text is kept.
            throw new TargetKeyException(entity.Table,
                $"the primary key of {entity.Table} ({columns}) cannot be built after the load: {pg.MessageText}; the table holds rows with the same key, " +
                "which the mapping never emits (rows added behind the pipeline's back?): remove the extra rows, or reset the target and start a new run", pg);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            _dataSource.Clear();
            throw new TargetKeyException(entity.Table, $"the primary key of {entity.Table} ({columns}) cannot be built after the load: {LoadSupport.Reason(ex)}", ex);
        }
    }

    /// <summary>
    /// From the catalog: the table's primary key constraint (null: none), whether this role owns the table (may drop and
    /// add it) and its size on disk.
    /// </summary>
    static async Task<(string? Key, bool Owned, long Bytes)> KeyOfAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, SpecEntity entity, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT (SELECT conname FROM pg_constraint WHERE conrelid = c.oid AND contype = 'p'), pg_has_role(c.relowner, 'USAGE'), pg_relation_size(c.oid) " +
            "FROM pg_class c WHERE c.oid = to_regclass($1)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { Value = "\"" + entity.Table + "\"", NpgsqlDbType = NpgsqlDbType.Text });
        await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? (r.IsDBNull(0) ? null : r.GetString(0), r.GetBoolean(1), r.GetInt64(2)) : (null, false, 0);
    }

    public string Kind => "postgresql";

    public string Description { get; }

    public async Task<IReadOnlyList<string>> ResetAsync(CancellationToken cancellationToken = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SchemaManager.ResetAsync(conn, TargetProvider.PostgreSql, cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureSchemaAsync(IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await SchemaManager.EnsureAsync(conn, TargetProvider.PostgreSql, entities, specVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            _dataSource.Clear();
            throw;
        }
    }

    public async Task<BatchResult> LoadBatchAsync(LoadBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return (await LoadGroupAsync(new[] { batch }.ToAsyncEnumerable(), cancellationToken).ConfigureAwait(false))[0];
    }

    /// <summary>
    /// All the batches in one transaction and one COPY: each batch's tuples follow the last one's, its checksum is
    /// its own tuples' SHA-256 as if loaded alone, and every batch's ledger row goes in with COMMIT. The round trips,
    /// the COPY start and end and the commit are paid once for the group instead of once per batch.
    /// </summary>
    public async IAsyncEnumerable<BatchResult> LoadBatchesAsync(IAsyncEnumerable<LoadBatch> batches, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var result in await LoadGroupAsync(batches, cancellationToken).ConfigureAwait(false))
            yield return result;
    }

    async Task<List<BatchResult>> LoadGroupAsync(IAsyncEnumerable<LoadBatch> batches, CancellationToken ct)
    {
        var results = new List<BatchResult>();
        var ledgerRows = new List<NpgsqlBatchCommand>();
        var copied = new List<BatchSpan>(); // to tell which batch a COPY line is in
        (string RunId, SpecEntity Entity)? group = null; // not the first batch itself: its records are not kept past their COPY
        var span = default(BatchSpan);
        NpgsqlConnection? conn = null;
        NpgsqlTransaction? tx = null;
        NpgsqlRawCopyStream? copy = null;
        BinaryCopyWriter? writer = null;
        try
        {
            Dictionary<int, (string Checksum, long Rows)>? done = null;
            EntityPlan? plan = null;
            await foreach (var batch in batches.WithCancellation(ct).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(batch);
                if (group is not { } first)
                {
                    (group, span) = ((batch.RunId, batch.Entity), BatchSpan.Of(batch));
                    plan = _plans.GetOrAdd(batch.Entity, e => new EntityPlan(e));
                    conn = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                    tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
                    done = await LockAndReadLedgerAsync(conn, tx, batch, ct).ConfigureAwait(false);
                }
                else
                {
                    // The error names the group's own batches, not the stray one.
                    if (!string.Equals(batch.RunId, first.RunId, StringComparison.Ordinal) || !string.Equals(batch.Entity.Name, first.Entity.Name, StringComparison.Ordinal))
                        throw new TargetLoadException(first.RunId, first.Entity.Name, span,
                            $"batch {batch.BatchNumber} of {batch.Entity.Name} in run {batch.RunId} came among them: batches loaded together are of one run and one entity");
                    span = span.With(batch);
                }
                if (done!.TryGetValue(batch.BatchNumber, out var ledgered))
                {
                    using var again = new BinaryCopyWriter(plan!.Items);
                    results.Add(LoadSupport.Verify(batch, ledgered, await again.WriteAsync(batch, null).ConfigureAwait(false), batch.Records.Count));
                    continue;
                }
                if (copy is null)
                {
                    copy = await conn!.BeginRawBinaryCopyAsync(plan!.CopySql, ct).ConfigureAwait(false);
                    writer = new BinaryCopyWriter(plan.Items);
                }
                var checksum = await writer!.WriteAsync(batch, bytes => copy.WriteAsync(bytes, ct)).ConfigureAwait(false);
                ledgerRows.Add(LedgerInsert(batch, checksum));
                copied.Add(BatchSpan.Of(batch));
                results.Add(new BatchResult(batch.BatchNumber, batch.Records.Count, false, checksum));
            }
            if (group is null) return results;
            if (copy is not null)
            {
                await writer!.EndAsync(bytes => copy.WriteAsync(bytes, ct)).ConfigureAwait(false);
                var ending = copy;
                copy = null;
                await ending.DisposeAsync().ConfigureAwait(false); // ends the COPY: the server's verdict on the rows comes here
            }
            // The ledger rows and COMMIT go in one round trip. Every statement before them has succeeded (a failed one
            // throws), so the COMMIT commits or fails; if an insert fails the server skips the COMMIT and disposing the
            // transaction rolls it back; after the COMMIT the transaction is complete and disposing it does nothing.
            await using (var end = new NpgsqlBatch(conn, tx))
            {
                foreach (var row in ledgerRows) end.BatchCommands.Add(row);
                end.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                await end.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            return results;
        }
        catch (Exception ex)
        {
            if (copy is not null)
            {
                try
                {
                    await copy.CancelAsync().ConfigureAwait(false);
                    await copy.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception) when (ex is not OperationCanceledException)
                {
                    // The connection is already broken: the first error is the one reported.
                }
            }
            if (ex is TargetLoadException or OperationCanceledException || group is not { } failed) throw;
            if (ex is not (NpgsqlException or IOException or TimeoutException or InvalidOperationException or InvalidCastException or EncoderFallbackException)) throw;
            // A broken server leaves dead connections in the pool; drop them so the resume starts clean.
            _dataSource.Clear();
            throw new TargetLoadException(failed.RunId, failed.Entity.Name, span, LoadSupport.Reason(ex) + CopyLine(ex, copied), ex);
        }
        finally
        {
            writer?.Dispose();
            if (tx is not null) await tx.DisposeAsync().ConfigureAwait(false);
            if (conn is not null) await conn.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The batch and input record a COPY error's line number points at (" at COPY line n: batch b, input record r"),
    /// or nothing. Only the line number is taken from the server's context: the rest of it may quote a value.
    /// </summary>
    static string CopyLine(Exception ex, List<BatchSpan> copied)
    {
        if (ex is not PostgresException { Where: { } where }) return "";
        var m = System.Text.RegularExpressions.Regex.Match(where, @"^COPY [^,]+, line (\d+)");
        if (!m.Success || !long.TryParse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var line)) return "";
        var before = 0L;
        foreach (var batch in copied)
        {
            if (line <= before + batch.Rows)
                return string.Create(CultureInfo.InvariantCulture, $" (at COPY line {line}: batch {batch.FirstBatch}, input record {batch.FirstInput + line - before - 1})");
            before += batch.Rows;
        }
        return "";
    }

    static NpgsqlBatchCommand LedgerInsert(LoadBatch batch, string checksum)
    {
        var ledger = new NpgsqlBatchCommand(
            $"INSERT INTO {TargetNames.LedgerTable} (run_id, spec_version, entity, batch_no, first_input, last_input, row_count, checksum, completed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
        ledger.Parameters.Add(new NpgsqlParameter<string> { Value = batch.RunId, NpgsqlDbType = NpgsqlDbType.Varchar });
        ledger.Parameters.Add(new NpgsqlParameter<string> { Value = batch.SpecVersion, NpgsqlDbType = NpgsqlDbType.Varchar });
        ledger.Parameters.Add(new NpgsqlParameter<string> { Value = batch.Entity.Name, NpgsqlDbType = NpgsqlDbType.Varchar });
        ledger.Parameters.Add(new NpgsqlParameter<int> { Value = batch.BatchNumber, NpgsqlDbType = NpgsqlDbType.Integer });
        ledger.Parameters.Add(new NpgsqlParameter<long> { Value = batch.FirstInput, NpgsqlDbType = NpgsqlDbType.Bigint });
        ledger.Parameters.Add(new NpgsqlParameter<long> { Value = batch.LastInput, NpgsqlDbType = NpgsqlDbType.Bigint });
        ledger.Parameters.Add(new NpgsqlParameter<long> { Value = (long)batch.Records.Count, NpgsqlDbType = NpgsqlDbType.Bigint });
        ledger.Parameters.Add(new NpgsqlParameter<string> { Value = checksum, NpgsqlDbType = NpgsqlDbType.Varchar });
        ledger.Parameters.Add(new NpgsqlParameter<DateTime> { Value = DateTime.UtcNow, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return ledger;
    }

    /// <summary>
    /// Serialises writers of the same run and entity (a batch's ledger key would reject the second writer anyway), then
    /// reads what the ledger holds of that run and entity: one round trip with BEGIN, as two statements, so the read (a
    /// snapshot of its own) sees what a writer that held the lock committed. Holding the lock, no other writer commits
    /// a batch of this run and entity until this transaction ends, so the read stays true for the whole group.
    /// </summary>
    static async Task<Dictionary<int, (string Checksum, long Rows)>> LockAndReadLedgerAsync(NpgsqlConnection conn, NpgsqlTransaction tx, LoadBatch batch, CancellationToken ct)
    {
        var lockBatch = new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(hashtext($1))");
        lockBatch.Parameters.Add(new NpgsqlParameter<string> { Value = batch.RunId + "\u001f" + batch.Entity.Name, NpgsqlDbType = NpgsqlDbType.Text });
        var read = new NpgsqlBatchCommand($"SELECT batch_no, checksum, row_count FROM {TargetNames.LedgerTable} WHERE run_id = $1 AND entity = $2");
        read.Parameters.Add(new NpgsqlParameter<string> { Value = batch.RunId, NpgsqlDbType = NpgsqlDbType.Varchar });
        read.Parameters.Add(new NpgsqlParameter<string> { Value = batch.Entity.Name, NpgsqlDbType = NpgsqlDbType.Varchar });
        await using var both = new NpgsqlBatch(conn, tx) { BatchCommands = { lockBatch, read } };
        await using var r = await both.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.NextResultAsync(ct).ConfigureAwait(false); // past the lock's row
        var done = new Dictionary<int, (string Checksum, long Rows)>();
        while (await r.ReadAsync(ct).ConfigureAwait(false))
            done[r.GetInt32(0)] = (r.GetString(1), r.GetInt64(2));
        return done;
    }

    public async IAsyncEnumerable<object?[]> ReadBackAsync(SpecEntity entity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var plan = _plans.GetOrAdd(entity, e => new EntityPlan(e));
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginReadBackAsync(conn, cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(plan.SelectSql, conn, tx);
        // Rows are small: each is buffered whole, so its columns are read synchronously (no await per column).
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[plan.Items.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = r.IsDBNull(i) ? null : ReadValue(r, i, plan.Items[i]);
            yield return row;
        }
    }

    /// <summary>
    /// Reads the table back with <c>COPY (SELECT … ORDER BY key) TO STDOUT (FORMAT BINARY)</c> and turns each field's
    /// wire bytes straight into its canonical form: text as sent (UTF-8), int4, numeric, date and bool formatted
    /// without building CLR values. Every column is cast to the type the schema gave it, so a column altered behind
    /// the pipeline's back still arrives in the format read here.
    /// </summary>
    public async IAsyncEnumerable<CanonicalRowBatch> ReadBackCanonicalAsync(SpecEntity entity, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var plan = _plans.GetOrAdd(entity, e => new EntityPlan(e));
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginReadBackAsync(conn, cancellationToken).ConfigureAwait(false);
        var reader = new BinaryCopyReader(plan.Items, new CanonicalKey(entity), entity.Table);
        var stream = await conn.BeginRawBinaryCopyAsync(plan.CopyOutSql, cancellationToken).ConfigureAwait(false);
        var completed = false;
        try
        {
            while (await reader.ReadBatchAsync(stream, cancellationToken).ConfigureAwait(false) is { } batch)
                yield return batch;
            completed = true;
        }
        finally
        {
            // Stopping early (an error in the merge, cancellation) cancels the COPY instead of draining the table.
            if (!completed) await stream.CancelAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The read-back runs in a transaction that steers the planner to the primary key for ORDER BY key (a table loaded
    // in key order then streams out of its index without a sort, whatever its statistics say). Without the key index
    // — dropped behind the pipeline's back — PostgreSQL still sorts. Cheaper than ANALYZE after every load.
    static async Task<NpgsqlTransaction> BeginReadBackAsync(NpgsqlConnection conn, CancellationToken cancellationToken)
    {
        var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var set = new NpgsqlCommand("SET LOCAL enable_sort = off", conn, tx);
        await set.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return tx;
    }

    static object ReadValue(NpgsqlDataReader r, int i, SpecItem item) => item.Type switch
    {
        ItemType.Int => r.GetInt32(i),
        ItemType.Amount => r.GetDecimal(i),
        ItemType.Date => r.GetFieldValue<DateOnly>(i),
        ItemType.Flag => r.GetBoolean(i),
        ItemType.YearMonth => YearMonth.Parse(r.GetString(i), CultureInfo.InvariantCulture),
        _ => r.GetString(i),
    };

    public async Task<long> CountAsync(SpecEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM \"{entity.Table}\"", conn);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<LedgerEntry>> GetLedgerAsync(string? runId, CancellationToken cancellationToken = default)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            $"SELECT run_id, spec_version, entity, batch_no, first_input, last_input, row_count, checksum, completed_at FROM {TargetNames.LedgerTable} WHERE $1::varchar IS NULL OR run_id = $1 ORDER BY run_id COLLATE \"C\", entity COLLATE \"C\", batch_no", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)runId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Varchar });
        var list = new List<LedgerEntry>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            list.Add(new LedgerEntry(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt32(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetString(7),
                DateTime.SpecifyKind(r.GetDateTime(8), DateTimeKind.Utc)));
        return list;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Per-entity SQL and column writers, built once.</summary>
    sealed class EntityPlan
    {
        public EntityPlan(SpecEntity entity)
        {
            Entity = entity;
            Items = [.. entity.Items];
            var cols = string.Join(", ", Items.Select(i => "\"" + TargetNames.Column(i) + "\""));
            CopySql = $"COPY \"{entity.Table}\" ({cols}) FROM STDIN (FORMAT BINARY)";
            var order = TargetNames.PostgresKeyOrder(entity);
            SelectSql = $"SELECT {cols} FROM \"{entity.Table}\" ORDER BY {order}";
            var typed = string.Join(", ", Items.Select(i => "\"" + TargetNames.Column(i) + "\"::" + BinaryCopyReader.WireType(i)));
            CopyOutSql = $"COPY (SELECT {typed} FROM \"{entity.Table}\" ORDER BY {order}) TO STDOUT (FORMAT BINARY)";
        }

        public string CopyOutSql { get; }

        public SpecEntity Entity { get; }

        public SpecItem[] Items { get; }

        public string CopySql { get; }

        public string SelectSql { get; }
    }
}

/// <summary>What both targets share around a batch.</summary>
internal static class LoadSupport
{
    public static void CheckEntity(LoadBatch batch, IStandardRecord record)
    {
        if (!ReferenceEquals(record.Entity, batch.Entity) && !string.Equals(record.Entity.Name, batch.Entity.Name, StringComparison.Ordinal))
            throw new TargetLoadException(batch, $"a {record.Entity.Name} record is in a batch of {batch.Entity.Name}");
    }

    /// <summary>A batch already in the ledger: skipped if it is the same content, refused if the input changed.</summary>
    public static BatchResult Skip(LoadBatch batch, (string Checksum, long Rows)? done)
    {
        using var hasher = new RowHasher();
        foreach (var record in batch.Records)
        {
            CheckEntity(batch, record);
            hasher.StartRow();
            for (var i = 0; i < batch.Entity.Items.Count; i++) hasher.Value(record.GetValue(i));
            hasher.EndRow();
        }
        return Verify(batch, done, hasher.Finish(), hasher.Rows);
    }

    /// <summary>Skips a batch the ledger holds when <paramref name="checksum"/> (computed as the target computes it) matches.</summary>
    public static BatchResult Verify(LoadBatch batch, (string Checksum, long Rows)? done, string checksum, long rows)
    {
        if (!string.Equals(checksum, done!.Value.Checksum, StringComparison.Ordinal))
            throw new TargetLoadException(batch, string.Create(CultureInfo.InvariantCulture,
                $"this run already committed batch {batch.BatchNumber} with different content (ledger {done.Value.Rows} rows, checksum {done.Value.Checksum}; now {rows} rows, checksum {checksum}); the input changed since the run started, start a new run"));
        return new BatchResult(batch.BatchNumber, 0, true, checksum);
    }

    public static string Reason(Exception ex)
    {
        var msg = ex switch
        {
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => $"a key is already in the table (loaded by another run?): {pg.MessageText}",
            PostgresException { SqlState: PostgresErrorCodes.NotNullViolation } pg => $"a mandatory item is empty: {pg.MessageText}",
            Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 } sq => "constraint violated (a key already in the table, or a mandatory item empty): " + sq.Message,
            _ => ex.GetType().Name + ": " + ex.Message + (ex.InnerException is { } inner ? " (" + inner.Message + ")" : ""),
        };
        return ConnectionStrings.Mask(msg);
    }
}
