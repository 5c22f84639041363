using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;
using Ogaki.Migration.Spec.Parsing;

namespace Ogaki.Migration.Spec.Generator;

/// <summary>Pure functions from the spec model to C# text. Invariant culture throughout.</summary>
internal static class SpecEmitter
{
    const string Ns = "Ogaki.Migration.Standard";
    const string Rt = "global::Ogaki.Migration.Spec";

    public static string EmitEntity(SpecModel model, EntityModel entity)
    {
        var e = entity.Row;
        var w = new StringBuilder();
        Header(w);
        w.Append("namespace ").Append(Ns).Append(";\n\n");
        w.Append("/// <summary>").Append(Xml(e.NameJa)).Append(" — ").Append(Xml(e.AreaNameJa)).Append(" (").Append(e.Area).Append("), spec ").Append(model.Version).Append(".</summary>\n");
        w.Append("/// <remarks>Key: ").Append(Xml(e.Key)).Append(". Status: ").Append(e.Status).Append('.');
        if (e.Notes.Length > 0) w.Append(' ').Append(Xml(e.Notes));
        w.Append("</remarks>\n");
        w.Append("[global::System.CodeDom.Compiler.GeneratedCode(\"Ogaki.Migration.Spec.Generator\", \"1.0\")]\n");
        w.Append("public sealed partial record ").Append(e.Name).Append(" : ").Append(Rt).Append(".IStandardRecord\n{\n");
        foreach (var i in entity.Items)
        {
            w.Append("    /// <summary>").Append(Xml(i.NameJa)).Append(" (").Append(i.ItemId).Append(")</summary>\n");
            w.Append("    /// <remarks>");
            if (i.Official is { } o)
                w.Append("データ型 ").Append(Xml(o.DataType)).Append('(').Append(o.Digits).Append("), ").Append(Xml(o.OutputCondition)).Append(", field ").Append(o.FieldName).Append("; ");
            w.Append(i.Type).Append(", length ").Append(i.Length.ToString(CultureInfo.InvariantCulture)).Append(", required ").Append(i.Required);
            if (i.CodeTable.Length > 0) w.Append(", code table ").Append(i.CodeTable);
            w.Append(". Status: ").Append(i.Status).Append('.');
            if (i.Notes.Length > 0) w.Append(' ').Append(Xml(i.Notes));
            w.Append("</remarks>\n");
            w.Append("    public ").Append(ClrType(i.Type)).Append("? ").Append(i.Identifier).Append(" { get; init; }\n\n");
        }
        w.Append("    /// <summary>The spec metadata of this entity.</summary>\n");
        w.Append("    public static ").Append(Rt).Append(".SpecEntity Spec => ").Append(e.Name).Append("Spec.Entity;\n\n");
        w.Append("    ").Append(Rt).Append(".SpecEntity ").Append(Rt).Append(".IStandardRecord.Entity => ").Append(e.Name).Append("Spec.Entity;\n\n");

        w.Append("    /// <summary>The value of the item at <paramref name=\"ordinal\"/> (its position in the spec).</summary>\n");
        w.Append("    public object? GetValue(int ordinal) => ordinal switch\n    {\n");
        var n = 0;
        foreach (var i in entity.Items)
            w.Append("        ").Append(n++.ToString(CultureInfo.InvariantCulture)).Append(" => ")
             .Append(i.Type == "flag" ? Rt + ".BoxedFlag.Of(" + i.Identifier + ")" : i.Identifier).Append(",\n");
        w.Append("        _ => throw new global::System.ArgumentOutOfRangeException(nameof(ordinal)),\n    };\n\n");

        w.Append("    /// <summary>Hands every item's value, typed, to <paramref name=\"writer\"/> in spec order (no boxing).</summary>\n");
        w.Append("    public void WriteValues<TWriter>(ref TWriter writer) where TWriter : struct, ").Append(Rt).Append(".IStandardValueWriter\n    {\n");
        n = 0;
        foreach (var i in entity.Items)
            w.Append("        writer.").Append(WriterMember(i.Type)).Append('(').Append(n++.ToString(CultureInfo.InvariantCulture)).Append(", ").Append(i.Identifier).Append(");\n");
        w.Append("    }\n\n");

        w.Append("    /// <summary>Builds a record from values in spec order (as <see cref=\"GetValue\"/> gives them).</summary>\n");
        w.Append("    public static ").Append(e.Name).Append(" FromValues(global::System.Collections.Generic.IReadOnlyList<object?> values) => new()\n    {\n");
        n = 0;
        foreach (var i in entity.Items)
            w.Append("        ").Append(i.Identifier).Append(" = (").Append(ClrType(i.Type)).Append("?)values[").Append(n++.ToString(CultureInfo.InvariantCulture)).Append("],\n");
        w.Append("    };\n\n");

        w.Append("    /// <summary>Checks every item against the spec: required, length, type and code domain.</summary>\n");
        w.Append("    public void Validate(global::System.Collections.Generic.ICollection<").Append(Rt).Append(".SpecViolation> violations)\n    {\n");
        w.Append("        var items = ").Append(e.Name).Append("Spec.Entity.Items;\n");
        n = 0;
        foreach (var i in entity.Items)
            EmitItemValidation(w, model, entity, i, n++);
        w.Append("    }\n}\n\n");

        // Metadata table.
        w.Append("/// <summary>Metadata of <see cref=\"").Append(e.Name).Append("\"/>: ").Append(Xml(e.NameJa)).Append(", spec ").Append(model.Version).Append(".</summary>\n");
        w.Append("[global::System.CodeDom.Compiler.GeneratedCode(\"Ogaki.Migration.Spec.Generator\", \"1.0\")]\n");
        w.Append("public static class ").Append(e.Name).Append("Spec\n{\n");
        w.Append("    /// <summary>Ordinal of each item, for <see cref=\"").Append(e.Name).Append(".GetValue\"/>.</summary>\n");
        w.Append("    public static class Ordinals\n    {\n");
        n = 0;
        foreach (var i in entity.Items)
            w.Append("        /// <summary>").Append(Xml(i.NameJa)).Append(" (").Append(i.ItemId).Append(")</summary>\n        public const int ").Append(i.Identifier).Append(" = ").Append(n++.ToString(CultureInfo.InvariantCulture)).Append(";\n");
        w.Append("    }\n\n");
        w.Append("    public static ").Append(Rt).Append(".SpecEntity Entity { get; } = new(\n");
        w.Append("        name: ").Append(Lit(e.Name)).Append(", area: ").Append(Lit(e.Area)).Append(", areaNameJa: ").Append(Lit(e.AreaNameJa)).Append(", nameJa: ").Append(Lit(e.NameJa)).Append(",\n");
        w.Append("        key: [").Append(string.Join(", ", e.Key.Split('+').Select(Lit))).Append("], table: ").Append(Lit(e.Table)).Append(", status: ").Append(Status(e.Status)).Append(", notes: ").Append(Lit(e.Notes)).Append(",\n");
        w.Append("        items:\n        [\n");
        n = 0;
        foreach (var i in entity.Items)
        {
            w.Append("            new(").Append(n++.ToString(CultureInfo.InvariantCulture)).Append(", ").Append(Lit(i.ItemId)).Append(", ").Append(Lit(e.Name)).Append(", ").Append(Lit(i.NameJa)).Append(", ")
             .Append(Lit(i.Identifier)).Append(", ").Append(Rt).Append(".ItemType.").Append(TypeMember(i.Type)).Append(", ").Append(i.Length.ToString(CultureInfo.InvariantCulture)).Append(", ")
             .Append(Rt).Append(".Requirement.").Append(RequiredMember(i.Required)).Append(", ").Append(i.CodeTable.Length == 0 ? "null" : Lit(i.CodeTable)).Append(", ")
             .Append(Lit(i.Notes)).Append(", ").Append(Status(i.Status));
            if (i.Official is { } o)
                w.Append(", new ").Append(Rt).Append(".OfficialItem(").Append(Lit(o.DataType)).Append(", ").Append(Lit(o.Digits)).Append(", ").Append(Lit(o.FieldName)).Append(", ").Append(Lit(o.Group)).Append(", ")
                 .Append(Bool(o.PrimaryKey)).Append(", ").Append(Bool(o.ForeignKey)).Append(", ").Append(Lit(o.Code)).Append(", ").Append(Lit(o.Repeat)).Append(", ").Append(Lit(o.OutputCondition)).Append(", ")
                 .Append(Lit(o.Condition)).Append(", ").Append(Lit(o.SpecReference)).Append(", ").Append(Bool(o.Implementation)).Append(')');
            w.Append("),\n");
        }
        w.Append("        ]);\n}\n");
        return w.ToString();
    }

