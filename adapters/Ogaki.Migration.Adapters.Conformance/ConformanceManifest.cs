using System.Text.Json;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Conformance;

/// <summary>
/// Loads a <see cref="ConformanceSuite"/> for a built-in adapter from a JSON manifest (for the CLI
/// <c>ogaki-migrate conformance &lt;manifest.json&gt;</c>). Paths are relative to the manifest. Example:
/// <code>
/// {
///   "name": "ZEIMAST ibm930",
///   "layout": "ZEIMAST.cpy", "encoding": "ibm930", "table": null,
///   "sample": "ZEIMAST.dat", "expectedRecordCount": 8,
///   "hasByteOffsets": true, "hasTypedNumbers": true,
///   "expectedRecords": [ { "record": 2, "type": "ZM-DATA", "offset": 80,
///                          "fields": { "ZM-DATA.ZM-D-ZEIGAKU": 123456, "ZM-DATA.ZM-D-SHIMEI": "山田太郎", "ZM-DATA.ZM-D-GETSUWARI(2)": -0.01 } } ],
///   "badInputs": [ { "file": "bad-packed.dat", "reason": "invalid-packed-decimal", "record": 4, "expectedRecords": 7, "field": "ZM-DATA.ZM-D-ZEIGAKU" } ],
///   "notApplicable": [ "mixed-line-endings" ]
/// }
/// </code>
/// JSON numbers are read as exact decimals (their written scale kept), strings as strings, null as null.
/// A missing or mistyped key is an <see cref="InvalidDataException"/> naming the file, the key and where it is
/// (<c>suite.json: 'expectedRecordCount' is required (a whole number)</c>). The schema is documented in
/// adapters/Ogaki.Migration.Adapters/README.md; working examples are under <c>examples/</c>.
/// The adapter comes from <see cref="AdapterFactory.Create"/> (layout + encoding for fixed-length files, CSV, SQLite).
/// </summary>
public static class ConformanceManifest
{
    public static ConformanceSuite Load(string manifestPath)
    {
        try
        {
            return LoadCore(manifestPath);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong JSON kind (an array for the manifest, a string for a count): the author's input.
            throw new InputFormatException(Path.GetFileName(manifestPath), 0, "a value has the wrong JSON type: " + e.Message, e);
        }
    }

    static ConformanceSuite LoadCore(string manifestPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(manifestPath))!;
        using var doc = JsonDocument.Parse(File.ReadAllText(manifestPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var root = doc.RootElement;
        var file = Path.GetFileName(manifestPath);
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{file}: the manifest must be a JSON object.");
        string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        string Req(JsonElement e, string name, string where = "") => Str(e, name) ?? throw Missing(name, where, "a string");
        long ReqLong(JsonElement e, string name, string where = "") =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw Missing(name, where, "a whole number");
        InvalidDataException Missing(string name, string where, string what) => new($"{file}: '{name}' is required{where} ({what}).");
        string Full(string p) => Path.IsPathRooted(p) ? p : Path.Combine(dir, p);
        bool Bool(string name, bool dflt) => root.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : dflt;

        var layout = Str(root, "layout") is { } l ? Full(l) : null;
        var encoding = Str(root, "encoding");
        var table = Str(root, "table");
        var expected = new List<ExpectedRecord>();
        if (root.TryGetProperty("expectedRecords", out var recs))
        {
            var i = 0;
            foreach (var r in recs.EnumerateArray())
            {
                var where = $" in expectedRecords[{i++}]";
                var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                if (!r.TryGetProperty("fields", out var fs) || fs.ValueKind != JsonValueKind.Object) throw Missing("fields", where, "an object of field path → value");
                foreach (var f in fs.EnumerateObject())
                {
                    fields[f.Name] = f.Value.ValueKind switch
                    {
                        JsonValueKind.Number => decimal.Parse(f.Value.GetRawText(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture),
                        JsonValueKind.String => f.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => throw new InvalidDataException($"{Path.GetFileName(manifestPath)}: field {f.Name} must be a number, a string or null."),
                    };
                }
                expected.Add(new ExpectedRecord(
                    ReqLong(r, "record", where),
                    fields,
                    Str(r, "type"),
                    r.TryGetProperty("offset", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt64() : null));
            }
        }
        var bad = new List<BadInputCase>();
        if (root.TryGetProperty("badInputs", out var bads))
        {
            var i = 0;
            foreach (var b in bads.EnumerateArray())
            {
                var where = $" in badInputs[{i++}]";
                bad.Add(new BadInputCase(Full(Req(b, "file", where)), Req(b, "reason", where), ReqLong(b, "record", where),
                    checked((int)ReqLong(b, "expectedRecords", where)), Str(b, "field"), Str(b, "description")));
            }
        }
        var na = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("notApplicable", out var nas))
            foreach (var n in nas.EnumerateArray()) na.Add(n.GetString() ?? "");
        return new ConformanceSuite
        {
            Name = Str(root, "name") ?? Path.GetFileNameWithoutExtension(manifestPath),
            CreateAdapter = path => AdapterFactory.Create(layout, encoding, path, table),
            SamplePath = Full(Req(root, "sample")),
            ExpectedRecordCount = ReqLong(root, "expectedRecordCount"),
            ExpectedRecords = expected,
            BadInputs = bad,
            HasByteOffsets = Bool("hasByteOffsets", true),
            HasTypedNumbers = Bool("hasTypedNumbers", true),
            NotApplicable = na,
        };
    }
}
