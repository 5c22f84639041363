using System.Text;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Targets;

/// <summary>Naming conventions of the target schema: tables from the spec, columns in snake_case of the item identifier.</summary>
public static class TargetNames
{
    /// <summary>The run ledger: one row per committed batch.</summary>
    public const string LedgerTable = "ogaki_run_ledger";

    /// <summary>The schema state: one row per entity table with the spec definition it was built from.</summary>
    public const string SchemaTable = "ogaki_schema";

    /// <summary>Column name of an item: snake_case of its identifier (<c>ShimeiKana</c> → <c>shimei_kana</c>, <c>ZokugaraCd1</c> → <c>zokugara_cd1</c>).</summary>
    public static string Column(SpecItem item) => SnakeCase(item.Identifier);

    public static string SnakeCase(string identifier)
    {
        var sb = new StringBuilder(identifier.Length + 8);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0 && (char.IsAsciiLetterLower(identifier[i - 1]) || char.IsAsciiDigit(identifier[i - 1]))) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Maximum length of the column in code points. digits/code are ASCII: the spec length.
    /// text/kana: twice the spec length, because the spec counts text elements and an MJ character is at most
    /// a base plus a variation selector (two code points); the exact text-element check is the record's Validate.
    /// </summary>
    public static int? MaxLength(SpecItem item) => item.Type switch
    {
        ItemType.Text or ItemType.Kana => item.Length * 2,
        ItemType.Digits or ItemType.Code => item.Length,
        ItemType.YearMonth => 7,
        _ => null,
    };

    /// <summary>Items of the key, in key order.</summary>
    public static IReadOnlyList<SpecItem> KeyItems(SpecEntity entity) =>
        entity.Key.Select(k => entity.Find(k) ?? throw new ArgumentException($"entity {entity.Name}: key item {k} is not an item of the entity", nameof(entity))).ToList();

    /// <summary>Name of an entity table's primary key constraint (EF Core's convention, the name the schema is created with).</summary>
    public static string PrimaryKey(SpecEntity entity) => "PK_" + entity.Table;

    /// <summary>The key columns quoted for PostgreSQL, in key order (a PRIMARY KEY's column list).</summary>
    public static string PostgresKeyColumns(SpecEntity entity) => string.Join(", ", KeyItems(entity).Select(k => "\"" + Column(k) + "\""));

    /// <summary>
    /// PostgreSQL's <c>ORDER BY</c> list for the key order the reconciliation reads in: text columns in the C
    /// collation (UTF-8 byte order, the collation the key columns are created with, so the primary key serves it).
    /// </summary>
    public static string PostgresKeyOrder(SpecEntity entity) =>
        string.Join(", ", KeyItems(entity).Select(k => "\"" + Column(k) + "\"" + (StandardModel.ColumnClrType(entity, k) == typeof(string) ? " COLLATE \"C\"" : "")));
}