    static void EmitItemValidation(StringBuilder w, SpecModel model, EntityModel entity, ItemRow i, int ordinal)
    {
        // A DATE item with a 不詳 pair is given when its 〇〇_不詳フラグ says 不詳; the 〇〇_不詳表記 is required then.
        var unknownFlag = SpecFileParser.UnknownDatePair(entity.Items, i)?.Flag;
        ItemRow? textOf = null; // for a 〇〇_不詳表記: the 〇〇_不詳フラグ beside it
        if (SpecFileParser.UnknownDateName(i.NameJa, SpecFileParser.UnknownTextSuffix) is { } dateName)
            foreach (var d in entity.Items)
                if (d.NameJa == dateName && SpecFileParser.UnknownDatePair(entity.Items, d) is { } pair)
                    textOf = pair.Flag;
        var item = "items[" + ordinal.ToString(CultureInfo.InvariantCulture) + "]";
        var len = i.Length.ToString(CultureInfo.InvariantCulture);
        var v = i.Identifier;
        var required = i.Required == "M";
        void Missing()
        {
            if (required)
                w.Append("        else violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Required, \"required item is empty\"));\n");
        }
        switch (i.Type)
        {
            case "text":
            case "kana":
            case "digits":
            case "code":
                w.Append("        if (!string.IsNullOrEmpty(").Append(v).Append("))\n        {\n");
                // Text elements never outnumber UTF-16 units, so they are counted only when the units exceed the limit.
                w.Append("            if (").Append(v).Append(".Length > ").Append(len).Append(" && ").Append(Rt).Append(".SpecText.Length(").Append(v).Append(") is var length && length > ").Append(len).Append(") violations.Add(new(").Append(item).Append(", ").Append(Rt)
                 .Append(".ViolationKind.Length, \"length \" + length.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" exceeds ").Append(len).Append("\"));\n");
                if (i.Type == "digits")
                    w.Append("            if (!").Append(Rt).Append(".SpecText.IsDigits(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Type, \"not half-width digits\"));\n");
                if (i.Official?.DataType == "X")
                    w.Append("            if (!").Append(Rt).Append(".SpecText.IsHalfWidth(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Type, \"not half-width (データ型 X)\"));\n");
                if (i.Official?.DataType == "Ｎ")
                    w.Append("            if (!").Append(Rt).Append(".SpecText.IsFullWidth(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Type, \"not full-width (データ型 Ｎ)\"));\n");
                if (i.Type == "kana")
                    w.Append("            if (!").Append(Rt).Append(".SpecText.IsKana(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Type, \"not full-width katakana\"));\n");
                if (i.Type == "code")
                {
                    var table = model.CodeTables.First(t => t.TableId == i.CodeTable);
                    w.Append("            if (!global::").Append(Ns).Append(".Codes.").Append(table.Identifier).Append(".Contains(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt)
                     .Append(".ViolationKind.CodeDomain, \"code is not in ").Append(i.CodeTable).Append("\"));\n");
                }
                w.Append("        }\n");
                Missing();
                if (textOf is not null)
                    w.Append("        if (").Append(textOf.Identifier).Append(" == true && string.IsNullOrEmpty(").Append(v).Append(")) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Required, \"不詳表記 is required when 不詳フラグ is 1\"));\n");
                break;
            case "int":
                w.Append("        if (").Append(v).Append(" is { } ").Append("n").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(")\n        {\n");
                w.Append("            if (").Append(Rt).Append(".SpecText.DigitCount(n").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(") > ").Append(len).Append(") violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Length, \"more than ").Append(len).Append(" digits\"));\n");
                w.Append("        }\n");
                Missing();
                break;
            case "amount":
                w.Append("        if (").Append(v).Append(" is { } a").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(")\n        {\n");
                w.Append("            if (").Append(Rt).Append(".SpecText.DigitCount(a").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(") > ").Append(len).Append(") violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Length, \"more than ").Append(len).Append(" digits\"));\n");
                w.Append("            if (decimal.Truncate(a").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(") != a").Append(ordinal.ToString(CultureInfo.InvariantCulture)).Append(") violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Type, \"amount is not whole yen\"));\n");
                w.Append("        }\n");
                Missing();
                break;
            default: // date, yearmonth, flag: the CLR type already guarantees the form.
                if (required && unknownFlag is not null)
                    w.Append("        if (").Append(v).Append(" is null && ").Append(unknownFlag.Identifier).Append(" != true) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Required, \"required item is empty and not 不詳\"));\n");
                else if (required)
                    w.Append("        if (").Append(v).Append(" is null) violations.Add(new(").Append(item).Append(", ").Append(Rt).Append(".ViolationKind.Required, \"required item is empty\"));\n");
                break;
        }
    }

    public static string EmitCodeTable(SpecModel model, CodeTableDef t)
    {
        var w = new StringBuilder();
        Header(w);
        w.Append("namespace ").Append(Ns).Append(".Codes;\n\n");
        w.Append("/// <summary>").Append(Xml(t.NameJa)).Append(" (").Append(t.TableId).Append("), spec ").Append(model.Version).Append(".</summary>\n");
        w.Append("/// <remarks>Status: ").Append(t.Status).Append('.');
        if (t.Status == "provisional") w.Append(" <b>Provisional: these code values are the project's own, not official.</b>");
        if (t.Notes.Length > 0) w.Append(' ').Append(Xml(t.Notes));
        w.Append("</remarks>\n");
        w.Append("[global::System.CodeDom.Compiler.GeneratedCode(\"Ogaki.Migration.Spec.Generator\", \"1.0\")]\n");
        w.Append("public static class ").Append(t.Identifier).Append("\n{\n");
        w.Append("    public const string TableId = ").Append(Lit(t.TableId)).Append(";\n\n");
        w.Append("    /// <summary>True when the values are the project's own guess, not the official table.</summary>\n");
        w.Append("    public const bool IsProvisional = ").Append(t.Status == "provisional" ? "true" : "false").Append(";\n\n");
        foreach (var v in t.Values.Where(v => v.Identifier.Length > 0))
            w.Append("    /// <summary>").Append(Xml(v.NameJa)).Append("</summary>\n    public const string ").Append(v.Identifier).Append(" = ").Append(Lit(v.Code)).Append(";\n\n");
        w.Append("    /// <summary>True when <paramref name=\"code\"/> is a value of this table.</summary>\n");
        w.Append("    public static bool Contains(string? code) => code switch\n    {\n");
        if (t.Values.Count > 0)
            w.Append("        ").Append(string.Join(" or ", t.Values.Select(v => Lit(v.Code)))).Append(" => true,\n");
        w.Append("        _ => false,\n    };\n\n");
        w.Append("    /// <summary>The Japanese name of <paramref name=\"code\"/>, or null.</summary>\n");
        w.Append("    public static string? NameOf(string? code) => code switch\n    {\n");
        foreach (var v in t.Values)
            w.Append("        ").Append(Lit(v.Code)).Append(" => ").Append(Lit(v.NameJa)).Append(",\n");
        w.Append("        _ => null,\n    };\n\n");
        w.Append("    public static ").Append(Rt).Append(".CodeTable Table { get; } = new(\n");
        w.Append("        ").Append(Lit(t.TableId)).Append(", ").Append(Lit(t.Identifier)).Append(", ").Append(Lit(t.NameJa)).Append(", ").Append(Status(t.Status)).Append(", ").Append(Lit(t.Notes)).Append(",\n        [\n");
        foreach (var v in t.Values)
            w.Append("            new(").Append(Lit(v.Code)).Append(", ").Append(Lit(v.NameJa)).Append(", ").Append(Lit(v.Identifier)).Append(", ").Append(Status(v.Status)).Append(", ").Append(Lit(v.Notes)).Append("),\n");
        w.Append("        ]);\n}\n");
        return w.ToString();
    }

    public static string EmitCatalog(SpecModel model)
    {
        var w = new StringBuilder();
        Header(w);
        w.Append("namespace ").Append(Ns).Append(";\n\n");
        w.Append("/// <summary>The standard spec compiled into this assembly: version ").Append(model.Version).Append(".</summary>\n");
        w.Append("[global::System.CodeDom.Compiler.GeneratedCode(\"Ogaki.Migration.Spec.Generator\", \"1.0\")]\n");
        w.Append("public static class StandardSpec\n{\n");
        w.Append("    public const string Version = ").Append(Lit(model.Version)).Append(";\n\n");
        w.Append("    public static global::System.Collections.Generic.IReadOnlyList<").Append(Rt).Append(".SpecEntity> Entities { get; } =\n    [\n");
        foreach (var e in model.Entities)
            w.Append("        ").Append(e.Row.Name).Append("Spec.Entity,\n");
        w.Append("    ];\n\n");
        w.Append("    public static global::System.Collections.Generic.IReadOnlyList<").Append(Rt).Append(".CodeTable> CodeTables { get; } =\n    [\n");
        foreach (var t in model.CodeTables)
            w.Append("        global::").Append(Ns).Append(".Codes.").Append(t.Identifier).Append(".Table,\n");
        w.Append("    ];\n\n");
        w.Append("    /// <summary>The compiled spec as a catalog, comparable with one loaded at run time.</summary>\n");
        w.Append("    public static ").Append(Rt).Append(".SpecCatalog Catalog { get; } = new(Version, Entities, CodeTables);\n}\n");
        return w.ToString();
    }

    static void Header(StringBuilder w) => w.Append("// <auto-generated/>\n// Generated by Ogaki.Migration.Spec.Generator from the spec CSVs. Do not edit; change the spec files.\n#nullable enable\n\n");

    static string Bool(bool b) => b ? "true" : "false";

    static string ClrType(string type) => type switch
    {
        "int" => "int",
        "amount" or "decimal" => "decimal",
        "time" => "global::System.TimeOnly",
        "blob" => "byte[]",
        "date" => "global::System.DateOnly",
        "yearmonth" => Rt + ".YearMonth",
        "flag" => "bool",
        _ => "string",
    };

    // The IStandardValueWriter method of each item type (by its CLR type, as ClrType above).
    static string WriterMember(string type) => type switch
    {
        "int" => "Int",
        "amount" or "decimal" => "Decimal",
        "time" => "Time",
        "blob" => "Blob",
        "date" => "Date",
        "yearmonth" => "YearMonth",
        "flag" => "Flag",
        _ => "Text",
    };

    static string TypeMember(string type) => type switch
    {
        "text" => "Text",
        "kana" => "Kana",
        "digits" => "Digits",
        "int" => "Int",
        "amount" => "Amount",
        "date" => "Date",
        "yearmonth" => "YearMonth",
        "flag" => "Flag",
        "decimal" => "Decimal",
        "time" => "Time",
        "blob" => "Blob",
        _ => "Code",
    };

    static string RequiredMember(string r) => r switch { "M" => "Mandatory", "C" => "Conditional", _ => "Optional" };

    static string Status(string s) => Rt + ".SpecStatus." + s switch { "confirmed" => "Confirmed", "secondary" => "Secondary", _ => "Provisional" };

    static string Lit(string s) => SymbolDisplay.FormatLiteral(s, quote: true);

    static string Xml(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
