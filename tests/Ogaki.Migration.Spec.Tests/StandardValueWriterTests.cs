using System.Reflection;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Spec.Tests;

/// <summary>
/// <see cref="IStandardRecord.WriteValues"/>, the unboxed path of the canonical rows and the binary COPY: it must hand
/// over exactly what <see cref="IStandardRecord.GetValue"/> gives, item by item, for every generated entity.
/// </summary>
public class StandardValueWriterTests
{
    static readonly Type[] RecordTypes = [.. typeof(Resident).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract && typeof(IStandardRecord).IsAssignableFrom(t) && t.Namespace == "Ogaki.Migration.Standard")
        .OrderBy(t => t.Name, StringComparer.Ordinal)];

    /// <summary>Records of one type with random values of each item's type (about a third empty).</summary>
    static IEnumerable<IStandardRecord> RandomRecords(Type type, Random random, int count)
    {
        var entity = (SpecEntity)type.GetProperty("Spec", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var fromValues = type.GetMethod("FromValues", BindingFlags.Public | BindingFlags.Static)!;
        for (var n = 0; n < count; n++)
        {
            var values = entity.Items.Select(item => random.Next(3) == 0 ? null : RandomValue(item.Type, random)).ToList();
            yield return (IStandardRecord)fromValues.Invoke(null, [values])!;
        }
    }

    static object RandomValue(ItemType type, Random random) => type switch
    {
        ItemType.Int => random.Next(int.MinValue, int.MaxValue),
        ItemType.Amount => (decimal)random.NextInt64(-10_000_000_000, 10_000_000_000),
        ItemType.Decimal => new decimal(random.Next(), random.Next(), 0, random.Next(2) == 0, (byte)random.Next(0, 6)),
        ItemType.Date => DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber + 1)),
        ItemType.YearMonth => new YearMonth(random.Next(1, 10000), random.Next(1, 13)),
        ItemType.Flag => random.Next(2) == 0,
        ItemType.Time => TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(random.Next(86400))),
        ItemType.Blob => new byte[] { (byte)random.Next(256) },
        // Long text goes past the one-byte length of the canonical encoding; 𠮷 is a surrogate pair.
        _ => random.Next(4) == 0 ? string.Concat(Enumerable.Repeat("髙橋𠮷", random.Next(1, 40))) : random.Next(1_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Writes down every call: which method, which ordinal, what value.</summary>
    readonly struct Recorder(List<(string Method, int Ordinal, object? Value)> calls) : IStandardValueWriter
    {
        public void Text(int ordinal, string? value) => calls.Add((nameof(Text), ordinal, value));
        public void Int(int ordinal, int? value) => calls.Add((nameof(Int), ordinal, value));
        public void Decimal(int ordinal, decimal? value) => calls.Add((nameof(Decimal), ordinal, value));
        public void Date(int ordinal, DateOnly? value) => calls.Add((nameof(Date), ordinal, value));
        public void YearMonth(int ordinal, YearMonth? value) => calls.Add((nameof(YearMonth), ordinal, value));
        public void Flag(int ordinal, bool? value) => calls.Add((nameof(Flag), ordinal, value));
        public void Time(int ordinal, TimeOnly? value) => calls.Add((nameof(Time), ordinal, value));
        public void Blob(int ordinal, byte[]? value) => calls.Add((nameof(Blob), ordinal, value));
    }

    static string MethodOf(ItemType type) => type switch
    {
        ItemType.Int => "Int",
        ItemType.Amount or ItemType.Decimal => "Decimal",
        ItemType.Date => "Date",
        ItemType.YearMonth => "YearMonth",
        ItemType.Flag => "Flag",
        ItemType.Time => "Time",
        ItemType.Blob => "Blob",
        _ => "Text",
    };

    static List<(string Method, int Ordinal, object? Value)> Calls(IStandardRecord record)
    {
        var calls = new List<(string, int, object?)>();
        var recorder = new Recorder(calls);
        record.WriteValues(ref recorder);
        return calls;
    }

    /// <summary>A record written by hand: only Entity, GetValue and Validate, so WriteValues is the interface's default.</summary>
    sealed class HandWritten(IStandardRecord inner) : IStandardRecord
    {
        public SpecEntity Entity => inner.Entity;
        public object? GetValue(int ordinal) => inner.GetValue(ordinal);
        public void Validate(ICollection<SpecViolation> violations) => inner.Validate(violations);
    }

    [Fact]
    public void Every_generated_entity_is_covered()
    {
        Assert.Equal(StandardSpec.Entities.Select(e => e.Name).Order(StringComparer.Ordinal), RecordTypes.Select(t => t.Name));
    }

    [Fact]
    public void Each_item_is_written_once_in_spec_order_by_its_type_with_the_value_GetValue_gives()
    {
        var random = new Random(20261204);
        foreach (var type in RecordTypes)
            foreach (var record in RandomRecords(type, random, 50))
            {
                var items = record.Entity.Items;
                var calls = Calls(record);
                Assert.Equal(items.Count, calls.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    Assert.Equal((MethodOf(items[i].Type), i), (calls[i].Method, calls[i].Ordinal));
                    Assert.Equal(record.GetValue(i), calls[i].Value);
                }
                // The interface's default (for records not generated) hands over the same.
                Assert.Equal(calls, Calls(new HandWritten(record)));
            }
    }

    [Fact]
    public void A_record_added_to_canonical_rows_has_the_bytes_of_its_values_added_as_objects()
    {
        var random = new Random(4);
        foreach (var type in RecordTypes)
        {
            var records = RandomRecords(type, random, 200).ToList();
            var key = new CanonicalKey(records[0].Entity);
            var typed = new CanonicalRowBatch();
            var boxed = new CanonicalRowBatch();
            foreach (var record in records)
            {
                typed.Add(record, key);
                object?[] values = [.. Enumerable.Range(0, record.Entity.Items.Count).Select(record.GetValue)];
                boxed.Add(values, key);
            }
            for (var i = 0; i < records.Count; i++)
                Assert.True(boxed.Record(i).SequenceEqual(typed.Record(i)), $"{type.Name} row {i}");
        }
    }

    [Fact]
    public void Dates_in_canonical_rows_are_their_invariant_text()
    {
        var random = new Random(11);
        var dates = new List<DateOnly> { DateOnly.MinValue, DateOnly.MaxValue, new(1989, 1, 7), new(2000, 2, 29) };
        for (var i = 0; i < 2000; i++) dates.Add(DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber + 1)));
        var key = new CanonicalKey(HouseholdSpec.Entity);
        var batch = new CanonicalRowBatch();
        foreach (var d in dates) batch.Add([null, null, null, null, null, null, d], key);
        for (var i = 0; i < dates.Count; i++)
        {
            Assert.Equal(dates[i].ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), CanonicalRow.Texts(batch.Row(i), 7)[6]);
        }
    }

    [Fact]
    public void YearMonth_writes_the_utf8_of_its_text()
    {
        Span<byte> buffer = stackalloc byte[7];
        var random = new Random(12);
        foreach (var ym in new[] { default, new YearMonth(1, 1), new YearMonth(999, 9), new YearMonth(2026, 12), new YearMonth(9999, 12) }
            .Concat(Enumerable.Range(0, 2000).Select(_ => new YearMonth(random.Next(1, 10000), random.Next(1, 13)))))
        {
            Assert.True(ym.TryFormat(buffer, out var n, default, null));
            Assert.Equal(ym.ToString(), System.Text.Encoding.UTF8.GetString(buffer[..n]));
        }
        Assert.False(new YearMonth(2026, 12).TryFormat(buffer[..6], out var none, default, null));
        Assert.Equal(0, none);
    }
}
