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
