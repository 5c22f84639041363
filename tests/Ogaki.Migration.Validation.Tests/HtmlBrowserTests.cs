using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Ogaki.Migration.Validation.Reports;

namespace Ogaki.Migration.Validation.Tests;

/// <summary>
/// The HTML report as a browser shows it: headless Chromium (Debian's <c>chromium</c>, installed by test.sh) renders the
/// report of a run with discrepancies on a phone-sized and a desktop-sized window, and the screenshots must show a page.
/// </summary>
public class HtmlBrowserTests
{
    [Theory]
    [InlineData(390, 844)]   // a phone held upright
    [InlineData(1280, 900)]
    public async Task Headless_chromium_renders_the_report_of_a_run_with_discrepancies(int width, int height)
    {
        var chromium = FindChromium() ?? throw new InvalidOperationException("chromium is not installed: test.sh installs it (apt-get install chromium)");
        var dir = Directory.CreateTempSubdirectory("ogaki-html-");
        try
        {
            var sink = new MemoryReportSink();
            await ReconciliationReports.WriteAllAsync(await ReportSample.BuildAsync(ReportSample.Run("browser")), sink, TestContext.Current.CancellationToken);
            var html = Path.Combine(dir.FullName, ReportFiles.Html);
            await File.WriteAllBytesAsync(html, sink.Files[ReportFiles.Html], TestContext.Current.CancellationToken);
            var png = Path.Combine(dir.FullName, "report.png");
            await ScreenshotAsync(chromium, html, png, width, height, dir.FullName);

            var image = Png.Decode(await File.ReadAllBytesAsync(png, TestContext.Current.CancellationToken));
            Assert.Equal((width, height), (image.Width, image.Height));
            long ink = 0, red = 0;
            for (var y = 0; y < image.Height; y++)
                for (var x = 0; x < image.Width; x++)
                {
                    var (r, g, b) = image.Pixel(x, y);
                    if (r < 200 || g < 200 || b < 200) ink++;
                    if (r > 120 && g < 70 && b < 70) red++; // the NG marks and the outcome in #a11
                }
            // Text and tables cover a fair part of the page; a blank or error page has (next to) none.
            Assert.True(ink > image.Width * image.Height / 50, $"only {ink} non-white pixels of {image.Width * image.Height}");
            Assert.True(red > 20, $"no red NG mark rendered ({red} red pixels)");
        }
        finally
        {
            dir.Delete(true);
        }
    }

    static string? FindChromium()
    {
        foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
            foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
                if (folder.Length > 0 && File.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        return null;
    }

    static async Task ScreenshotAsync(string chromium, string html, string png, int width, int height, string work)
    {
        var psi = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--user-data-dir=" + Path.Combine(work, "profile"),
                     $"--window-size={width},{height}", "--screenshot=" + png, new Uri(html).AbsoluteUri })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        _ = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        Assert.True(File.Exists(png), "chromium wrote no screenshot: " + await stderr);
    }

    /// <summary>A minimal PNG decoder (8-bit greyscale, RGB or RGBA, non-interlaced): enough to look at a screenshot.</summary>
    sealed class Png(int width, int height, int channels, byte[] pixels)
    {
        public int Width => width;

        public int Height => height;

        public (byte R, byte G, byte B) Pixel(int x, int y)
        {
            var i = (y * width + x) * channels;
            return channels < 3 ? (pixels[i], pixels[i], pixels[i]) : (pixels[i], pixels[i + 1], pixels[i + 2]);
        }

        public static Png Decode(byte[] file)
        {
            Assert.Equal("\x89PNG\r\n\x1a\n", Encoding.Latin1.GetString(file, 0, 8));
            int width = 0, height = 0, channels = 0;
            using var idat = new MemoryStream();
            for (var at = 8; at < file.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
                var type = Encoding.ASCII.GetString(file, at + 4, 4);
                var data = file.AsSpan(at + 8, length);
                if (type == "IHDR")
                {
                    width = BinaryPrimitives.ReadInt32BigEndian(data);
                    height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                    Assert.Equal(8, data[8]);  // bit depth
                    Assert.Equal(0, data[12]); // not interlaced
                    channels = data[9] switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, var c => throw new NotSupportedException("PNG colour type " + c) };
                }
                else if (type == "IDAT") idat.Write(data);
                at += 12 + length;
            }
            idat.Position = 0;
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            var stride = width * channels;
            var raw = new byte[(stride + 1) * height];
            z.ReadExactly(raw);
            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                for (var i = 0; i < stride; i++)
                {
                    int a = i >= channels ? pixels[y * stride + i - channels] : 0;
                    int b = y > 0 ? pixels[(y - 1) * stride + i] : 0;
                    int c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] : 0;
                    int v = raw[y * (stride + 1) + 1 + i];
                    pixels[y * stride + i] = (byte)(filter switch
                    {
                        0 => v,
                        1 => v + a,
                        2 => v + b,
                        3 => v + (a + b) / 2,
                        4 => v + Paeth(a, b, c),
                        _ => throw new InvalidDataException("PNG filter " + filter),
                    });
                }
            }
            return new Png(width, height, channels, pixels);
        }

        static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
