using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>The database provider a model and its scripts are built for.</summary>
public enum TargetProvider
{
    PostgreSql,
    Sqlite,
}

/// <summary>
/// The EF Core model of the target schema, built from spec metadata only (no hand-written DDL): one table per
/// entity (<see cref="SpecEntity.Table"/>), one column per item, primary key on the entity key, NOT NULL for
/// mandatory items, plus the run ledger and the schema state. DDL comes from EF Core's migrations differ and
/// SQL generator: a create script from nothing, an upgrade script between two spec versions.
/// </summary>
public static class StandardModel
{
    /// <summary>Builds the design-time model for these entities.</summary>
    public static IModel Build(TargetProvider provider, IReadOnlyList<SpecEntity> entities)
    {
        using var ctx = StandardDbContext.Create(provider, entities);
        return ctx.GetService<IDesignTimeModel>().Model;
    }

    /// <summary>The full create script (tables, keys, comments) for these entities, the ledger and the schema state.</summary>
    public static string GenerateCreateScript(TargetProvider provider, IReadOnlyList<SpecEntity> entities) =>
        ToScript(GenerateCommands(provider, null, entities));

    /// <summary>
    /// The upgrade script from one set of entity definitions to another: added tables, added items (ADD COLUMN),
    /// widened lengths (ALTER COLUMN TYPE). Removing an item or a table is refused, so data is never dropped.
    /// </summary>
    public static string GenerateUpgradeScript(TargetProvider provider, IReadOnlyList<SpecEntity> from, IReadOnlyList<SpecEntity> to) =>
        ToScript(GenerateCommands(provider, from, to));

    internal static IReadOnlyList<MigrationCommand> GenerateCommands(TargetProvider provider, IReadOnlyList<SpecEntity>? from, IReadOnlyList<SpecEntity> to)
    {
        using var target = StandardDbContext.Create(provider, to);
        var toModel = target.GetService<IDesignTimeModel>().Model;
        IModel? fromModel = null;
        if (from is not null)
        {
            using var source = StandardDbContext.Create(provider, from);
            fromModel = source.GetService<IDesignTimeModel>().Model;
        }
        var ops = target.GetService<IMigrationsModelDiffer>().GetDifferences(fromModel?.GetRelationalModel(), toModel.GetRelationalModel());
        var dropped = ops.Where(o => o is DropColumnOperation or DropTableOperation).ToList();
        if (dropped.Count > 0)
            throw new SchemaUpgradeException("the new spec would drop data, which is never done automatically: " + string.Join(", ", dropped.Select(Describe)));
        return target.GetService<IMigrationsSqlGenerator>().Generate(ops, toModel, MigrationsSqlGenerationOptions.Default);
    }

    static string Describe(MigrationOperation op) => op switch
    {
        DropColumnOperation c => $"column {c.Table}.{c.Name}",
        DropTableOperation t => $"table {t.Name}",
        _ => op.GetType().Name,
    };

    static string ToScript(IReadOnlyList<MigrationCommand> commands)
    {
        var sb = new StringBuilder();
        foreach (var c in commands) sb.Append(c.CommandText.TrimEnd()).Append('\n');
        return sb.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>The CLR type of an item's column in the EF model.</summary>
    internal static Type ColumnClrType(SpecEntity entity, SpecItem item)
    {
        var required = entity.IsNeverEmpty(item);
        return item.Type switch
        {
            ItemType.Int => required ? typeof(int) : typeof(int?),
            ItemType.Amount => required ? typeof(decimal) : typeof(decimal?),
            ItemType.Date => required ? typeof(DateOnly) : typeof(DateOnly?),
            ItemType.Flag => required ? typeof(bool) : typeof(bool?),
            // yearmonth: yyyy-MM text.
            _ => typeof(string),
        };
    }
}

/// <summary>The spec change cannot be applied without losing data (an item or table removed).</summary>
public sealed class SchemaUpgradeException(string message) : Exception(message);

/// <summary>A DbContext whose model is the spec: shared-type property-bag entities, one per spec entity.</summary>
internal sealed class StandardDbContext : DbContext
{
    readonly IReadOnlyList<SpecEntity> _entities;
    readonly TargetProvider _provider;

    StandardDbContext(DbContextOptions options, TargetProvider provider, IReadOnlyList<SpecEntity> entities, string signature) : base(options)
    {
        _provider = provider;
        _entities = entities;
        Signature = signature;
    }

    /// <summary>Identifies the entity definitions, so EF Core caches one model per distinct spec shape.</summary>
    public string Signature { get; }

