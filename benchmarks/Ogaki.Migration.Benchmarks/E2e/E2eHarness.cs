using System.Diagnostics;
using System.Globalization;
using System.Text;
using nietras.SeparatedValues;
using Npgsql;
using Ogaki.Migration.Pipeline;
using Ogaki.Migration.Standard;
using Ogaki.Migration.Targets;

namespace Ogaki.Migration.Benchmarks.E2e;

/// <summary>
/// End-to-end harness: generates the estate at a scale (in a child process, so its memory does not count),
/// runs the whole dry run against PostgreSQL in this process, and measures beside it, on the same files and
/// rows, the baselines: iconv (CP932 and IBM930 decoding), raw Sep (CSV), raw binary COPY of the loaded rows
/// (<see cref="LoadBaselines"/>, with pgloader unless <c>--no-pgloader</c>; the COPY peers and the pipeline's loader
/// alone run <c>--repeat</c> times in turn, 3 by default, each reported as its median) and the raw read-back.
/// <c>--batch</c> sets the dry run's batch size (default that of <see cref="RunRequest"/>). Prints a
/// Markdown report: wall time, CPU time, rows/s per stage, peak working set, ratios.
/// </summary>
public static class E2eHarness
{
    /// <summary>True when this build's code was compiled ahead of time (dotnet publish with ReadyToRun), as a published tool runs.</summary>
    static bool ReadyToRun
    {
        get
        {
            using var pe = new System.Reflection.PortableExecutable.PEReader(File.OpenRead(typeof(MigrationRunner).Assembly.Location));
            return pe.PEHeaders.CorHeader?.ManagedNativeHeaderDirectory.Size > 0;
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        double scale = 1;
        var defaultBatchSize = new RunRequest().BatchSize;
        const int defaultRepeat = 3;
        var batchSize = defaultBatchSize;
        var repeat = defaultRepeat;
        string? target = Environment.GetEnvironmentVariable("PG_CONN");
        string? outFile = null;
        var work = Path.Combine(Path.GetTempPath(), "ogaki-e2e");
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--scale": scale = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--target": target = args[++i]; break;
                case "--out": outFile = args[++i]; break;
                case "--work": work = args[++i]; break;
                case "--batch": batchSize = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
            }
        }
        if (string.IsNullOrWhiteSpace(target))
        {
            await Console.Error.WriteLineAsync("e2e: set PG_CONN or pass --target with a PostgreSQL connection string (the harness creates its own database in it).");
            return 2;
        }
        var pgloader = !args.Contains("--no-pgloader");
        var label = scale.ToString("0.###", CultureInfo.InvariantCulture);
        var options = (batchSize == defaultBatchSize ? "" : string.Create(CultureInfo.InvariantCulture, $" --batch {batchSize}"))
            + (repeat == defaultRepeat ? "" : string.Create(CultureInfo.InvariantCulture, $" --repeat {repeat}"));
        var database = "ogaki_e2e_" + label.Replace('.', '_');
        if (args.Contains("--loads-only"))
        {
            // Only the load peers, on the rows the last dry run of this scale left in its database: for working on the loader.
            await using (var admin = new NpgsqlConnection(target))
            {
                await admin.OpenAsync();
                await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", admin) { Parameters = { new() { Value = database } } };
                if (!(bool)(await exists.ExecuteScalarAsync())!)
                {
                    await Console.Error.WriteLineAsync($"e2e --loads-only: database {database} does not exist; run the e2e at scale {label} once first.");
                    return 2;
                }
            }
            var kept = new NpgsqlConnectionStringBuilder(target) { Database = database }.ConnectionString;
            var only = await LoadBaselines.RunAsync(kept, pgloader, batchSize, repeat);
            var table = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"## Load peers only, scale {label}, on the rows of the last dry run\n\n| peer | rows | seconds | rows/s |\n|---|---:|---:|---:|\n"));
            AppendLoads(table, only);
            AppendOwnLoaderRatios(table, only);
            Console.Write(table.ToString());
            return 0;
        }
        var estate = Path.Combine(work, "estate-" + label);
        if (!File.Exists(Path.Combine(estate, "estate.json")))
        {
            Directory.CreateDirectory(work);
            var cli = Path.Combine(AppContext.BaseDirectory, "ogaki-migrate.dll");
            var gen = Stopwatch.StartNew();
            var rc = await RunProcessAsync("dotnet", $"\"{cli}\" sample --scale {label} --seed 42 --out \"{estate}\"", quiet: true);
            if (rc != 0) { await Console.Error.WriteLineAsync("e2e: sample generation failed"); return 3; }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"estate scale {label} generated in {gen.Elapsed.TotalSeconds:F1}s (child process)"));
        }

        var connection = await FreshDatabaseAsync(target, database);
        var runs = Path.Combine(work, "runs-" + label);
        if (Directory.Exists(runs)) Directory.Delete(runs, true);
        Environment.SetEnvironmentVariable("OGAKI_PSEUDONYM_KEY", Environment.GetEnvironmentVariable("OGAKI_PSEUDONYM_KEY") ?? "e2e-benchmark-pseudonym-key-0001");

        var request = new RunRequest { Source = estate, Target = connection, RunsDirectory = runs, BatchSize = batchSize };
        GC.Collect();
        var (cpuBefore, allocatedBefore, pauseBefore) = (Process.GetCurrentProcess().TotalProcessorTime, GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        var collectionsBefore = Enumerable.Range(0, 3).Select(GC.CollectionCount).ToArray();
        var outcome = await new MigrationRunner(IStageProgress.None).RunAsync(request, CancellationToken.None);
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var runCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var pause = GC.GetTotalPauseDuration() - pauseBefore;
        var collections = Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - collectionsBefore[g]).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dry run: {outcome.Reconciliation.Outcome}, wall {outcome.Wall.TotalSeconds:F1} s, peak working set {peak / 1048576.0:F0} MiB; baselines next"));

        // The dry run leaves 1.9 M rows per scale unit that autovacuum will vacuum and analyse within its next naptime:
        // done here, untimed, it cannot land under one peer and not another.
        await VacuumAsync(connection);

        // Baselines on the same files and rows, in the same run.
        var jumin = Path.Combine(estate, "opensys", "JUMIN.dat");
        var zeimast = Path.Combine(estate, "mainframe", "ZEIMAST.dat");
        var ido = Path.Combine(estate, "csv", "IDO_RIREKI.csv");
        var iconvCp932 = await TimeProcessAsync("iconv", $"-c -f CP932 -t UTF-8 \"{jumin}\"");
        var iconvIbm930 = await TimeProcessAsync("iconv", $"-c -f IBM930 -t UTF-8 \"{zeimast}\"");
        var sep = TimeSep(ido);
        var (copyRows, copyTime) = await RawCopyAsync(connection, "juki_resident");
        var (readRows, readBytes, readTime) = await RawReadBackAsync(connection);
        var loads = await LoadBaselines.RunAsync(connection, pgloader, batchSize, repeat);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        var r = outcome.Reconciliation;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"## End-to-end dry run, scale {label}\n\n");
        sb.Append(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; target PostgreSQL (throwaway cluster)\n");
        sb.Append(ReadyToRun
            ? $"- command: `dotnet publish benchmarks/Ogaki.Migration.Benchmarks -c Release -o out/bench && dotnet out/bench/Ogaki.Migration.Benchmarks.dll e2e --scale {label}{options}` (PG_CONN set); code: ReadyToRun, as a published ogaki-migrate runs\n"
            : $"- command: `dotnet run -c Release --project benchmarks/Ogaki.Migration.Benchmarks -- e2e --scale {label}{options}` (PG_CONN set); code: compiled at run time (not published ReadyToRun)\n");
        sb.Append(CultureInfo.InvariantCulture, $"- outcome: {r.Outcome}; wall **{outcome.Wall.TotalSeconds:F1} s**; peak working set **{peak / 1048576.0:F0} MiB**\n");
        sb.Append(CultureInfo.InvariantCulture, $"- records read {outcome.Mapping.Counts.Sum(c => c.Read):N0}; standard rows loaded {r.Entities.Sum(e => e.Loaded):N0}\n");
        sb.Append(CultureInfo.InvariantCulture, $"- CPU time of the dry run {runCpu.TotalSeconds:F1} s; of this process with the client side of the baselines {cpu.TotalSeconds:F1} s; load average at the end {LoadAverage()}\n");
        sb.Append("- before the baselines the database is vacuumed and analysed (untimed), so no peer runs beside autovacuum of the dry run's rows\n");
        sb.Append("- every COPY peer starts on fresh server processes (its pooled connections are cleared first), as the loader alone and the dry run do\n");
        sb.Append(CultureInfo.InvariantCulture, $"- garbage collection in the dry run: {allocated / 1048576.0:N0} MiB allocated ({allocated / (double)Math.Max(1, outcome.Mapping.Counts.Sum(c => c.Read)):N0} bytes a record read), collections gen0/gen1/gen2 {collections[0]}/{collections[1]}/{collections[2]}, paused {pause.TotalSeconds:F2} s\n\n");
        sb.Append("| stage | records | seconds | records/s |\n|---|---:|---:|---:|\n");
        foreach (var t in outcome.Timings)
            sb.Append(CultureInfo.InvariantCulture, $"| {t.Stage} | {t.Records:N0} | {t.Elapsed.TotalSeconds:F2} | {t.RecordsPerSecond:N0} |\n");
        sb.Append("\n| baseline (same run, same data) | size | seconds | throughput |\n|---|---:|---:|---:|\n");
        sb.Append(CultureInfo.InvariantCulture, $"| iconv -c -f CP932 JUMIN.dat | {new FileInfo(jumin).Length / 1048576.0:F1} MB | {iconvCp932.TotalSeconds:F2} | {new FileInfo(jumin).Length / 1048576.0 / iconvCp932.TotalSeconds:F1} MB/s |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| iconv -c -f IBM930 ZEIMAST.dat (packed fields skipped as invalid) | {new FileInfo(zeimast).Length / 1048576.0:F1} MB | {iconvIbm930.TotalSeconds:F2} | {new FileInfo(zeimast).Length / 1048576.0 / iconvIbm930.TotalSeconds:F1} MB/s |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| raw Sep IDO_RIREKI.csv | {sep.Rows:N0} rows | {sep.Elapsed.TotalSeconds:F2} | {sep.Rows / sep.Elapsed.TotalSeconds:N0} rows/s |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| raw binary COPY juki_resident | {copyRows:N0} rows | {copyTime.TotalSeconds:F2} | {copyRows / copyTime.TotalSeconds:N0} rows/s |\n");
        sb.Append(CultureInfo.InvariantCulture, $"| raw binary COPY TO of every standard table in key order, bytes discarded | {readRows:N0} rows, {readBytes / 1048576.0:F0} MB | {readTime.TotalSeconds:F2} | {readRows / readTime.TotalSeconds:N0} rows/s |\n");
        AppendLoads(sb, loads);
        var reconcile = outcome.Timings.FirstOrDefault(t => t.Stage.StartsWith("reconcile", StringComparison.Ordinal));
        if (reconcile is not null && readRows > 0)
            sb.Append(CultureInfo.InvariantCulture, $"\nReconcile (read back, compare, totals, reports) runs at {reconcile.RecordsPerSecond:N0} rows/s = {reconcile.RecordsPerSecond / (readRows / readTime.TotalSeconds):F2}× the rate at which PostgreSQL streams the same rows out in key order with nothing done to them.\n");
        var load = outcome.Timings.FirstOrDefault(t => t.Stage.StartsWith("  of which load (", StringComparison.Ordinal));
        if (load is not null && RatiosToPeers(loads, load.RecordsPerSecond) is { } ratios)
            sb.Append(CultureInfo.InvariantCulture, $"\nThe load of the same {load.Records:N0} rows (COPY while mapping runs on the same cores, plus the key build) at {load.RecordsPerSecond:N0} rows/s is {ratios}.\n");
        AppendOwnLoaderRatios(sb, loads);
        var text = sb.ToString();
        Console.Write(text);
        if (outFile is not null) await File.AppendAllTextAsync(outFile, text + "\n");
        return 0;
    }

    static void AppendLoads(StringBuilder sb, IReadOnlyList<LoadBaselines.Result> loads)
    {
        foreach (var b in loads)
            sb.Append(b.Elapsed is { } t
                ? string.Create(CultureInfo.InvariantCulture, $"| {b.Name}{RunsNote(b)} | {b.Rows:N0} rows | {t.TotalSeconds:F2} | {b.Rows / t.TotalSeconds:N0} rows/s |\n")
                : $"| {b.Name} | {b.Note} | | |\n");
    }

    /// <summary>The pipeline's loader alone against each peer that ran.</summary>
    static void AppendOwnLoaderRatios(StringBuilder sb, IReadOnlyList<LoadBaselines.Result> loads)
    {
        if (loads.FirstOrDefault(b => b.Short == LoadBaselines.OwnLoader) is not { Elapsed: { } own } alone) return;
        var rate = alone.Rows / own.TotalSeconds;
        if (RatiosToPeers(loads, rate) is { } ratios)
            sb.Append(CultureInfo.InvariantCulture, $"\nThe pipeline's loader alone, on the same {alone.Rows:N0} rows given as records (nothing else running), at {rate:N0} rows/s is {ratios}.\n");
    }

    /// <summary>A rate against each COPY or pgloader peer that ran ("0.88× raw COPY (key after), …"); null when none ran.</summary>
    static string? RatiosToPeers(IReadOnlyList<LoadBaselines.Result> loads, double rowsPerSecond)
    {
        var peers = loads.Where(b => b.Elapsed is not null && b.Short != LoadBaselines.OwnLoader).ToList();
        return peers.Count == 0 ? null : string.Join(", ", peers.Select(b =>
            string.Create(CultureInfo.InvariantCulture, $"{rowsPerSecond / (b.Rows / b.Elapsed!.Value.TotalSeconds):F2}× {b.Short}")));
    }

    static string RunsNote(LoadBaselines.Result b) => (b.Runs.Count < 2 ? "" :
        string.Create(CultureInfo.InvariantCulture, $"; median of {b.Runs.Count} runs taken in turn with the other peers: {Seconds(b.Runs)} s")) +
        (b.KeyRuns.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"; of which building the keys {Seconds(b.KeyRuns)} s"));

    static string Seconds(IEnumerable<TimeSpan> runs) => string.Join(" / ", runs.Select(r => r.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)));

    static async Task VacuumAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", conn) { CommandTimeout = 0 };
        await vacuum.ExecuteNonQueryAsync();
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    static async Task<string> FreshDatabaseAsync(string connection, string database)
    {
        await using (var admin = new NpgsqlConnection(connection))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin);
            // An autovacuum worker on the old database makes WITH (FORCE) fail for a role that may not signal it
            // (42501); it ends within seconds, so the drop waits for it instead of failing the benchmark.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 30)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1));
                }
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
    }

    /// <summary>Raw baseline: the loaded table's rows copied out and back in with binary COPY, no client-side work.</summary>
    static async Task<(long Rows, TimeSpan Elapsed)> RawCopyAsync(string connection, string table)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using (var c = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}_rawcopy; CREATE TABLE {table}_rawcopy (LIKE {table} INCLUDING ALL)", conn))
            await c.ExecuteNonQueryAsync();
        // The rows go through a temporary file, so memory stays flat at any scale.
        var file = Path.Combine(Path.GetTempPath(), $"ogaki-e2e-{table}-{Guid.NewGuid():N}.copy");
        try
        {
            await LoadBaselines.CopyOutAsync(conn, $"COPY {table} TO STDOUT (FORMAT BINARY)", file);
            long rows;
            await using (var c = new NpgsqlCommand($"SELECT count(*) FROM {table}", conn))
                rows = (long)(await c.ExecuteScalarAsync())!;
            var sw = Stopwatch.StartNew();
            await LoadBaselines.CopyInAsync(conn, $"COPY {table}_rawcopy FROM STDIN (FORMAT BINARY)", file, CancellationToken.None);
            return (rows, sw.Elapsed);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Raw baseline of the read-back: every standard table streamed out in key order with binary COPY, bytes discarded.</summary>
    static async Task<(long Rows, long Bytes, TimeSpan Elapsed)> RawReadBackAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connection) { ReadBufferSize = 1 << 18 }.ConnectionString);
        await conn.OpenAsync();
        long rows = 0, bytes = 0;
        var sw = Stopwatch.StartNew();
        foreach (var entity in StandardSpec.Entities)
        {
            await using (var c = new NpgsqlCommand($"SELECT count(*) FROM \"{entity.Table}\"", conn))
                rows += (long)(await c.ExecuteScalarAsync())!;
            await using var export = await conn.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM \"{entity.Table}\" ORDER BY {TargetNames.PostgresKeyOrder(entity)}) TO STDOUT (FORMAT BINARY)");
            var buffer = new byte[1 << 20];
            int n;
            while ((n = await export.ReadAsync(buffer.AsMemory(), CancellationToken.None)) > 0) bytes += n;
        }
        return (rows, bytes, sw.Elapsed);
    }

    static (long Rows, TimeSpan Elapsed) TimeSep(string path)
    {
        var sw = Stopwatch.StartNew();
        long rows = 0, chars = 0;
        using var reader = Sep.Reader().FromFile(path);
        foreach (var row in reader)
        {
            for (var i = 0; i < row.ColCount; i++) chars += row[i].Span.Length;
            rows++;
        }
        GC.KeepAlive(chars);
        return (rows, sw.Elapsed);
    }

    static async Task<TimeSpan> TimeProcessAsync(string file, string arguments)
    {
        var sw = Stopwatch.StartNew();
        await RunProcessAsync(file, arguments, quiet: true);
        return sw.Elapsed;
    }

    static async Task<int> RunProcessAsync(string file, string arguments, bool quiet)
    {
        var psi = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = quiet, RedirectStandardError = false, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        if (quiet) await p.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        await p.WaitForExitAsync();
        return p.ExitCode;
    }
}
