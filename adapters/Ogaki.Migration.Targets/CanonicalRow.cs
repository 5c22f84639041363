using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// The canonical text of a row, the same whichever database holds it: values in spec item order separated by TAB,
/// row ended by LF; null is <c>\N</c>; text escapes <c>\</c>, TAB, LF and CR; int and amount in invariant digits
/// without trailing zeros; date <c>yyyy-MM-dd</c>; wareki the canonical <see cref="WarekiDate.ToString"/>;
/// yearmonth <c>yyyy-MM</c>; flag <c>t</c>/<c>f</c>.
/// </summary>
public static class CanonicalRow
{
    public static void AppendValue(StringBuilder sb, object? value)
    {
        switch (value)
        {
            case null: sb.Append("\\N"); break;
            case string s: AppendEscaped(sb, s); break;
            case int i: sb.Append(i.ToString(CultureInfo.InvariantCulture)); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case decimal d: sb.Append(Amount(d)); break;
            case DateOnly date: sb.Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case WarekiDate w: AppendEscaped(sb, w.ToString()); break;
            case YearMonth ym: sb.Append(ym.ToString()); break;
            case bool b: sb.Append(b ? 't' : 'f'); break;
            default: throw new ArgumentException($"no canonical text for a value of type {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>An amount as invariant text without trailing zeros (100.00 and 100 are the same amount).</summary>
    public static string Amount(decimal d) => d.ToString("0.############################", CultureInfo.InvariantCulture);

    static void AppendEscaped(StringBuilder sb, string s)
    {
        if (s.AsSpan().IndexOfAny('\\', '\t', '\n') < 0 && !s.Contains('\r', StringComparison.Ordinal)) { sb.Append(s); return; }
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                default: sb.Append(c); break;
            }
        }
    }
}

/// <summary>SHA-256 over canonical rows (UTF-8), fed one row at a time.</summary>
public sealed class RowHasher : IDisposable
{
    readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    readonly StringBuilder _row = new(1024);
    byte[] _buffer = new byte[4096];

    public long Rows { get; private set; }

    /// <summary>Starts a row; append values with <see cref="Value"/> and close it with <see cref="EndRow"/>.</summary>
    public void StartRow() => _row.Clear();

    public void Value(int ordinal, object? value)
    {
        if (ordinal > 0) _row.Append('\t');
        CanonicalRow.AppendValue(_row, value);
    }

    public void EndRow()
    {
        _row.Append('\n');
        var max = Encoding.UTF8.GetMaxByteCount(_row.Length);
        if (_buffer.Length < max) _buffer = new byte[Math.Max(max, _buffer.Length * 2)];
        var n = 0;
        foreach (var chunk in _row.GetChunks()) n += Encoding.UTF8.GetBytes(chunk.Span, _buffer.AsSpan(n));
        _hash.AppendData(_buffer, 0, n);
        Rows++;
    }

    public void AddRow(IReadOnlyList<object?> values)
    {
        StartRow();
        for (var i = 0; i < values.Count; i++) Value(i, values[i]);
        EndRow();
    }

    /// <summary>The hex SHA-256 of the rows so far.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}

/// <summary>Row count and content checksum of one entity's table.</summary>
/// <param name="Entity">Entity name.</param>
/// <param name="Table">Table name.</param>
/// <param name="RowCount">Rows in the table.</param>
/// <param name="Sha256">SHA-256 (hex) of the canonical rows in key order: equal for PostgreSQL and SQLite holding the same rows.</param>
public sealed record TableChecksum(string Entity, string Table, long RowCount, string Sha256)
{
    /// <summary>Reads the whole table back (key order) and hashes its canonical rows.</summary>
    public static async Task<TableChecksum> ComputeAsync(IStandardTarget target, SpecEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(entity);
        using var hasher = new RowHasher();
        await foreach (var row in target.ReadBackAsync(entity, cancellationToken).ConfigureAwait(false))
            hasher.AddRow(row);
        return new TableChecksum(entity.Name, entity.Table, hasher.Rows, hasher.Finish());
    }

    public override string ToString() => $"{Entity} ({Table}): {RowCount.ToString(CultureInfo.InvariantCulture)} rows, sha256 {Sha256}";
}
