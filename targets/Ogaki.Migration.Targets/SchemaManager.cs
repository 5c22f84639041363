using System.Data.Common;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// Creates or upgrades a target's schema from the spec: reads the definitions recorded in
/// <see cref="TargetNames.SchemaTable"/>, diffs them with the requested entities through the EF Core model and
/// runs the generated DDL and the new definitions in one transaction.
/// </summary>
internal static class SchemaManager
{
    public static async Task EnsureAsync(DbConnection connection, TargetProvider provider, IReadOnlyList<SpecEntity> entities, string specVersion, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(entities);
        ArgumentException.ThrowIfNullOrEmpty(specVersion);
        foreach (var e in entities) _ = TargetNames.KeyItems(e); // fail early on a key that is not an item

        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (provider == TargetProvider.PostgreSql)
            await ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(7305821001)", ct).ConfigureAwait(false); // one schema change at a time

        var exists = await TableExistsAsync(connection, tx, provider, TargetNames.SchemaTable, ct).ConfigureAwait(false);

        List<SpecEntity>? stored = null;
        if (exists)
        {
            stored = [];
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT definition FROM {TargetNames.SchemaTable} ORDER BY table_name";
            await using var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false)) stored.Add(SpecDefinition.FromJson(r.GetString(0)).ToEntity());
        }

        // Entities not named now stay as they are; named ones replace their stored definition.
        var target = new List<SpecEntity>(stored ?? []);
        foreach (var e in entities)
        {
            var i = target.FindIndex(s => string.Equals(s.Table, e.Table, StringComparison.Ordinal));
            if (i >= 0) target[i] = e; else target.Add(e);
        }

        foreach (var command in StandardModel.GenerateCommands(provider, stored, target))
            await ExecAsync(connection, tx, command.CommandText, ct).ConfigureAwait(false);

        foreach (var e in entities)
        {
            await using var up = connection.CreateCommand();
            up.Transaction = tx;
            up.CommandText = provider == TargetProvider.PostgreSql
                ? $"INSERT INTO {TargetNames.SchemaTable} (table_name, entity, spec_version, definition) VALUES (@t, @e, @v, @d) ON CONFLICT (table_name) DO UPDATE SET entity = excluded.entity, spec_version = excluded.spec_version, definition = excluded.definition"
                : $"INSERT OR REPLACE INTO {TargetNames.SchemaTable} (table_name, entity, spec_version, definition) VALUES (@t, @e, @v, @d)";
            AddParameter(up, "t", e.Table);
            AddParameter(up, "e", e.Name);
            AddParameter(up, "v", specVersion);
            AddParameter(up, "d", SpecDefinition.From(e).ToJson());
            await up.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the migration's own tables — the entity tables recorded in <see cref="TargetNames.SchemaTable"/>, the run
    /// ledger and the schema table — in one transaction; any other table of the database is left alone.
    /// </summary>
    /// <returns>The tables dropped, in order.</returns>
    public static async Task<IReadOnlyList<string>> ResetAsync(DbConnection connection, TargetProvider provider, CancellationToken ct)
    {
        await using var tx = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        if (provider == TargetProvider.PostgreSql)
            await ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(7305821001)", ct).ConfigureAwait(false);
        var dropped = new List<string>();
        if (await TableExistsAsync(connection, tx, provider, TargetNames.SchemaTable, ct).ConfigureAwait(false))
        {
            await using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = $"SELECT table_name FROM {TargetNames.SchemaTable} ORDER BY table_name";
            await using (var r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
                while (await r.ReadAsync(ct).ConfigureAwait(false)) dropped.Add(r.GetString(0));
            dropped.Add(TargetNames.SchemaTable);
        }
        if (await TableExistsAsync(connection, tx, provider, TargetNames.LedgerTable, ct).ConfigureAwait(false)) dropped.Add(TargetNames.LedgerTable);
        foreach (var table in dropped)
            await ExecAsync(connection, tx, $"DROP TABLE IF EXISTS \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return dropped;
    }

    static async Task<bool> TableExistsAsync(DbConnection c, DbTransaction tx, TargetProvider provider, string table, CancellationToken ct)
    {
        var sql = provider == TargetProvider.PostgreSql
            ? $"SELECT to_regclass('{table}') IS NOT NULL"
            : $"SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '{table}'";
        return Convert.ToBoolean(await ScalarAsync(c, tx, sql, ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    static void AddParameter(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    static async Task ExecAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    static async Task<object?> ScalarAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false);
    }
}
