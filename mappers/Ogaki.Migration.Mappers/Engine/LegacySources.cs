using Ogaki.Migration.Adapters;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Adapters.Sqlite;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// The sources of a legacy extract laid out as the estate writes it (<c>opensys/</c>, <c>csv/</c>, <c>mainframe/</c>,
/// <c>sqlite/</c>, <c>layouts/</c>, <c>gaiji.csv</c>), read through the built-in adapters.
/// </summary>
public static class LegacySources
{
    const string SqliteFile = "jidoteate.db";

    /// <summary>All sources found under <paramref name="root"/>, each with its system, role and field-map record type.</summary>
    public static IReadOnlyList<MappingSource> FromFolder(string root)
    {
        string P(params string[] parts) => Path.Combine([root, .. parts]);
        var list = new List<MappingSource>();
        if (File.Exists(P("opensys", "SETAI.dat")))
            list.Add(new("opensys", SourceRole.Households, AdapterFactory.Create(P("layouts", "SETAI.layout.csv"), null, P("opensys", "SETAI.dat")), "SETAI"));
        if (File.Exists(P("opensys", "JUMIN.dat")))
            list.Add(new("opensys", SourceRole.Residents, AdapterFactory.Create(P("layouts", "JUMIN.layout.csv"), null, P("opensys", "JUMIN.dat")), "JUMIN"));
        if (File.Exists(P("csv", "IDO_RIREKI.csv")))
            list.Add(new("csv", SourceRole.History, AdapterFactory.Create(null, "utf-8", P("csv", "IDO_RIREKI.csv")), "IDO_RIREKI"));
        if (File.Exists(P("mainframe", "ZEIMAST.dat")))
            list.Add(new("mainframe", SourceRole.Tax, AdapterFactory.Create(P("layouts", "ZEIMAST.cpy"), null, P("mainframe", "ZEIMAST.dat")), "ZM-DETAIL"));
        var db = P("sqlite", SqliteFile);
        if (File.Exists(db))
        {
            list.Add(new("sqlite", SourceRole.AllowanceRecipients, AdapterFactory.Create(null, null, db, "JUKYUSHA"), "JUKYUSHA"));
            list.Add(new("sqlite", SourceRole.AllowanceChildren, AdapterFactory.Create(null, null, db, "TAISHO_JIDO"), "TAISHO_JIDO"));
            list.Add(new("sqlite", SourceRole.AllowancePayments, AdapterFactory.Create(null, null, db, "SHIHARAI"), "SHIHARAI"));
        }
        // Sources the extract announces a count for are checked against it after mapping.
        if (ExpectedCounts.Load(root) is not { } expected) return list;
        return [.. list.Select(s => expected.For(KeyOf(s), RecordTypes(s.Adapter)) is { } n ? s with { ExpectedRecords = n, ExpectedFrom = expected.File } : s)];
    }

    /// <summary>The source's key in the counts: its path under the extract, and the table for a database.</summary>
    static string KeyOf(MappingSource s) => s.Adapter switch
    {
        SqliteAdapter => $"{s.System}/{SqliteFile}:{s.RecordType}",
        _ => $"{s.System}/{s.Adapter.Name[(s.Adapter.Name.IndexOf(':', StringComparison.Ordinal) + 1)..]}",
    };

    /// <summary>Selector values of every record type of a fixed-length file (a count per type may stand for the file's).</summary>
    static IEnumerable<string>? RecordTypes(ILegacyAdapter adapter) =>
        adapter is FixedLengthAdapter f && f.Layout.SelectorField is not null ? f.Layout.Records.SelectMany(r => r.SelectorValues) : null;

    /// <summary>The extract's own 外字 table (<c>gaiji.csv</c> beside the data), or null.</summary>
    public static string? GaijiTable(string root)
    {
        var p = Path.Combine(root, "gaiji.csv");
        return File.Exists(p) ? p : null;
    }
}
