namespace Ogaki.Migration.Spec;

/// <summary>What rule of the spec an item breaks.</summary>
public enum ViolationKind
{
    Required,
    Length,
    Type,
    CodeDomain,
}

/// <summary>
/// One broken item rule. The message never holds the value itself, so violations can go into
/// reports and logs without personal data.
/// </summary>
public sealed record SpecViolation(SpecItem Item, ViolationKind Kind, string Message)
{
    public override string ToString() => $"{Item.Entity}.{Item.Identifier} ({Item.ItemId} {Item.NameJa}): {Kind}: {Message}";
}

/// <summary>A record of a standard entity, as generated from the spec.</summary>
public interface IStandardRecord
{
    /// <summary>The spec metadata of the record's entity.</summary>
    SpecEntity Entity { get; }

    /// <summary>The value of the item at an ordinal of <see cref="SpecEntity.Items"/>.</summary>
    object? GetValue(int ordinal);

    /// <summary>Adds a violation for every broken item rule (required, length, type, code domain).</summary>
    void Validate(ICollection<SpecViolation> violations);

    /// <summary>
    /// Hands every item's value to <paramref name="writer"/> in spec order, typed, so the consumers that read every value
    /// of every record (canonical rows, binary COPY) do not box them. Generated records write their properties directly;
    /// this default goes through <see cref="GetValue"/>.
    /// </summary>
    /// <exception cref="InvalidCastException">A value whose type is not its item's.</exception>
    void WriteValues<TWriter>(ref TWriter writer) where TWriter : struct, IStandardValueWriter
    {
        var items = Entity.Items;
        for (var i = 0; i < items.Count; i++)
        {
            var value = GetValue(i);
            switch (items[i].Type)
            {
                case ItemType.Int: writer.Int(i, (int?)value); break;
                case ItemType.Amount or ItemType.Decimal: writer.Decimal(i, (decimal?)value); break;
                case ItemType.Date: writer.Date(i, (DateOnly?)value); break;
                case ItemType.YearMonth: writer.YearMonth(i, (YearMonth?)value); break;
                case ItemType.Flag: writer.Flag(i, (bool?)value); break;
                case ItemType.Time: writer.Time(i, (TimeOnly?)value); break;
                case ItemType.Blob: writer.Blob(i, (byte[]?)value); break;
                default: writer.Text(i, (string?)value); break;
            }
        }
    }
}

/// <summary>
/// Receives a record's values from <see cref="IStandardRecord.WriteValues"/>: one call per item, in spec order, by the
/// item's CLR type (null for an empty item). Implemented by structs, so the generic call is specialised and direct.
/// </summary>
public interface IStandardValueWriter
{
    /// <summary>text, kana, digits and code items.</summary>
    void Text(int ordinal, string? value);

    void Int(int ordinal, int? value);

    /// <summary>amount and decimal items.</summary>
    void Decimal(int ordinal, decimal? value);

    void Date(int ordinal, DateOnly? value);

    void YearMonth(int ordinal, YearMonth? value);

    void Flag(int ordinal, bool? value);

    void Time(int ordinal, TimeOnly? value);

    void Blob(int ordinal, byte[]? value);
}

/// <summary>The two boxed flags, shared: <see cref="IStandardRecord.GetValue"/> of a flag item returns one of them instead of boxing anew.</summary>
public static class BoxedFlag
{
    static readonly object True = true;
    static readonly object False = false;

    public static object? Of(bool? value) => value is { } b ? (b ? True : False) : null;
}
