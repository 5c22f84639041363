namespace Ogaki.Migration.Mappers.Engine;

/// <summary>
/// The distinct legacy paths without a <c>(*)</c> segment that one record mapper's rows read. Each is read once per
/// record into <see cref="MapContext.Values"/> in one pass, so items of the same field (続柄 chain, address parts,
/// 性別 and its 表記) share one read and a conversion reads its value by slot instead of walking the path.
/// </summary>
internal sealed class FieldSlots
{
    readonly List<FieldAccessor> _accessors = [];
    readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);
    FieldAccessor[] _loaded = [];

    /// <summary>The slot of a path (registered at build time), or -1 for a <c>(*)</c> path read per occurrence.</summary>
    public int SlotOf(FieldAccessor field)
    {
        if (field.HasOccurrence) return -1;
        if (_byPath.TryGetValue(field.Path, out var slot)) return slot;
        slot = _accessors.Count;
        _accessors.Add(field);
        _byPath[field.Path] = slot;
        _loaded = [.. _accessors];
        return slot;
    }

    /// <summary>Reads every slot of <see cref="MapContext.Record"/> unless this record is already loaded.</summary>
    public void Load(MapContext ctx)
    {
        if (ReferenceEquals(ctx.LoadedSlots, this)) return;
        var accessors = _loaded;
        if (ctx.Values.Length < accessors.Length) ctx.Values = new FieldValue[accessors.Length];
        var values = ctx.Values;
        var record = ctx.Record;
        for (var i = 0; i < accessors.Length; i++) values[i].Value = accessors[i].Get(record);
        ctx.LoadedSlots = this;
    }
}

/// <summary>One slot of <see cref="MapContext.Values"/>: a struct, so a store needs no covariant array-type check.</summary>
internal struct FieldValue
{
    public object? Value;
}
