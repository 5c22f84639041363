using System.Data;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Sqlite;

/// <summary>
/// Streams the rows of a SQLite table (in rowid order) or of a SELECT query as <see cref="LegacyRecord"/>s (ADO.NET,
/// Microsoft.Data.Sqlite, read-only). Field names are the column names; INTEGER and exact NUMERIC values become
/// <see cref="decimal"/>, REAL becomes the decimal of its shortest round-trip text, TEXT a string, BLOB a byte array,
/// NULL null. Location: file = table name (or <c>query</c>), record number = row number, byte offset −1.
/// A row whose values cannot be read (or that holds NUL characters) becomes a reject; the stream goes on.
/// </summary>
public sealed class SqliteAdapter : ILegacyAdapter
{
    readonly string _databasePath;
    readonly string _sql = "";
    readonly string _source;
    readonly bool _allTables;

    /// <param name="databasePath">The .db / .sqlite file.</param>
    /// <param name="tableOrQuery">A table name, a query starting with SELECT or WITH, or null for every table in
    /// ordinal name order (each table's rows in rowid order; the record type is the table name).</param>
    public SqliteAdapter(string databasePath, string? tableOrQuery)
    {
        _databasePath = databasePath;
        if (tableOrQuery is null)
        {
            _allTables = true;
            _source = "*";
            return;
        }
        var t = tableOrQuery.Trim();
        if (t.StartsWith("SELECT ", StringComparison.OrdinalIgnoreCase) || t.StartsWith("WITH ", StringComparison.OrdinalIgnoreCase))
        {
            _sql = t;
            _source = "query";
        }
        else
        {
            if (t.Contains('"', StringComparison.Ordinal)) throw new ArgumentException("Table names may not contain double quotes.", nameof(tableOrQuery));
            _sql = $"SELECT * FROM \"{t}\" ORDER BY rowid";
            _source = t;
        }
    }

    public string Name => $"sqlite:{Path.GetFileName(_databasePath)}:{_source}";

    /// <summary>Table names of a database (ordinal order), for the CLI.</summary>
    public static async Task<IReadOnlyList<string>> ListTablesAsync(string databasePath, CancellationToken cancellationToken = default)
    {
        await using var conn = Open(databasePath);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        SqliteDataReader r;
        try
        {
            r = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw InputError(databasePath, ex);
        }
        await using var _ = r.ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) names.Add(r.GetString(0));
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>Databases whose quick_check passed in this process, as they were then (path, size, write time, and those of a -wal file).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<FileIdentity, byte> SoundFiles = new();

    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> QuickCheckCounts = new(StringComparer.Ordinal);

    /// <summary>How many quick_checks this process ran on a database file (for tests).</summary>
    internal static int QuickChecksOf(string path) => QuickCheckCounts.GetValueOrDefault(Path.GetFullPath(path));

    /// <summary>A database file as it is now: any write changes its size or write time, or those of its -wal file.</summary>
    readonly record struct FileIdentity(string Path, long Length, DateTime WrittenUtc, long WalLength, DateTime WalWrittenUtc)
    {
        public static FileIdentity Of(string path)
        {
            var db = new FileInfo(path);
            var wal = new FileInfo(path + "-wal");
            return wal.Exists
                ? new(db.FullName, db.Length, db.LastWriteTimeUtc, wal.Length, wal.LastWriteTimeUtc)
                : new(db.FullName, db.Length, db.LastWriteTimeUtc, -1, default);
        }
    }

