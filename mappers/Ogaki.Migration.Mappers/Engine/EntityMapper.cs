using System.Linq.Expressions;
using System.Reflection;
using Ogaki.Migration.Adapters.Sdk;
using Ogaki.Migration.Mappers.Config;
using Ogaki.Migration.Spec;
using Ogaki.Migration.Standard;

namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// Makes records of one standard entity from one legacy record type: a single compiled factory
/// (<c>new Resident { AtenaNo = conv0(ctx), … }</c>) built from the field-map rows with expression trees,
/// optionally once per <c>(*)</c> occurrence or per code of an <c>@each</c> chain.
/// </summary>
public sealed class EntityMapper
{
    readonly Func<MapContext, IStandardRecord> _factory;
    readonly FieldAccessor? _occurs;
    readonly Func<MapContext, bool>? _when;
    readonly Func<MapContext, string[]>? _each;

    EntityMapper(SpecEntity entity, Func<MapContext, IStandardRecord> factory, FieldAccessor? occurs, Func<MapContext, bool>? when, Func<MapContext, string[]>? each, IReadOnlyList<FieldMapEntry> rows)
    {
        Entity = entity;
        _factory = factory;
        _occurs = occurs;
        _when = when;
        _each = each;
        Rows = rows;
    }

    public SpecEntity Entity { get; }

    /// <summary>The field-map rows this mapper was built from.</summary>
    public IReadOnlyList<FieldMapEntry> Rows { get; }

    /// <summary>Appends the records made from <see cref="MapContext.Record"/> to <paramref name="output"/>.</summary>
    public void Map(MapContext ctx, List<IStandardRecord> output)
    {
        if (_each is not null)
        {
            foreach (var code in _each(ctx))
            {
                ctx.EachCode = code;
                output.Add(_factory(ctx));
            }
            ctx.EachCode = null;
            return;
        }
        if (_occurs is not null)
        {
            var n = _occurs.CountOccurrences(ctx.Record);
            for (var i = 1; i <= n; i++)
            {
                ctx.Occurrence = i;
                if (_when is null || _when(ctx)) output.Add(_factory(ctx));
            }
            ctx.Occurrence = 0;
            return;
        }
        if (_when is null || _when(ctx)) output.Add(_factory(ctx));
    }

    /// <summary>Generated record type of an entity (<c>Ogaki.Migration.Standard.&lt;Entity&gt;</c>).</summary>
    public static Type RecordType(SpecEntity entity) =>
        typeof(StandardSpec).Assembly.GetType("Ogaki.Migration.Standard." + entity.Name, throwOnError: true)!;

