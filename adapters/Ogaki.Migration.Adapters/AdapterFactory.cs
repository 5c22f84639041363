using Ogaki.Migration.Adapters.Csv;
using Ogaki.Migration.Adapters.Encodings;
using Ogaki.Migration.Adapters.FixedLength;
using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Adapters.Sqlite;

namespace Ogaki.Migration.Adapters;

/// <summary>
/// Builds the built-in adapter for a data file, by extension: <c>.csv</c> → <see cref="CsvAdapter"/> (encoding
/// default utf-8); <c>.db</c>/<c>.sqlite</c>/<c>.sqlite3</c> → <see cref="SqliteAdapter"/> (table or query from
/// <c>table</c>, all tables when null); anything else → <see cref="FixedLengthAdapter"/> with the layout
/// (<c>.cpy</c> copybook or <c>.layout.csv</c> layout file) and the encoding (or the layout's <c>@ENCODING</c>).
/// </summary>
public static class AdapterFactory
{
    public static ILegacyAdapter Create(string? layoutPath, string? encoding, string dataPath, string? table = null, FixedLengthOptions? options = null)
    {
        LegacyEncodings.Register();
        var name = Path.GetFileName(dataPath);
        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".layout.csv", StringComparison.OrdinalIgnoreCase))
            return new CsvAdapter(dataPath, Canonical(encoding ?? "utf-8"));
        if (name.EndsWith(".db", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".sqlite", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".sqlite3", StringComparison.OrdinalIgnoreCase))
            return new SqliteAdapter(dataPath, table);
        if (layoutPath is null) throw new ArgumentException($"{name} is a fixed-length file: give its layout (.cpy copybook or .layout.csv).", nameof(layoutPath));
        var layout = LayoutLoader.Load(layoutPath);
        var enc = encoding ?? layout.Encoding ?? throw new ArgumentException($"No encoding given and {Path.GetFileName(layoutPath)} declares none (@ENCODING). Use one of {string.Join(", ", LegacyEncodings.SupportedNames)}.", nameof(encoding));
        return new FixedLengthAdapter(dataPath, layout, Canonical(enc), options);
    }

    static string Canonical(string encoding) =>
        LegacyEncodings.Normalize(encoding) ?? throw new ArgumentException($"Unsupported encoding '{encoding}'. Supported: {string.Join(", ", LegacyEncodings.SupportedNames)}.", nameof(encoding));
}