    static SqliteConnection Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SQLite database not found: {path}", path);
        return new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
    }

    public async IAsyncEnumerable<LegacyReadResult> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_allTables)
        {
            foreach (var table in await ListTablesAsync(_databasePath, cancellationToken).ConfigureAwait(false))
            {
                await foreach (var r in new SqliteAdapter(_databasePath, table).ReadAsync(cancellationToken).ConfigureAwait(false))
                    yield return r;
            }
            yield break;
        }
        await using var conn = Open(_databasePath);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        SqliteDataReader reader;
        try
        {
            // A damaged page may sit where this read never looks (an index, another table): the extract is still not whole.
            // The check reads the whole file, so a file already found sound and not changed since is not read again
            // (a run reads one database table by table, and once more for the fit-gap).
            var identity = FileIdentity.Of(_databasePath);
            if (!SoundFiles.ContainsKey(identity))
            {
                cmd.CommandText = "PRAGMA quick_check(1)";
                QuickCheckCounts.AddOrUpdate(identity.Path, 1, (_, n) => n + 1);
                if (await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string check && check != "ok")
                    throw new InputFormatException(Path.GetFileName(_databasePath), 0, $"is a damaged SQLite database (quick_check: {check.ReplaceLineEndings("; ")})");
                SoundFiles.TryAdd(identity, 0);
            }
            cmd.CommandText = _sql;
            try
            {
                reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException ex) when (_source != "query" && ex.Message.Contains("rowid", StringComparison.OrdinalIgnoreCase))
            {
                // WITHOUT ROWID tables: order by the primary key columns SQLite uses anyway.
                cmd.CommandText = $"SELECT * FROM \"{_source}\"";
                reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex)
        {
            throw InputError(_databasePath, ex);
        }
        await using (reader.ConfigureAwait(false))
        {
            var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            long number = 0;
            while (await NextAsync(reader, number, cancellationToken).ConfigureAwait(false))
            {
                number++;
                var loc = new SourceLocation(_source, number, -1);
                var values = new object?[names.Length];
                LegacyReject? reject = null;
                for (var i = 0; i < names.Length && reject is null; i++)
                {
                    try
                    {
                        values[i] = Convert(reader, i);
                        if (values[i] is string s && s.Contains('\0', StringComparison.Ordinal))
                            reject = new LegacyReject(loc.WithField(names[i]), RejectReasons.NulBytes, $"Row {number}: column {names[i]} holds a NUL character");
                    }
                    catch (Exception ex) when (ex is InvalidCastException or FormatException or OverflowException or SqliteException)
                    {
                        reject = new LegacyReject(loc.WithField(names[i]), RejectReasons.MalformedRow, $"Row {number}: column {names[i]} cannot be read ({ex.GetType().Name})");
                    }
                }
                yield return reject is not null ? reject : new LegacyRecord(loc, _source == "query" ? "" : _source, new LegacyGroup(names, values));
            }
        }
    }

    /// <summary>The next row; a page found damaged while reading is the extract's fault, named with the rows read before it.</summary>
    async Task<bool> NextAsync(SqliteDataReader reader, long rowsRead, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new InputFormatException(Path.GetFileName(_databasePath), 0,
                FormattableString.Invariant($"cannot be read after row {rowsRead} of {_source}: {ex.Message.Replace("SQLite Error ", "SQLite error ", StringComparison.Ordinal)}"), ex);
        }
    }

    /// <summary>A database that is not SQLite, or lacks the table or columns asked for: the operator's input, not a bug.</summary>
    InputFormatException InputError(string path, SqliteException ex) => InputError(path, ex, _source);

    static InputFormatException InputError(string path, SqliteException ex, string source = "*")
    {
        var file = Path.GetFileName(path);
        var what = ex.SqliteErrorCode switch
        {
            26 => "is not a SQLite database (SQLite error 26: file is not a database)",
            11 => "is a damaged SQLite database (SQLite error 11: database disk image is malformed)",
            _ when source == "query" => $"the query cannot run: {ex.Message.Replace("SQLite Error ", "SQLite error ", StringComparison.Ordinal)}",
            _ when ex.Message.Contains("no such table", StringComparison.OrdinalIgnoreCase) => $"has no table {source}",
            _ => $"cannot be read ({source}): {ex.Message.Replace("SQLite Error ", "SQLite error ", StringComparison.Ordinal)}",
        };
        return new InputFormatException(file, 0, what, ex);
    }

    static object? Convert(SqliteDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        var type = r.GetFieldType(i);
        if (type == typeof(long)) return (decimal)r.GetInt64(i);
        if (type == typeof(double))
        {
            var d = r.GetDouble(i);
            if (double.IsNaN(d) || double.IsInfinity(d)) throw new OverflowException("Not a finite number.");
            return decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        if (type == typeof(byte[])) return (byte[])r.GetValue(i);
        return r.GetString(i);
    }
}
