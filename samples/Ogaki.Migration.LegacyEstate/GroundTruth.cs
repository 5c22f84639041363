using System.Globalization;
using System.Text;

namespace Ogaki.Migration.LegacyEstate;

/// <summary>One injected defect.</summary>
public sealed record GroundTruthRow(string System, string File, string RecordKey, string Kind, string Field, string Detail)
{
    public string ToCsvLine()
    {
        static string Q(string s) => s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
        return string.Join(',', Q(System), Q(File), Q(RecordKey), Q(Kind), Q(Field), Q(Detail));
    }
}

/// <summary>Decides which records get a defect (at most one per record) and records it.</summary>
internal sealed class DefectInjector(DefectRates rates, Random random)
{
    readonly List<GroundTruthRow> _rows = [];

    public Random Random { get; } = random;

    public IReadOnlyList<GroundTruthRow> Rows => _rows;

    /// <summary>Draws exactly one random number, so the defect stream is the same whatever the rates.</summary>
    public string? Pick(ReadOnlySpan<string> kinds)
    {
        var u = Random.NextDouble();
        var cumulative = 0.0;
        foreach (var k in kinds)
        {
            cumulative += rates.RateOf(k);
            if (u < cumulative) return k;
        }
        return null;
    }

    public void Add(string system, string file, string key, string kind, string field, string detail) =>
        _rows.Add(new GroundTruthRow(system, file, key, kind, field, detail));

    public Dictionary<string, long> CountByKind()
    {
        var d = DefectKinds.All.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
        foreach (var r in _rows) d[r.Kind]++;
        return d;
    }

    public string ToCsv()
    {
        var lines = _rows.Select(r => r.ToCsvLine()).ToList();
        lines.Sort(StringComparer.Ordinal);
        var sb = new StringBuilder("system,file,record_key,kind,field,detail\n");
        foreach (var l in lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }

    /// <summary>A non-existent date in the same year: 30 Feb, 31 Apr/Jun/Sep/Nov, or 29 Feb of a common year.</summary>
    public (int Month, int Day) ImpossibleMonthDay(int year)
    {
        var k = Random.Next(6);
        return k switch
        {
            0 => (2, 30),
            1 => (4, 31),
            2 => (6, 31),
            3 => (9, 31),
            4 => (11, 31),
            _ => DateTime.IsLeapYear(year) ? (2, 30) : (2, 29),
        };
    }

    public static string Ymd(int y, int m, int d) => string.Create(CultureInfo.InvariantCulture, $"{y:0000}{m:00}{d:00}");
}
