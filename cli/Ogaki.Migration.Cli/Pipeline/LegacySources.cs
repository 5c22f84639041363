using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.Csv;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sqlite;
using Ogaki.Migration.Mappers.Engine;

namespace Ogaki.Migration.Cli.Pipeline;

/// <summary>
/// The four legacy systems of an estate folder (as <c>ogaki-migrate sample</c> writes it, or a real export laid
/// out the same way), opened through the built-in layout-driven adapters.
/// </summary>
public static class LegacySources
{
    /// <summary>Opens every source; a missing file or malformed layout is an invalid-input error naming it.</summary>
    public static IReadOnlyList<MappingSource> Open(string estateDirectory)
    {
        if (!Directory.Exists(estateDirectory))
            throw new CliException($"legacy source folder {estateDirectory} not found; pass a folder written by 'ogaki-migrate sample' or laid out like one.");
        LegacyEncodings.Register();
        string Need(params string[] parts)
        {
            var p = Path.Combine([estateDirectory, .. parts]);
            if (!File.Exists(p)) throw new CliException($"legacy source file {p} not found; the estate folder must hold {string.Join("/", parts)}.");
            return p;
        }
        FileLayout Layout(string file)
        {
            var path = Need("layouts", file);
            try
            {
                return LayoutLoader.Load(path);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidDataException)
            {
                throw new CliException($"layout {path} is malformed: {e.Message}");
            }
        }
        FixedLengthAdapter Fixed(string data, FileLayout layout, string fallbackEncoding) =>
            new(data, layout, layout.Encoding ?? fallbackEncoding);

        var setai = Layout("SETAI.layout.csv");
        var jumin = Layout("JUMIN.layout.csv");
        var zeimast = Layout("ZEIMAST.cpy");
        var db = Need("sqlite", "jidoteate.db");
        return
        [
            new MappingSource("opensys", SourceRole.Households, Fixed(Need("opensys", "SETAI.dat"), setai, "cp932"), "SETAI"),
            new MappingSource("opensys", SourceRole.Residents, Fixed(Need("opensys", "JUMIN.dat"), jumin, "cp932"), "JUMIN"),
            new MappingSource("csv", SourceRole.History, new CsvAdapter(Need("csv", "IDO_RIREKI.csv"), "utf-8"), "IDO_RIREKI"),
            new MappingSource("mainframe", SourceRole.Tax, Fixed(Need("mainframe", "ZEIMAST.dat"), zeimast, "ibm930"), "D",
                new Dictionary<string, string>(StringComparer.Ordinal) { ["ZM-DETAIL"] = "D" }),
            new MappingSource("sqlite", SourceRole.AllowanceRecipients, new SqliteAdapter(db, "JUKYUSHA"), "JUKYUSHA"),
            new MappingSource("sqlite", SourceRole.AllowanceChildren, new SqliteAdapter(db, "TAISHO_JIDO"), "TAISHO_JIDO"),
            new MappingSource("sqlite", SourceRole.AllowancePayments, new SqliteAdapter(db, "SHIHARAI"), "SHIHARAI"),
        ];
    }

    /// <summary>The entity each source mainly feeds (one record per source record), for balance checks.</summary>
    public static string PrimaryEntity(SourceRole role) => role switch
    {
        SourceRole.Households => "Household",
        SourceRole.Residents => "Resident",
        SourceRole.History => "ResidentHistory",
        SourceRole.Tax => "TaxAssessment",
        SourceRole.AllowanceRecipients => "AllowanceRecipient",
        SourceRole.AllowanceChildren => "AllowanceChild",
        _ => "AllowancePayment",
    };
}
