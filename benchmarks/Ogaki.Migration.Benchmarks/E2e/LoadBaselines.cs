using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Spec.Privacy;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Benchmarks.E2e;

/// <summary>
/// Peers of the pipeline's load on the same rows — every standard table as the dry run left it — each loaded into
/// fresh tables of the same definition in a schema of its own, over fresh server processes. The rows are exported
/// before any clock starts; only the load (and the key it ends with) is timed:
/// <list type="bullet">
/// <item>raw binary COPY with the key in place, one connection: the plain bulk load;</item>
/// <item>raw binary COPY the way the pipeline loads: no key, tables over parallel connections, keys built after;</item>
/// <item>pgloader (Debian package) loading the same rows from CSV in its own way (drop indexes, load, build them);</item>
/// <item>the pipeline's own loader (<see cref="BatchLoader"/> into <see cref="PostgresTarget"/>: keys set aside,
/// ledgered batches of a table on one connection at a time, waiting ones in one transaction, keys built after) on the
/// same rows handed to it as records, so its cost is seen apart from the mapping it overlaps in a dry run.</item>
/// </list>
/// </summary>
internal static class LoadBaselines
{
    /// <summary>One peer: rows and time (the median of <see cref="Runs"/>), or a note when it could not run.</summary>
    public sealed record Result(string Name, string Short, long Rows, TimeSpan? Elapsed, string Note = "")
    {
        /// <summary>Every timed run, in the order run (one unless the peers were repeated).</summary>
        public IReadOnlyList<TimeSpan> Runs { get; init; } = Elapsed is { } e ? [e] : [];

        /// <summary>Of each run, the time spent building the keys after the rows were in (none: the key was in place).</summary>
        public IReadOnlyList<TimeSpan> KeyRuns { get; init; } = [];
    }