    public static EntityMapper Build(SpecEntity entity, IReadOnlyList<FieldMapEntry> rows, MappingConfig config)
    {
        var type = RecordType(entity);
        var ctx = Expression.Parameter(typeof(MapContext), "ctx");
        var bindings = new List<MemberBinding>();
        FieldAccessor? occurs = null;
        Func<MapContext, bool>? when = null;
        Func<MapContext, string[]>? each = null;
        foreach (var r in rows)
        {
            if (r.ItemId == FieldMapEntry.When) when = EntryConverter.BuildWhen(r, config);
            else if (r.ItemId == FieldMapEntry.Each) each = EntryConverter.BuildEach(r, config);
            if (r.LegacyField.Contains("(*)", StringComparison.Ordinal))
            {
                var groupPath = r.LegacyField[..(r.LegacyField.IndexOf("(*)", StringComparison.Ordinal) + 3)];
                occurs ??= new FieldAccessor(groupPath);
            }
        }
        foreach (var group in rows.Where(r => !r.IsDirective).GroupBy(r => r.ItemId, StringComparer.Ordinal))
        {
            var item = entity.Items.First(i => string.Equals(i.ItemId, group.Key, StringComparison.Ordinal));
            var prop = type.GetProperty(item.Identifier, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new MappingConfigException($"{type.Name} has no property {item.Identifier}");
            Expression? value = null;
            (SpecItem Item, Expression Call)[] pair = [];
            // Several rows for one item: the first non-null value wins, in file order.
            foreach (var r in group.Reverse())
            {
                var call = EntryConverter.BuildCall(r, item, config, prop.PropertyType, ctx, out var p);
                value = value is null ? call : Expression.Coalesce(call, value);
                if (p.Length > 0) pair = p;
            }
            bindings.Add(Expression.Bind(prop, value!));
            // A DATE item's 不詳 pair is filled from the same source value, right after the DATE (its resolution is shared).
            foreach (var (pairItem, call) in pair)
                if (!rows.Any(r => string.Equals(r.ItemId, pairItem.ItemId, StringComparison.Ordinal)))
                    bindings.Add(Expression.Bind(type.GetProperty(pairItem.Identifier, BindingFlags.Public | BindingFlags.Instance)!, call));
        }
        var body = Expression.Convert(Expression.MemberInit(Expression.New(type), bindings), typeof(IStandardRecord));
        var factory = Expression.Lambda<Func<MapContext, IStandardRecord>>(body, ctx).Compile();
        return new EntityMapper(entity, factory, occurs, when, each, rows);
    }
}

/// <summary>
/// Maps one legacy record type of one system: every entity fed from it, plus <c>@check</c> rows.
/// </summary>
public sealed class RecordMapper
{
    readonly Action<MapContext>[] _checks;
    // An array: the per-record loop must not box an enumerator of the interface.
    readonly EntityMapper[] _entities;

    RecordMapper(string system, string recordType, EntityMapper[] entities, Action<MapContext>[] checks)
    {
        System = system;
        RecordType = recordType;
        _entities = entities;
        _checks = checks;
    }

    public string System { get; }

    public string RecordType { get; }

    public IReadOnlyList<EntityMapper> Entities => _entities;

    /// <summary>Maps the record in <see cref="MapContext.Record"/>; problems go to the context.</summary>
    public void Map(MapContext ctx, List<IStandardRecord> output)
    {
        foreach (var c in _checks) c(ctx);
        foreach (var e in _entities) e.Map(ctx, output);
    }

    /// <summary>
    /// Maps a batch of records, then validates every record made against its item rules, in the engine's order (a
    /// worker maps all of a batch before it validates any): the per-record hot path without the ordered cross-area
    /// stage. <paramref name="output"/> receives the records made, in order. Returns the number of problems: conversion
    /// problems (<see cref="MapContext.Issues"/> of each record) plus item-rule violations.
    /// </summary>
    public int MapAndValidate(MapContext ctx, ReadOnlySpan<LegacyRecord> batch, List<IStandardRecord> output, List<SpecViolation> violations)
    {
        output.Clear();
        var n = 0;
        foreach (var record in batch)
        {
            ctx.ResetRecord(record);
            Map(ctx, output);
            n += ctx.Issues.Count;
        }
        foreach (var r in output)
        {
            violations.Clear();
            r.Validate(violations);
            n += violations.Count;
        }
        return n;
    }

    /// <summary>Builds the mappers of every (system, record type) in the configuration.</summary>
    public static IReadOnlyDictionary<(string System, string RecordType), RecordMapper> BuildAll(MappingConfig config)
    {
        var result = new Dictionary<(string, string), RecordMapper>();
        foreach (var g in config.Fields.GroupBy(f => (f.System, f.RecordType)))
        {
            var entities = new List<EntityMapper>();
            foreach (var eg in g.GroupBy(f => f.Entity, StringComparer.Ordinal))
            {
                var spec = StandardSpec.Catalog.FindEntity(eg.Key)!;
                entities.Add(EntityMapper.Build(spec, eg.Where(f => f.ItemId != FieldMapEntry.Check).ToList(), config));
            }
            var checks = g.Where(f => f.ItemId == FieldMapEntry.Check).Select(f => EntryConverter.BuildCheck(f, config)).ToArray();
            result[g.Key] = new RecordMapper(g.Key.System, g.Key.RecordType, [.. entities], checks);
        }
        return result;
    }
}