    public static StandardDbContext Create(TargetProvider provider, IReadOnlyList<SpecEntity> entities, string? connectionString = null)
    {
        var ob = new DbContextOptionsBuilder();
        if (provider == TargetProvider.PostgreSql) ob.UseNpgsql(connectionString ?? "Host=localhost");
        else ob.UseSqlite(connectionString ?? "Data Source=:memory:");
        ob.ReplaceService<IModelCacheKeyFactory, SignatureCacheKeyFactory>();
        var signature = provider + "\n" + string.Join("\n", entities.Select(e => SpecDefinition.From(e).ToJson()));
        return new StandardDbContext(ob.Options, provider, entities, signature);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var entity in _entities) AddEntity(modelBuilder, entity, _provider);

        modelBuilder.SharedTypeEntity<Dictionary<string, object>>("OgakiRunLedger", b =>
        {
            b.ToTable(TargetNames.LedgerTable, t => t.HasComment("run ledger: one row per committed batch, written in the batch's transaction"));
            b.IndexerProperty<string>("RunId").HasColumnName("run_id").HasColumnOrder(0).HasMaxLength(100).IsRequired();
            b.IndexerProperty<string>("SpecVersion").HasColumnName("spec_version").HasColumnOrder(1).HasMaxLength(20).IsRequired();
            b.IndexerProperty<string>("Entity").HasColumnName("entity").HasColumnOrder(2).HasMaxLength(100).IsRequired();
            b.IndexerProperty<int>("BatchNo").HasColumnName("batch_no").HasColumnOrder(3);
            b.IndexerProperty<long>("FirstInput").HasColumnName("first_input").HasColumnOrder(4);
            b.IndexerProperty<long>("LastInput").HasColumnName("last_input").HasColumnOrder(5);
            b.IndexerProperty<long>("RowCount").HasColumnName("row_count").HasColumnOrder(6);
            b.IndexerProperty<string>("Checksum").HasColumnName("checksum").HasColumnOrder(7).HasMaxLength(64).IsRequired();
            b.IndexerProperty<DateTime>("CompletedAt").HasColumnName("completed_at").HasColumnOrder(8);
            b.HasKey("RunId", "Entity", "BatchNo");
        });
        modelBuilder.SharedTypeEntity<Dictionary<string, object>>("OgakiSchema", b =>
        {
            b.ToTable(TargetNames.SchemaTable, t => t.HasComment("spec definition each entity table was built from"));
            b.IndexerProperty<string>("TableName").HasColumnName("table_name").HasMaxLength(63).IsRequired();
            b.IndexerProperty<string>("Entity").HasColumnName("entity").HasMaxLength(100).IsRequired();
            b.IndexerProperty<string>("SpecVersion").HasColumnName("spec_version").HasMaxLength(20).IsRequired();
            b.IndexerProperty<string>("Definition").HasColumnName("definition").IsRequired();
            b.HasKey("TableName");
        });
    }

    static void AddEntity(ModelBuilder modelBuilder, SpecEntity entity, TargetProvider provider)
    {
        var columns = new HashSet<string>(StringComparer.Ordinal);
        var keys = TargetNames.KeyItems(entity).ToHashSet();
        modelBuilder.SharedTypeEntity<Dictionary<string, object>>(entity.Name, b =>
        {
            b.ToTable(entity.Table, t => t.HasComment($"{entity.NameJa} ({entity.Name})"));
            foreach (var item in entity.Items)
            {
                var column = TargetNames.Column(item);
                if (!columns.Add(column)) throw new ArgumentException($"entity {entity.Name}: two items map to column {column}", nameof(entity));
                var p = b.IndexerProperty(StandardModel.ColumnClrType(entity, item), item.Identifier)
                    .HasColumnName(column)
                    .IsRequired(entity.IsNeverEmpty(item))
                    .HasComment($"{item.ItemId} {item.NameJa}")
                    .HasColumnOrder(item.Ordinal); // spec order, not EF's key-first alphabetical order
                if (TargetNames.MaxLength(item) is { } max) p.HasMaxLength(max);
                if (item.Type == ItemType.Amount) p.HasPrecision(item.Length, 0);
                // Key text in byte order (C), the order the reconciliation reads back in: the primary key index then
                // serves ORDER BY … COLLATE "C" and a table loaded in key order streams out without a sort.
                if (provider == TargetProvider.PostgreSql && keys.Contains(item) && StandardModel.ColumnClrType(entity, item) == typeof(string)) p.UseCollation("C");
            }
            b.HasKey([.. TargetNames.KeyItems(entity).Select(i => i.Identifier)]);
        });
    }

    sealed class SignatureCacheKeyFactory : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) =>
            (context.GetType(), ((StandardDbContext)context).Signature, designTime);
    }
}
