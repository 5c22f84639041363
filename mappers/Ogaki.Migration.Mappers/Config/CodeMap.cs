using System.Collections.Frozen;
using Ogaki.Migration.Spec;

namespace Ogaki.Migration.Mappers.Config;

/// <summary>What a legacy code maps to: standard codes (one, or a chain such as 続柄 子の妻 = 21;12), or exclusion.</summary>
/// <param name="Codes">Standard codes in order (empty when excluded).</param>
/// <param name="Exclude">True when a record with this code leaves the entity for the excluded register (住登外).</param>
/// <param name="Reason">Why it is excluded (from the notes column), for the excluded register.</param>
/// <param name="LegacyName">The vendor's name of the code (for reports and 表記 items).</param>
public sealed record CodeTarget(string[] Codes, bool Exclude, string Reason, string LegacyName)
{
    public string First => Codes.Length > 0 ? Codes[0] : "";
}

/// <summary>
/// Legacy code → standard code table for one code table and one legacy system, from
/// <c>codes/&lt;CT-ID&gt;.&lt;system&gt;.csv</c> with columns <c>legacy_code,standard_code,action,legacy_name,notes</c>.
/// <c>standard_code</c> may be a chain of up to 4 codes separated by <c>;</c> (CT-ZOKUGARA) or a combination
/// (CT-CHOSHU-KBN); <c>action</c> is empty, <c>none</c> (a known legacy code meaning "no value") or <c>exclude</c>. The legacy code <c>(blank)</c> stands for an
/// all-space field.
/// </summary>
public sealed class CodeMap
{
    public const string BlankKey = "(blank)";

    // Frozen: read by every worker for every coded field; built once per run.
    readonly FrozenDictionary<string, CodeTarget> _map;
    // Most legacy codes are one ASCII character (N/G, 1/2, M/F): looked up by the character, without hashing.
    readonly CodeTarget?[] _byAscii = new CodeTarget?[128];

    public CodeMap(string tableId, string system, string file, Dictionary<string, CodeTarget> map)
    {
        TableId = tableId;
        System = system;
        File = file;
        _map = map.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var (code, target) in map)
            if (code is [< '\u0080' and var c]) _byAscii[c] = target;
    }

    public string TableId { get; }

    public string System { get; }

    /// <summary>Config-relative file name.</summary>
    public string File { get; }

    public IEnumerable<KeyValuePair<string, CodeTarget>> Entries => _map.OrderBy(e => e.Key, StringComparer.Ordinal);

    /// <summary>Looks up a trimmed legacy code (null/empty = the blank key).</summary>
    public bool TryMap(string? legacyCode, out CodeTarget target)
    {
        if (legacyCode is [< '\u0080' and var c])
        {
            target = _byAscii[c]!;
            return target is not null;
        }
        return _map.TryGetValue(string.IsNullOrEmpty(legacyCode) ? BlankKey : legacyCode, out target!);
    }

    public bool HasBlank => _map.ContainsKey(BlankKey);

    public static CodeMap Load(string path, string relative, CodeTable? table)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dot = name.LastIndexOf('.');
        if (dot <= 0) throw new MappingConfigException($"{relative}: code map file name must be <CT-ID>.<system>.csv");
        var tableId = name[..dot];
        var system = name[(dot + 1)..];
        var csv = CsvTable.Load(path);
        foreach (var col in new[] { "legacy_code", "standard_code" })
            if (!csv.HasColumn(col)) throw new MappingConfigException($"{relative}: missing column {col}");
        var map = new Dictionary<string, CodeTarget>(StringComparer.Ordinal);
        foreach (var (line, row) in csv.Rows)
        {
            var legacy = csv.Get(row, "legacy_code");
            var std = csv.Get(row, "standard_code").Trim();
            var action = csv.Get(row, "action").Trim();
            var notes = csv.Get(row, "notes");
            if (legacy.Length == 0) throw new MappingConfigException($"{relative} line {line}: empty legacy_code (write {BlankKey} for an all-space field)");
            CodeTarget target;
            if (string.Equals(action, "none", StringComparison.Ordinal))
            {
                target = new CodeTarget([], false, notes, csv.Get(row, "legacy_name"));
            }
            else if (string.Equals(action, "exclude", StringComparison.Ordinal))
            {
                target = new CodeTarget([], true, notes.Length > 0 ? notes : "excluded", csv.Get(row, "legacy_name"));
            }
            else
            {
                if (action.Length > 0) throw new MappingConfigException($"{relative} line {line}: unknown action '{action}'");
                var codes = std.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (codes.Length is 0 or > 4) throw new MappingConfigException($"{relative} line {line}: standard_code must hold 1–4 codes");
                if (table is not null)
                    foreach (var c in codes)
                        if (!table.Contains(c)) throw new MappingConfigException($"{relative} line {line}: {c} is not a code of {tableId}");
                target = new CodeTarget(codes, false, "", csv.Get(row, "legacy_name"));
            }
            if (!map.TryAdd(legacy, target)) throw new MappingConfigException($"{relative} line {line}: legacy code {legacy} appears twice");
        }
        return new CodeMap(tableId, system, relative, map);
    }
}
