using System.Text.Json;
using System.Text.Json.Serialization;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>
/// The part of an entity's spec that shapes its table, stored in <see cref="TargetNames.SchemaTable"/> so the
/// next spec version can be diffed against what the database actually holds.
/// </summary>
internal sealed record SpecDefinition(string Name, string NameJa, string Table, string[] Key, SpecDefinition.Item[] Items)
{
    internal sealed record Item(string ItemId, string NameJa, string Identifier, ItemType Type, int Length, Requirement Required);

    static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static SpecDefinition From(SpecEntity e) => new(e.Name, e.NameJa, e.Table, [.. e.Key],
        [.. e.Items.Select(i => new Item(i.ItemId, i.NameJa, i.Identifier, i.Type, i.Length, i.Required))]);

    public SpecEntity ToEntity() => new(Name, "", "", NameJa, Key, Table, SpecStatus.Provisional, "",
        Items.Select((i, n) => new SpecItem(n, i.ItemId, Name, i.NameJa, i.Identifier, i.Type, i.Length, i.Required, null, "", SpecStatus.Provisional)).ToList());

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SpecDefinition FromJson(string json) => JsonSerializer.Deserialize<SpecDefinition>(json, Json)
        ?? throw new InvalidOperationException("empty spec definition in " + TargetNames.SchemaTable);
}