    /// <param name="repeat">
    /// Times each COPY peer and the pipeline's loader run, one after the other in turn, so that a noisy minute on a
    /// shared machine slows all of them rather than one: each is reported as its median.
    /// </param>
    public static async Task<IReadOnlyList<Result>> RunAsync(string connection, bool pgloader, int batchSize, int repeat)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        var dir = Directory.CreateTempSubdirectory("ogaki-e2e-load-").FullName;
        try
        {
            var tables = new List<(SpecEntity Entity, long Rows)>();
            await using (var conn = new NpgsqlConnection(connection))
            {
                await conn.OpenAsync();
                foreach (var entity in StandardSpec.Entities)
                {
                    await ExportAsync(conn, entity.Table, dir, pgloader);
                    await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{entity.Table}\"", conn);
                    tables.Add((entity, (long)(await count.ExecuteScalarAsync())!));
                }
            }
            var rows = tables.Sum(t => t.Rows);
            var parallel = Math.Clamp(Environment.ProcessorCount, 1, 4);
            var keyed = new List<TimeSpan>();
            var keyAfter = new List<TimeSpan>();
            var keyBuilds = new List<TimeSpan>();
            var own = new List<Result>();
            for (var i = 0; i < repeat; i++)
            {
                keyed.Add((await RawCopyAsync(connection, dir, tables, keyAfter: false, parallel: 1)).Elapsed);
                var (elapsed, keys) = await RawCopyAsync(connection, dir, tables, keyAfter: true, parallel);
                keyAfter.Add(elapsed);
                keyBuilds.Add(keys);
                own.Add(await OwnLoaderAsync(connection, tables, parallel, batchSize));
            }
            var results = new List<Result>
            {
                new("raw binary COPY of the same rows, key in place, 1 connection", "raw COPY (key in place)", rows, Median(keyed)) { Runs = keyed },
                new($"raw binary COPY of the same rows, key built after, {parallel} connections", "raw COPY (key after)", rows, Median(keyAfter)) { Runs = keyAfter, KeyRuns = keyBuilds },
            };
            results.Add(pgloader ? await PgloaderAsync(connection, dir, tables) : new("pgloader, same rows from CSV", "pgloader", rows, null, "not run (--no-pgloader)"));
            // A loader run that failed is reported as such; otherwise the median run, with every run's time beside it.
            var ownRuns = own.Where(o => o.Elapsed is not null).Select(o => o.Elapsed!.Value).ToList();
            results.Add(own.FirstOrDefault(o => o.Elapsed is null)
                ?? own.OrderBy(o => o.Elapsed).ElementAt((own.Count - 1) / 2) with { Elapsed = Median(ownRuns), Runs = ownRuns, KeyRuns = [.. own.SelectMany(o => o.KeyRuns)] });
            return results;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    static async Task ExportAsync(NpgsqlConnection conn, string table, string dir, bool csv)
    {
        await CopyOutAsync(conn, $"COPY \"{table}\" TO STDOUT (FORMAT BINARY)", Path.Combine(dir, table + ".bin"));
        if (!csv) return;
        using var reader = await conn.BeginTextExportAsync($"COPY \"{table}\" TO STDOUT (FORMAT csv)");
        await using var writer = new StreamWriter(Path.Combine(dir, table + ".csv"), false, new UTF8Encoding(false), 1 << 20);
        var buffer = new char[1 << 16];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0) await writer.WriteAsync(buffer.AsMemory(0, n));
    }

    /// <summary>A binary COPY TO STDOUT into a file.</summary>
    internal static async Task CopyOutAsync(NpgsqlConnection conn, string copyTo, string file)
    {
        await using var export = await conn.BeginRawBinaryCopyAsync(copyTo);
        await using var f = File.Create(file);
        await export.CopyToAsync(f, 1 << 20);
    }

    /// <summary>
    /// A file of binary COPY data into a COPY FROM STDIN, in 1 MiB writes: one write of the whole file would be one
    /// CopyData message, and PostgreSQL refuses those over 1 GB.
    /// </summary>
    internal static async Task CopyInAsync(NpgsqlConnection conn, string copyFrom, string file, CancellationToken ct)
    {
        await using var import = await conn.BeginRawBinaryCopyAsync(copyFrom, ct);
        await using var f = File.OpenRead(file);
        var chunk = new byte[1 << 20];
        int n;
        while ((n = await f.ReadAsync(chunk, ct)) > 0) await import.WriteAsync(chunk.AsMemory(0, n), ct);
    }

    /// <summary>A fresh schema with an empty table like each loaded one (with its key, or without any index).</summary>
    static async Task CreateTablesAsync(string connection, string schema, List<(SpecEntity Entity, long Rows)> tables, bool withKey)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var ddl = new StringBuilder($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};");
        foreach (var (e, _) in tables)
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TABLE {schema}.\"{e.Table}\" (LIKE public.\"{e.Table}\"{(withKey ? " INCLUDING ALL" : "")});");
        await using var c = new NpgsqlCommand(ddl.ToString(), conn);
        await c.ExecuteNonQueryAsync();
    }

    /// <summary>Loads the exported rows by raw binary COPY; returns the time of the whole and of the key build in it.</summary>
    static async Task<(TimeSpan Elapsed, TimeSpan Keys)> RawCopyAsync(string connection, string dir, List<(SpecEntity Entity, long Rows)> tables, bool keyAfter, int parallel)
    {
        var schema = keyAfter ? "e2e_raw_key_after" : "e2e_raw_keyed";
        await CreateTablesAsync(connection, schema, tables, withKey: !keyAfter);
        // Fresh server processes, as the loader alone has (its target opens a pool of its own): a backend kept from an
        // earlier peer has already mapped the shared buffers and spared this peer 0.3-0.7 s at scale 1 on the 2-core VM.
        NpgsqlConnection.ClearAllPools();
        var sw = Stopwatch.StartNew();
        var largestFirst = tables.OrderByDescending(t => t.Rows).Select(t => t.Entity).ToList();
        await Parallel.ForEachAsync(largestFirst, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (e, ct) =>
        {
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync(ct);
            await CopyInAsync(conn, $"COPY {schema}.\"{e.Table}\" FROM STDIN (FORMAT BINARY)", Path.Combine(dir, e.Table + ".bin"), ct);
        });
        var copied = sw.Elapsed;
        if (keyAfter)
        {
            await Parallel.ForEachAsync(largestFirst, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (e, ct) =>
            {
                await using var conn = new NpgsqlConnection(connection);
                await conn.OpenAsync(ct);
                await using var c = new NpgsqlCommand($"SET maintenance_work_mem = '256MB'; ALTER TABLE {schema}.\"{e.Table}\" ADD PRIMARY KEY ({TargetNames.PostgresKeyColumns(e)})", conn);
                await c.ExecuteNonQueryAsync(ct);
            });
        }
        var elapsed = sw.Elapsed;
        await DropSchemaAsync(connection, schema);
        return (elapsed, elapsed - copied);
    }

    /// <summary>The middle run (the mean of the two middle ones for an even count).</summary>
    static TimeSpan Median(List<TimeSpan> runs)
    {
        var sorted = runs.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Short name of the pipeline's own loader among the results.</summary>
    public const string OwnLoader = "our loader alone";

    /// <summary>
    /// Records handed to the loader at a time (all tables together), so this process's memory stays bounded at any
    /// scale: about 1 GB, taken after the dry run's peak was read. A round ends with the loader drained and one
    /// connection idle in its tail, which the raw peers (one tail) and a dry run never are, so rounds are few: two
    /// at scale 1 (there were five of 400,000, 0.07-0.12 s of idle CPU each).
    /// </summary>
    const int OwnLoaderRound = 1_000_000;

    /// <summary>
    /// The pipeline's loader alone: <see cref="PostgresTarget"/> into a schema of its own, driven as a dry run drives it —
    /// <see cref="IStandardTarget.BeginLoadAsync"/>, batches of the dry run's size handed to a <see cref="BatchLoader"/>
    /// (each entity on one connection at a time, waiting batches loaded together, every batch with its COPY tuples,
    /// checksum and ledger row), <see cref="IStandardTarget.CompleteLoadAsync"/>. The records are read back from the
    /// loaded tables and built before the clock runs, a round at a time: each round holds the next slice of every
    /// table, in proportion to its rows, and its tables are sent largest first over as many senders as the target has
    /// connections, as the raw peers copy them. Only the loader's work is timed.
    /// </summary>
    static async Task<Result> OwnLoaderAsync(string connection, List<(SpecEntity Entity, long Rows)> tables, int parallel, int batchSize)
    {
        const string schema = "e2e_own_loader";
        var name = $"the pipeline's loader alone on the same rows (records in memory, handed over in rounds of {OwnLoaderRound:N0}; batches of {batchSize:N0} with ledger and checksum over {parallel} connections, " +
            $"up to {BatchLoader.MaxGroup} waiting batches of a table in one transaction, keys built after";
        var rows = tables.Sum(t => t.Rows);
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var c = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}", conn);
            await c.ExecuteNonQueryAsync();
        }
        var entities = tables.Select(t => t.Entity).ToList();
        var clock = new Stopwatch();
        var cpu = TimeSpan.Zero; // this process's CPU while batches load: the raw peers' client side costs next to nothing
        var keyTime = TimeSpan.Zero;
        await using (var source = new PostgresTarget(connection))
        await using (IStandardTarget target = new PostgresTarget(new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }.ConnectionString))
        {
            await target.EnsureSchemaAsync(entities);
            clock.Start();
            await target.BeginLoadAsync(entities);
            clock.Stop();
            const string runId = "e2e-own-loader";
            // One reader per table, kept open across rounds; each round takes its table's next slice (whole batches).
            var readers = tables.OrderByDescending(t => t.Rows).Select(t => new TableFeed(t.Entity, source.ReadBackAsync(t.Entity).GetAsyncEnumerator(), RecordFactory(t.Entity),
                Math.Max(batchSize, (int)Math.Ceiling(OwnLoaderRound * (double)t.Rows / Math.Max(1, rows) / batchSize) * batchSize))).ToList();
            try
            {
                while (true)
                {
                    var round = new List<(TableFeed Feed, List<LoadBatch> Batches)>();
                    foreach (var feed in readers.Where(f => !f.Done))
                        if (await feed.NextSliceAsync(runId, batchSize) is { Count: > 0 } batches) round.Add((feed, batches));
                    if (round.Count == 0) break;
                    var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                    clock.Start();
                    var loader = new BatchLoader(target, null);
                    await Parallel.ForEachAsync(round, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (r, _) =>
                    {
                        foreach (var batch in r.Batches) await loader.SendAsync(batch);
                    });
                    await loader.CompleteAsync();
                    clock.Stop();
                    cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                }
            }
            finally
            {
                foreach (var feed in readers) await feed.Rows.DisposeAsync();
            }
            var beforeKeys = clock.Elapsed;
            clock.Start();
            await target.CompleteLoadAsync(entities);
            clock.Stop();
            keyTime = clock.Elapsed - beforeKeys;
            long loaded = 0;
            foreach (var entity in entities) loaded += await target.CountAsync(entity);
            if (loaded != rows)
                return new(name + ")", OwnLoader, rows, null, string.Create(CultureInfo.InvariantCulture, $"loaded {loaded:N0} of {rows:N0} rows"));
        }
        await DropSchemaAsync(connection, schema);
        return new(name + string.Create(CultureInfo.InvariantCulture, $"; client CPU while batches load {cpu.TotalSeconds:F2} s)"), OwnLoader, rows, clock.Elapsed) { KeyRuns = [keyTime] };
    }

    /// <summary>One table's rows read back, built into records a slice at a time, and the batch numbering of the load.</summary>
    sealed class TableFeed(SpecEntity entity, IAsyncEnumerator<object?[]> rows, Func<object?[], IStandardRecord> build, int slice)
    {
        int _batch;
        long _input;

        public IAsyncEnumerator<object?[]> Rows { get; } = rows;

        public bool Done { get; private set; }

        /// <summary>The table's next slice as batches (fewer rows at its end; none once the table is done).</summary>
        public async Task<List<LoadBatch>> NextSliceAsync(string runId, int batchSize)
        {
            var batches = new List<LoadBatch>();
            var records = new List<IStandardRecord>(batchSize);
            for (var n = 0; n < slice && !Done; n++)
            {
                if (!await Rows.MoveNextAsync()) Done = true;
                else records.Add(build(Rows.Current));
                if (records.Count == batchSize || (Done && records.Count > 0))
                {
                    batches.Add(new LoadBatch(runId, StandardSpec.Version, entity, ++_batch, _input + 1, _input + records.Count, records));
                    _input += records.Count;
                    records = new List<IStandardRecord>(batchSize);
                }
            }
            return batches;
        }
    }

    /// <summary>The generated record's <c>FromValues</c> (values in spec order, as read back) for an entity.</summary>
    static Func<object?[], IStandardRecord> RecordFactory(SpecEntity entity)
    {
        var type = typeof(StandardSpec).Assembly.GetType("Ogaki.Migration.Standard." + entity.Name, throwOnError: true)!;
        var method = type.GetMethod("FromValues", [typeof(IReadOnlyList<object?>)])!;
        var make = method.CreateDelegate<Func<IReadOnlyList<object?>, object>>();
        return values => (IStandardRecord)make(values);
    }

    static async Task<Result> PgloaderAsync(string connection, string dir, List<(SpecEntity Entity, long Rows)> tables)
    {
        const string name = "pgloader, same rows from CSV (drop indexes, load, build them)";
        const string schema = "e2e_pgloader";
        var rows = tables.Sum(t => t.Rows);
        if (!File.Exists("/usr/bin/pgloader") && !File.Exists("/usr/local/bin/pgloader"))
            return new(name, "pgloader", rows, null, "pgloader is not installed (apt-get install pgloader)");
        await CreateTablesAsync(connection, schema, tables, withKey: true);
        var b = new NpgsqlConnectionStringBuilder(connection);
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{Uri.EscapeDataString(b.Username ?? "")}:{Uri.EscapeDataString(b.Password ?? "")}@{b.Host}:{b.Port}/{Uri.EscapeDataString(b.Database ?? "")}");
        var commands = new List<string>();
        foreach (var (e, _) in tables)
        {
            var file = Path.Combine(dir, e.Table + ".load");
            await File.WriteAllTextAsync(file, $"""
                LOAD CSV FROM '{Path.Combine(dir, e.Table + ".csv")}'
                  INTO {uri}
                  TARGET TABLE {schema}.{e.Table}
                  WITH truncate, drop indexes,
                       fields optionally enclosed by '"', fields escaped by double-quote, fields terminated by ','
                  SET maintenance_work_mem to '256MB';

                """);
            commands.Add(file);
        }
        var psi = new ProcessStartInfo("pgloader") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--quiet", "--on-error-stop" }.Concat(commands)) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using (var p = Process.Start(psi)!)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            sw.Stop();
            if (p.ExitCode != 0)
                return new(name, "pgloader", rows, null, $"pgloader failed (exit {p.ExitCode}): {ConnectionStrings.Mask(FirstLine(await stderr + await stdout))}");
        }
        long loaded = 0;
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            foreach (var (e, _) in tables)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.\"{e.Table}\"", conn);
                loaded += (long)(await count.ExecuteScalarAsync())!;
            }
        }
        await DropSchemaAsync(connection, schema);
        return loaded == rows
            ? new(name, "pgloader", rows, sw.Elapsed)
            : new(name, "pgloader", rows, null, string.Create(CultureInfo.InvariantCulture, $"pgloader loaded {loaded:N0} of {rows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s"));
    }

    static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal) || l.Contains("FATAL", StringComparison.Ordinal))
        ?? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    static async Task DropSchemaAsync(string connection, string schema)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var c = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", conn);
        await c.ExecuteNonQueryAsync();
    }
}
