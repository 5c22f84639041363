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

        var existsSql = provider == TargetProvider.PostgreSql
            ? $"SELECT to_regclass('{TargetNames.SchemaTable}') IS NOT NULL"
            : $"SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = '{TargetNames.SchemaTable}'";
        var exists = Convert.ToBoolean(await ScalarAsync(connection, tx, existsSql, ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

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
