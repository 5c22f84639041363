using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.Inspect;

/// <summary>Counts of an inspect run.</summary>
public sealed record InspectSummary(long Records, long Rejects)
{
    public long Read => Records + Rejects;
}

/// <summary>
/// Writes an adapter's stream as JSON Lines (UTF-8, no BOM, LF): one object per record —
/// <c>{"file":…,"record":n,"offset":n,"type":…,"fields":{…}}</c> with field names as the layout spells them, groups as
/// nested objects, OCCURS as arrays, decimals as exact JSON numbers (scale kept: <c>10288.00</c>), strings as decoded
/// Unicode (not escaped beyond what JSON requires), byte arrays as base64 — and one per reject:
/// <c>{"reject":reason,"file":…,"record":n,"offset":n,"field":…,"message":…}</c> (raw bytes are never written).
/// </summary>
public static class InspectWriter
{
    static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        Indented = false,
        SkipValidation = false,
    };

    static readonly JavaScriptEncoder Relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>Writes every item of <paramref name="adapter"/> to <paramref name="output"/>; returns the counts.</summary>
    public static async Task<InspectSummary> WriteAsync(ILegacyAdapter adapter, Stream output, long? limit = null, CancellationToken cancellationToken = default)
    {
        long records = 0, rejects = 0;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer, Options with { Encoder = Relaxed });
        await foreach (var item in adapter.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (limit is { } l && records + rejects >= l) break;
            Write(writer, item);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            writer.Reset();
            System.Buffers.BuffersExtensions.Write(buffer, "\n"u8);
            if (item.IsRecord) records++;
            else rejects++;
            if (buffer.WrittenCount > 48 * 1024)
            {
                await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
                buffer.Clear();
            }
        }
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new InspectSummary(records, rejects);
    }

    /// <summary>One item as a JSON line (without the newline).</summary>
    public static string ToJson(LegacyReadResult item)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options with { Encoder = Relaxed })) Write(writer, item);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void Write(Utf8JsonWriter w, LegacyReadResult item)
    {
        w.WriteStartObject();
        if (item.Record is { } r)
        {
            WriteLocation(w, r.Location);
            w.WriteString("type", r.RecordType);
            w.WritePropertyName("fields");
            WriteGroup(w, r.Fields);
        }
        else if (item.Reject is { } j)
        {
            w.WriteString("reject", j.Reason);
            WriteLocation(w, j.Location);
            if (j.Location.Field is { } f) w.WriteString("field", f);
            w.WriteString("message", j.Message);
        }
        w.WriteEndObject();
    }

    static void WriteLocation(Utf8JsonWriter w, SourceLocation l)
    {
        w.WriteString("file", l.File);
        w.WriteNumber("record", l.RecordNumber);
        w.WriteNumber("offset", l.ByteOffset);
    }

    static void WriteGroup(Utf8JsonWriter w, LegacyGroup g)
    {
        w.WriteStartObject();
        for (var i = 0; i < g.Count; i++)
        {
            w.WritePropertyName(g.NameAt(i));
            WriteValue(w, g.ValueAt(i));
        }
        w.WriteEndObject();
    }

    static void WriteValue(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case decimal d: w.WriteRawValue(d.ToString(CultureInfo.InvariantCulture), skipInputValidation: true); break;
            case LegacyGroup g: WriteGroup(w, g); break;
            case byte[] b: w.WriteBase64StringValue(b); break;
            case IReadOnlyList<object?> list:
                w.WriteStartArray();
                foreach (var x in list) WriteValue(w, x);
                w.WriteEndArray();
                break;
            case bool b: w.WriteBooleanValue(b); break;
            case long l: w.WriteNumberValue(l); break;
            case int n: w.WriteNumberValue(n); break;
            case DateOnly d: w.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case IFormattable f: w.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture)); break;
            default: w.WriteStringValue(v.ToString()); break;
        }
    }
}
