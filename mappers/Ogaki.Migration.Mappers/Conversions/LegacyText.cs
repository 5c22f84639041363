using System.Runtime.CompilerServices;

namespace Ogaki.Migration.Mappers.Conversions;

/// <summary>Padding rules of legacy text fields.</summary>
public static class LegacyText
{
    /// <summary>
    /// Removes fixed-length padding at both ends: half-width space, full-width space (U+3000), NUL and tab.
    /// Inner spaces (between family and given name) are kept. Returns null for an all-padding field.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static string? Trim(string? value) =>
        // Inline fast path: most fields come trimmed (the fixed-length reader drops trailing padding).
        value is null || value.Length == 0 ? null
        : !IsPadding(value[0]) && !IsPadding(value[^1]) ? value
        : TrimSlow(value);

    static string? TrimSlow(string? value)
    {
        if (value is null) return null;
        var start = 0;
        var end = value.Length;
        while (start < end && IsPadding(value[start])) start++;
        while (end > start && IsPadding(value[end - 1])) end--;
        if (start == end) return null;
        return start == 0 && end == value.Length ? value : value[start..end];
    }

    static bool IsPadding(char c) => c is ' ' or '\u3000' or '\0' or '\t';
}
