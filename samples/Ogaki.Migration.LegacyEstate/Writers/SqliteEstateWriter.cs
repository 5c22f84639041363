using Microsoft.Data.Sqlite;
using Ogaki.Migration.LegacyEstate.Legacy;

namespace Ogaki.Migration.LegacyEstate.Writers;

/// <summary>Writes jidoteate.db with the legacy DDL; one transaction, prepared inserts.</summary>
internal sealed class SqliteEstateWriter : IDisposable
{
    readonly SqliteConnection _conn;
    readonly SqliteTransaction _tx;
    readonly SqliteCommand _jukyusha, _jido, _shiharai;
    readonly List<string> _indexes;

    public long JukyushaCount { get; private set; }
    public long TaishoJidoCount { get; private set; }
    public long ShiharaiCount { get; private set; }

    public SqliteEstateWriter(string path, string ddl)
    {
        if (File.Exists(path)) File.Delete(path);
        _conn = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        _conn.Open();
        Exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096; PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-65536;");
        // Tables first; the indexes are built after the bulk insert (same DDL text, cheaper).
        var statements = ddl.Split(';').Select(x => x.Trim()).Where(x => x.Length > 0 && !x.StartsWith("--", StringComparison.Ordinal) || x.Contains("CREATE", StringComparison.Ordinal)).ToList();
        _indexes = [.. statements.Where(x => x.Contains("CREATE INDEX", StringComparison.Ordinal))];
        foreach (var st in statements.Where(x => !x.Contains("CREATE INDEX", StringComparison.Ordinal))) Exec(st);
        _tx = _conn.BeginTransaction();
        _jukyusha = Prepare("INSERT INTO JUKYUSHA VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20)", 20);
        _jido = Prepare("INSERT INTO TAISHO_JIDO VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)", 12);
        _shiharai = Prepare("INSERT INTO SHIHARAI VALUES ($1,$2,$3,$4,$5,$6)", 6);
    }

    void Exec(string sql)
    {
        using var c = _conn.CreateCommand();
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    SqliteCommand Prepare(string sql, int n)
    {
        var c = _conn.CreateCommand();
        c.Transaction = _tx;
        c.CommandText = sql;
        for (var i = 1; i <= n; i++) c.Parameters.Add(new SqliteParameter("$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), null));
        c.Prepare();
        return c;
    }

    static void Bind(SqliteCommand c, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) c.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>Returns the 1-based row number (rowid) of the inserted row.</summary>
    public long Write(JukyushaRow r)
    {
        Bind(_jukyusha, r.JkyNo, r.AtenaNo, r.Shimei, r.Kana, r.Kbn, r.SeikyuYmd, r.NinteiYmd, r.ShikyuKaishiYm, r.ShikyuShuryoYm, r.ShometsuCd,
            r.HaigushaAtenaNo, r.GenkyoFlg, r.SashitomeFlg, r.KinyuCd, r.ShitenCd, r.YokinShu, r.KozaNo, r.KozaKana, r.Getsugaku, r.KoshinDt);
        _jukyusha.ExecuteNonQuery();
        return ++JukyushaCount;
    }

    public long Write(TaishoJidoRow r)
    {
        Bind(_jido, r.JkyNo, r.JidoAtenaNo, r.JidoShimei, r.Seinengappi, r.ZokugaraCd, r.DobekkyoKbn, r.JidoKbn, r.ShusshoJuni, r.ShikyuKbn, r.Getsugaku, r.TekiyoKaishiYm, r.TekiyoShuryoYm);
        _jido.ExecuteNonQuery();
        return ++TaishoJidoCount;
    }

    public long Write(ShiharaiRow r)
    {
        Bind(_shiharai, r.JkyNo, r.ShiharaiYm, r.TaishoFromYm, r.TaishoToYm, r.ShiharaiGaku, r.ShiharaiKbn);
        _shiharai.ExecuteNonQuery();
        return ++ShiharaiCount;
    }

    public void Complete()
    {
        foreach (var ix in _indexes)
        {
            using var c = _conn.CreateCommand();
            c.Transaction = _tx;
            c.CommandText = ix;
            c.ExecuteNonQuery();
        }
        _tx.Commit();
    }

    public void Dispose()
    {
        _jukyusha.Dispose();
        _jido.Dispose();
        _shiharai.Dispose();
        _tx.Dispose();
        _conn.Dispose();
    }
}
