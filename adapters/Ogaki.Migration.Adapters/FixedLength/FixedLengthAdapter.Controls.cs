// FixedLengthAdapter, control records: header and trailer counts and the trailer control total checked against
// the data records read.

using Ogaki.Migration.Adapters.Layouts;
using Ogaki.Migration.Adapters.Sdk;

namespace Ogaki.Migration.Adapters.FixedLength;

public sealed partial class FixedLengthAdapter
{
    sealed class ControlState
    {
        public long Data;
        public long DataRejected;
        public decimal Total;
        public bool TrailerSeen;
        public decimal? HeaderCount;
        public long HeaderRecord;
        public bool HeaderChecked;
        public string? HeaderField;
    }

    LegacyReadResult Control(string file, ControlState s, in Frame f, LegacyReadResult r, byte[] buffer)
    {
        var role = f.Type >= 0 ? _layout.Records[f.Type].Role : RecordRole.Data;
        if (role == RecordRole.Data)
        {
            s.Data++;
            if (r.Record is { } rec)
            {
                if (_totalOfPaths[f.Type] is { } p && rec.Get(p) is decimal d) s.Total += d;
            }
            else s.DataRejected++;
            return r;
        }
        if (r.Record is not { } ctl) return r;
        var type = _layout.Records[f.Type];
        if (role == RecordRole.Header)
        {
            if (_countPaths[f.Type] is { } hp)
            {
                s.HeaderCount = AsDecimal(ctl.Get(hp));
                s.HeaderRecord = f.RecordNumber;
                s.HeaderField = hp;
            }
            return r;
        }
        s.TrailerSeen = true;
        if (s.HeaderCount is { } hc && !s.HeaderChecked)
        {
            s.HeaderChecked = true;
            if (hc != s.Data)
                return ControlReject(file, f, buffer, s.HeaderField!, $"Header record {s.HeaderRecord} announces {hc} data records; {s.Data} were read");
        }
        if (_countPaths[f.Type] is { } cp)
        {
            var expected = AsDecimal(ctl.Get(cp));
            if (expected != s.Data)
                return ControlReject(file, f, buffer, cp, $"Trailer count {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not numeric)"} ≠ {s.Data} data records read");
        }
        if (_totalPaths[f.Type] is { } tp && s.DataRejected == 0)
        {
            var expected = AsDecimal(ctl.Get(tp));
            if (expected != s.Total)
                return ControlReject(file, f, buffer, tp, $"Trailer control total {expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(not numeric)"} ≠ {s.Total.ToString(System.Globalization.CultureInfo.InvariantCulture)} summed over {type.TotalOfField}");
        }
        return r;
    }

    static decimal? AsDecimal(object? v) => v switch
    {
        decimal d => d,
        string s when decimal.TryParse(s.Trim(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    static LegacyReject ControlReject(string file, in Frame f, byte[] buffer, string field, string message) =>
        new(new SourceLocation(file, f.RecordNumber, f.FileOffset, field), RejectReasons.ControlCountMismatch, message, buffer.AsSpan(f.Start, f.Length).ToArray());

    IEnumerable<LegacyReject> Finish(ControlState s, string file, long fileLength)
    {
        if (s.HeaderCount is { } hc && !s.HeaderChecked && hc != s.Data)
            yield return new LegacyReject(new SourceLocation(file, 0, fileLength, s.HeaderField), RejectReasons.ControlCountMismatch,
                $"Header record {s.HeaderRecord} announces {hc} data records; {s.Data} were read");
        var trailer = _layout.Records.FirstOrDefault(r => r.Role == RecordRole.Trailer && (r.CountField is not null || r.TotalField is not null));
        if (trailer is not null && !s.TrailerSeen)
            yield return new LegacyReject(new SourceLocation(file, 0, fileLength), RejectReasons.ControlCountMismatch,
                $"No trailer record ({trailer.Name}): the control count cannot be checked");
    }
}
