using System.Collections.Concurrent;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// Typed reads of a generated record, compiled once per entity: the record key as text and the 不詳フラグ of
/// the DATE items that have a 不詳 pair. <see cref="IStandardRecord.GetValue"/> boxes every value type it returns, which
/// cost an allocation per date item per record on the hot path.
/// </summary>
internal sealed class EntityReaders
{
    static readonly ConcurrentDictionary<string, EntityReaders> Cache = new(StringComparer.Ordinal);

    EntityReaders(SpecEntity entity)
    {
        var type = EntityMapper.RecordType(entity);
        var r = Expression.Parameter(typeof(IStandardRecord), "r");
        var typed = Expression.Convert(r, type);
        var parts = entity.Key.Select(k => KeyText(Expression.Property(typed, Property(type, entity.Find(k)!)))).ToArray();
        Expression key = parts.Length == 1
            ? parts[0]
            : Expression.Call(typeof(string).GetMethod(nameof(string.Join), [typeof(char), typeof(string[])])!, Expression.Constant('/'), Expression.NewArrayInit(typeof(string), parts));
        Key = Expression.Lambda<Func<IStandardRecord, string>>(key, r).Compile();
        UnknownDates = [.. entity.Items.Where(i => entity.UnknownDatePair(i) is not null)
            .Select(i => (i, Expression.Lambda<Func<IStandardRecord, bool?>>(Expression.Property(typed, Property(type, entity.UnknownDatePair(i)!.Value.Flag)), r).Compile()))];
    }

    /// <summary>The record key: key items as invariant text joined with <c>/</c> (null = empty).</summary>
    public Func<IStandardRecord, string> Key { get; }

    /// <summary>Each DATE item with a 不詳 pair, with the typed getter of its 不詳フラグ.</summary>
    public (SpecItem Item, Func<IStandardRecord, bool?> Unknown)[] UnknownDates { get; }

    public static EntityReaders For(SpecEntity entity) => Cache.GetOrAdd(entity.Name, static (_, e) => new EntityReaders(e), entity);

    static PropertyInfo Property(Type type, SpecItem item) =>
        type.GetProperty(item.Identifier, BindingFlags.Public | BindingFlags.Instance) ?? throw new InvalidOperationException($"{type.Name} has no property {item.Identifier}");

    // The text of one key value exactly as the boxed form gave it: null → "", IFormattable → invariant text.
    static Expression KeyText(MemberExpression value)
    {
        if (value.Type == typeof(string)) return Expression.Coalesce(value, Expression.Constant(""));
        if (Nullable.GetUnderlyingType(value.Type) is { } u && typeof(IFormattable).IsAssignableFrom(u))
            return Expression.Call(typeof(EntityReaders).GetMethod(nameof(FormatNullable), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(u), value);
        return Expression.Call(typeof(EntityReaders).GetMethod(nameof(FormatBoxed), BindingFlags.NonPublic | BindingFlags.Static)!, Expression.Convert(value, typeof(object)));
    }

    static string FormatNullable<T>(T? value) where T : struct, IFormattable => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "";

    static string FormatBoxed(object? value) => value switch
    {
        null => "",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}
