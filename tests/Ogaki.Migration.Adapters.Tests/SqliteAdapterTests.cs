using Microsoft.Data.Sqlite;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Adapters.Sqlite;

namespace Ogaki.Migration.Adapters.Tests;

public class SqliteAdapterTests
{
    internal static string CreateDatabase(string dir)
    {
        var path = Path.Combine(dir, "jidoteate.db");
        using var conn = new SqliteConnection($"Data Source={path};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE JUKYUSHA (ATENA_NO TEXT PRIMARY KEY, SHIMEI TEXT NOT NULL, GETSUGAKU INTEGER, RITSU REAL, MEMO TEXT);
            INSERT INTO JUKYUSHA VALUES ('0000000001', '山田太郎', 15000, 0.1, NULL);
            INSERT INTO JUKYUSHA VALUES ('0000000002', '髙橋' || char(57344) || '子', 10000, 2.5, 'ﾒﾓ');
            INSERT INTO JUKYUSHA VALUES ('0000000003', 'bad' || char(0), 10000, 1, NULL);
            """;
        cmd.ExecuteNonQuery();
        return path;
    }

    static void Execute(string db, string sql)
    {
        using var conn = new SqliteConnection($"Data Source={db};Pooling=False");
        conn.Open();
        using var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task A_database_is_checked_once_while_unchanged_and_again_after_any_write()
    {
        using var files = new FixedLengthTestFiles();
        var db = CreateDatabase(files.Dir);
        Execute(db, "CREATE TABLE SHIHARAI (ATENA_NO TEXT, GAKU INTEGER); INSERT INTO SHIHARAI VALUES ('0000000001', 15000);");

        Assert.Equal(3, (await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "JUKYUSHA"))).Count);
        Assert.Single(await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "SHIHARAI")));
        Assert.Equal(4, (await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, null))).Count);
        Assert.Equal(1, SqliteAdapter.QuickChecksOf(db)); // three reads, one check of the unchanged file

        Execute(db, "INSERT INTO SHIHARAI VALUES ('0000000002', 10000);");
        Assert.Equal(2, (await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "SHIHARAI"))).Count);
        Assert.Equal(2, SqliteAdapter.QuickChecksOf(db)); // written since: checked again
    }

    [Fact]
    public async Task A_database_damaged_after_a_sound_read_is_reported_damaged_on_the_next_read()
    {
        using var files = new FixedLengthTestFiles();
        var db = CreateDatabase(files.Dir);
        // Enough rows for pages past the first, so the damage below hits a b-tree page, not the header.
        Execute(db, "CREATE TABLE SHIHARAI (ATENA_NO TEXT, GAKU INTEGER, MEMO TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO SHIHARAI SELECT printf('%010d', i), i * 10, hex(randomblob(40)) FROM n;");
        Assert.Equal(2000, (await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "SHIHARAI"))).Count);

        await using (var f = new FileStream(db, FileMode.Open, FileAccess.Write))
        {
            f.Position = f.Length / 2;
            f.Write(Enumerable.Repeat((byte)0xA5, 2000).ToArray());
        }

        var e = await Assert.ThrowsAsync<InputFormatException>(() => FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "JUKYUSHA")));
        Assert.Contains("damaged SQLite database", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_table_rows_with_column_names()
    {
        using var files = new FixedLengthTestFiles();
        var db = CreateDatabase(files.Dir);
        var results = await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "JUKYUSHA"));
        Assert.Equal(3, results.Count);
        var r = results[1].Record!;
        Assert.Equal(new SourceLocation("JUKYUSHA", 2, -1), r.Location);
        Assert.Equal("髙橋\uE000子", r.Get("SHIMEI"));
        Assert.Equal(10000m, r.Get("GETSUGAKU"));
        Assert.Equal(2.5m, r.Get("RITSU"));
        Assert.Equal(0.1m, results[0].Record!.Get("RITSU"));
        Assert.Null(results[0].Record!.Get("MEMO"));
        Assert.True(results[0].Record!.Has("MEMO"));
        var reject = results[2].Reject!;
        Assert.Equal((RejectReasons.NulBytes, 3L, -1L, "SHIMEI"), (reject.Reason, reject.Location.RecordNumber, reject.Location.ByteOffset, reject.Location.Field));
        Assert.Equal(["JUKYUSHA"], await SqliteAdapter.ListTablesAsync(db, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Streams_a_query()
    {
        using var files = new FixedLengthTestFiles();
        var db = CreateDatabase(files.Dir);
        var results = await FixedLengthTestFiles.ReadAll(new SqliteAdapter(db, "SELECT ATENA_NO, GETSUGAKU * 2 AS NIBAI FROM JUKYUSHA WHERE GETSUGAKU > 10000"));
        var r = Assert.Single(results).Record!;
        Assert.Equal(30000m, r.Get("NIBAI"));
        Assert.Equal("query", r.Location.File);
    }
}
