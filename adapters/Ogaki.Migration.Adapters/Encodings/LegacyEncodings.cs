using System.Text;

namespace Ogaki.Migration.Adapters.Encodings;

/// <summary>
/// Registers the legacy encodings: IBM930 / IBM939 (our own stateful EBCDIC codecs; names <c>IBM930</c>,
/// <c>ibm-930</c>, <c>cp930</c>, <c>ibm930</c>, code page 930; likewise 939) and .NET's code pages (932 and others).
/// Call <see cref="Register"/> once at start-up; it is idempotent and thread-safe.
/// </summary>
public static class LegacyEncodings
{
    static int _registered;

    /// <summary>Our provider: IBM930 and IBM939 by name or code page.</summary>
    public static EncodingProvider Provider { get; } = new EbcdicProvider();

    /// <summary>Registers <see cref="Provider"/> and <see cref="CodePagesEncodingProvider"/>.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1) return;
        Encoding.RegisterProvider(Provider);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Canonical names accepted by <see cref="GetCodec(string)"/>.</summary>
    public static IReadOnlyList<string> SupportedNames { get; } = ["ibm930", "ibm939", "cp932", "utf-8"];

    /// <summary>
    /// The strict field codec for an encoding name: <c>ibm930</c>/<c>cp930</c>/<c>IBM930</c>, <c>ibm939</c>/…,
    /// <c>cp932</c>/<c>shift_jis</c>/<c>windows-31j</c>/<c>932</c>, <c>utf-8</c>/<c>utf8</c> (case-insensitive).
    /// </summary>
    public static TextCodec GetCodec(string name) =>
        TryGetCodec(name) ?? throw new ArgumentException($"Unsupported legacy encoding '{name}'. Supported: {string.Join(", ", SupportedNames)}.", nameof(name));

    public static TextCodec? TryGetCodec(string name) => Normalize(name) switch
    {
        "ibm930" => Ibm930Codec.Value,
        "ibm939" => Ibm939Codec.Value,
        "cp932" => Cp932Codec.Value,
        "utf-8" => Utf8Codec,
        _ => null,
    };

    /// <summary>The canonical encoding name, or null when unknown.</summary>
    public static string? Normalize(string name)
    {
        var n = name.Trim().ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal);
        return n switch
        {
            "ibm930" or "ibm-930" or "cp930" or "930" or "x-ibm930" or "ccsid930" => "ibm930",
            "ibm939" or "ibm-939" or "cp939" or "939" or "x-ibm939" or "ccsid939" => "ibm939",
            "cp932" or "932" or "windows-31j" or "shift-jis" or "sjis" or "ms932" or "windows-932" => "cp932",
            "utf-8" or "utf8" => "utf-8",
            _ => null,
        };
    }

    /// <summary>Strict CP932 (exception fallbacks, no best-fit); decodes the duplicate codes too (NEC-selected IBM extensions ED40–EEFC, 8790 ≒ …).</summary>
    public static Encoding Cp932
    {
        get
        {
            Register();
            return Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, new Cp932DuplicateCodeFallback(DecoderFallback.ExceptionFallback));
        }
    }

    static readonly Lazy<TextCodec> Ibm930Codec = new(() => new EbcdicTextCodec("ibm930", EbcdicMixedEncoding.Ibm930));
    static readonly Lazy<TextCodec> Ibm939Codec = new(() => new EbcdicTextCodec("ibm939", EbcdicMixedEncoding.Ibm939));
    static readonly Lazy<TextCodec> Cp932Codec = new(() => new Cp932TextCodec(Cp932));
    static readonly TextCodec Utf8Codec = new Utf8TextCodec();

    sealed class EbcdicProvider : EncodingProvider
    {
        public override Encoding? GetEncoding(int codepage) => codepage switch
        {
            930 => EbcdicMixedEncoding.Ibm930,
            939 => EbcdicMixedEncoding.Ibm939,
            _ => null,
        };

        public override Encoding? GetEncoding(string name) => Normalize(name) switch
        {
            "ibm930" => EbcdicMixedEncoding.Ibm930,
            "ibm939" => EbcdicMixedEncoding.Ibm939,
            _ => null,
        };

        public override IEnumerable<EncodingInfo> GetEncodings() => [];
    }
}
