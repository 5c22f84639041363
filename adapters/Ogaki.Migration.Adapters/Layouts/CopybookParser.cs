// CopybookParser: the entry points. The steps are partial files: Lexer, Tree, Clauses, Picture, Storage, RecordTypes.

namespace Ogaki.Migration.Adapters.Layouts;

/// <summary>
/// Parses a COBOL copybook (fixed reference format) into a <see cref="FileLayout"/>.
/// <list type="bullet">
/// <item>Columns 1–6 sequence numbers (ignored), column 7 indicator (<c>*</c> or <c>/</c> comment, <c>D</c> debug line,
/// <c>-</c> continuation), code in columns 8–72, 73–80 ignored. <c>*&gt;</c> starts an inline comment.</item>
/// <item>Levels 01–49, 66 (RENAMES, tolerated and ignored), 77 (tolerated and ignored), 88 (condition values, kept).</item>
/// <item>PIC X / A / 9 / S9 / V / N / G with repetition <c>X(10)</c>; numeric-edited pictures read as text;
/// USAGE DISPLAY, COMP-3 / PACKED-DECIMAL, COMP / COMP-4 / COMP-5 / BINARY, NATIONAL, DISPLAY-1 (also on groups);
/// SIGN LEADING/TRAILING [SEPARATE]; OCCURS n TIMES on elementary items and groups; REDEFINES; VALUE; FILLER
/// (occupies its bytes, not part of the output); OCCURS [min TO] max DEPENDING ON with IBM semantics (see
/// <see cref="VariableTable"/>). Not supported (clear error): PIC P, COMP-1/COMP-2, a DEPENDING ON table inside another table.</item>
/// <item>Record types: several 01 records, or REDEFINES branches, selected by a record-type field — see
/// <see cref="LayoutDirectives"/> (<c>*@SELECTOR</c>, <c>*@RECORD</c>) and Layouts/README.md.</item>
/// </list>
/// </summary>
public static partial class CopybookParser
{
    public static FileLayout ParseFile(string path) =>
        Parse(File.ReadAllText(path), Path.GetFileName(path), Path.GetFileNameWithoutExtension(path));

    /// <summary>Parses copybook text. <paramref name="source"/> names it in errors.</summary>
    public static FileLayout Parse(string text, string source = "copybook", string? name = null)
    {
        var directives = new LayoutDirectives();
        var tokens = Lex(text, source, directives);
        var roots = BuildTree(tokens, source, name ?? source);
        foreach (var r in roots) Measure(r, 0, source);
        return Assemble(roots, directives, source, name ?? source);
    }
}
