namespace Ogaki.Migration.Mappers.Engine;

/// <summary>What cross-area linking knows about a person of the resident source (whatever the record's outcome).</summary>
/// <param name="SetaiNo">世帯番号 (null for 住登外).</param>
/// <param name="JuminJotai">Standard 住民状態 (null when excluded as 住登外).</param>
/// <param name="IsHead">True when 続柄コード1 is 世帯主 (02).</param>
/// <param name="Excluded">True for a recorded 住登外 person (excluded register).</param>
/// <param name="Rejected">True when the person's own record was rejected (links through it are not judged again).</param>
public readonly record struct PersonLink(string? SetaiNo, string? JuminJotai, bool IsHead, bool Excluded, bool Rejected = false);

/// <summary>
/// Cross-area keys collected in source order by the pipeline's ordered stage and read by the mapping
/// workers of later phases (households before residents, residents before tax and allowance, recipients
/// before children). A map is only written in the phase before the one that reads it. The maps are
/// <see cref="SpilledKeyMap"/>s (the newest keys in a fixed table in memory, the rest on disk at about 1.5 bytes a key in memory), so the index does not
/// grow the run's memory with the estate; the first entry of a key stays. The files hold personal data: they go
/// to the caller's temporary folder and are deleted on dispose.
/// </summary>
public sealed class LinkIndex(string? tempDirectory = null) : IDisposable
{
    // The maps are looked up by every record of a later source (a resident's household, a taxpayer, a child and the
    // recipient): blocks read stay in memory within one budget for the three, so a block costs one disk read, not one a
    // lookup. 16 MiB holds every block of an estate of about 200,000 residents; a larger one reads the rest from disk.
    readonly SpilledKeyMap.CacheBudget _cache = new(16 << 20);

    // Made on first use, so an index nobody writes takes no memory.
    SpilledKeyMap? _households;
    SpilledKeyMap? _persons;
    SpilledKeyMap? _recipients;
    readonly SpillBytes _value = new();

    /// <summary>Adds 世帯番号 → 世帯主氏名, from the household source; false when the 世帯番号 was there already.</summary>
    public bool AddHousehold(string setaiNo, string? headName) =>
        (_households ??= new SpilledKeyMap(tempDirectory, cache: _cache)).TryAdd(setaiNo, Value(null, headName, null));

    /// <summary>The 世帯主氏名 of 世帯番号 <paramref name="setaiNo"/>.</summary>
    public bool TryGetHousehold(string setaiNo, out string? headName)
    {
        headName = null;
        if (_households is null || !_households.TryGetValue(setaiNo, out var value)) return false;
        ReadOnlySpan<byte> rest = value;
        headName = SpillBytes.ReadText(ref rest);
        return true;
    }

    /// <summary>Adds 宛名番号 → person, from the resident source (residents, 除票 and 住登外); false when the 宛名番号 was there already.</summary>
    public bool AddPerson(string atenaNo, PersonLink person) =>
        (_persons ??= new SpilledKeyMap(tempDirectory, cache: _cache)).TryAdd(atenaNo,
            Value((byte)((person.IsHead ? 1 : 0) | (person.Excluded ? 2 : 0) | (person.Rejected ? 4 : 0)), person.SetaiNo, person.JuminJotai));

    public bool ContainsPerson(string atenaNo) => _persons is not null && _persons.ContainsKey(atenaNo);

    public bool TryGetPerson(string atenaNo, out PersonLink person)
    {
        person = default;
        if (_persons is null || !_persons.TryGetValue(atenaNo, out var value)) return false;
        person = ReadPerson(value);
        return true;
    }

    /// <summary>Adds 受給者番号 → 受給者宛名番号, from the allowance recipients; false when the 受給者番号 was there already.</summary>
    public bool AddRecipient(string jukyushaNo, string atenaNo) =>
        (_recipients ??= new SpilledKeyMap(tempDirectory, cache: _cache)).TryAdd(jukyushaNo, Value(null, atenaNo, null));

    public bool ContainsRecipient(string jukyushaNo) => _recipients is not null && _recipients.ContainsKey(jukyushaNo);

    /// <summary>Resolves a named lookup (<c>lookup:&lt;name&gt;</c> in a field map).</summary>
    public bool TryLookup(string name, string key, out string? value)
    {
        value = null;
        switch (name)
        {
            case "household-head-name":
                return TryGetHousehold(key, out value);
            case "recipient-atena":
                if (_recipients is null || !_recipients.TryGetValue(key, out var bytes)) return false;
                ReadOnlySpan<byte> rest = bytes;
                value = SpillBytes.ReadText(ref rest);
                return true;
            default:
                return false;
        }
    }

    public static IReadOnlyList<string> LookupNames { get; } = ["household-head-name", "recipient-atena"];

    public void Dispose()
    {
        _households?.Dispose();
        _persons?.Dispose();
        _recipients?.Dispose();
    }

    /// <summary>A value of an optional flags byte and up to two texts (<see cref="SpillBytes.Text"/>).</summary>
    ReadOnlySpan<byte> Value(byte? flags, string? first, string? second)
    {
        _value.Clear();
        if (flags is { } f) _value.Byte(f);
        _value.Text(first);
        if (flags is not null) _value.Text(second);
        return _value.Span;
    }

    static PersonLink ReadPerson(ReadOnlySpan<byte> value)
    {
        var flags = SpillBytes.ReadByte(ref value);
        var setaiNo = SpillBytes.ReadText(ref value);
        var juminJotai = SpillBytes.ReadText(ref value);
        return new PersonLink(setaiNo, juminJotai, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0);
    }
}
