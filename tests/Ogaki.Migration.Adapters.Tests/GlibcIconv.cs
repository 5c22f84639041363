using System.Runtime.InteropServices;
using System.Text;

namespace Ogaki.Migration.Adapters.Tests;

/// <summary>
/// glibc's iconv called in-process (the same gconv module as the <c>iconv</c> binary): one call per code tells exactly
/// whether glibc decodes it, which the binary cannot say for thousands of codes at once (it stops at the first bad one,
/// and <c>-c</c> skips only the lead byte of a bad pair, so the trail byte reappears as a character of its own).
/// </summary>
internal sealed class GlibcIconv : IDisposable
{
    readonly IntPtr _cd;

    public GlibcIconv(string from, string to)
    {
        _cd = NativeMethods.iconv_open(to, from);
        if (_cd == new IntPtr(-1)) throw new InvalidOperationException($"iconv_open({to}, {from}) failed");
    }

    /// <summary>The UTF-8 text glibc decodes <paramref name="input"/> to, or null when it rejects any byte.</summary>
    public string? Decode(byte[] input)
    {
        var output = new byte[16 * Math.Max(1, input.Length)];
        var inHandle = GCHandle.Alloc(input, GCHandleType.Pinned);
        var outHandle = GCHandle.Alloc(output, GCHandleType.Pinned);
        try
        {
            var inPtr = inHandle.AddrOfPinnedObject();
            var outPtr = outHandle.AddrOfPinnedObject();
            var inLeft = (nuint)input.Length;
            var outLeft = (nuint)output.Length;
            var zero = IntPtr.Zero;
            var zeroLen = (nuint)0;
            NativeMethods.iconv(_cd, ref zero, ref zeroLen, ref zero, ref zeroLen); // reset the shift state
            var r = NativeMethods.iconv(_cd, ref inPtr, ref inLeft, ref outPtr, ref outLeft);
            if (r == nuint.MaxValue || inLeft != 0) return null;
            return Encoding.UTF8.GetString(output, 0, output.Length - (int)outLeft);
        }
        finally
        {
            inHandle.Free();
            outHandle.Free();
        }
    }

    public void Dispose() => NativeMethods.iconv_close(_cd);

    static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA2101 // plain ANSI charset names; the classic marshaller is enough for a test
        [DllImport("libc", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern IntPtr iconv_open(string tocode, string fromcode);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nuint iconv(IntPtr cd, ref IntPtr inbuf, ref nuint inbytesleft, ref IntPtr outbuf, ref nuint outbytesleft);

        [DllImport("libc")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int iconv_close(IntPtr cd);
#pragma warning restore SYSLIB1054, CA2101
    }
}
