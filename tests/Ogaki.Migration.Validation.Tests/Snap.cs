using Snapshooter;
using Snapshooter.Xunit3;

namespace Ogaki.Migration.Validation.Tests;

/// <summary>
/// Snapshot matching with an explicit folder: with <c>CI=true</c> the build is deterministic and maps source
/// paths to <c>/_/</c>, so Snapshooter cannot find <c>__snapshots__</c> from the stack trace. The folder is found
/// from the test binary upwards instead.
/// </summary>
internal static class Snap
{
    static readonly Lazy<string> Folder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ogaki.Migration.Validation.Tests.csproj")))
                return dir.FullName; // Snapshooter adds __snapshots__
        throw new DirectoryNotFoundException("the test project folder was not found above " + AppContext.BaseDirectory);
    });

    /// <summary>Matches <paramref name="text"/> against <c>__snapshots__/&lt;name&gt;.snap</c>.</summary>
    public static void Match(string text, string name) => Snapshot.Match(text, new SnapshotFullName(name + ".snap", Folder.Value));
}
