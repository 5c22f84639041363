using Npgsql;
using Ogaki.Migration.Targets.Tests.Support;

namespace Ogaki.Migration.Targets.Tests;

/// <summary>Target configuration from connection strings, and masking of secrets.</summary>
public sealed class TargetFactoryTests
{
    [Fact]
    public async Task Sqlite_prefix_gives_the_embedded_target()
    {
        using var dir = new TempDir();
        await using var t = TargetFactory.Create("sqlite:" + dir.File("sub/target.db"));
        Assert.Equal("sqlite", t.Kind);
        Assert.True(File.Exists(dir.File("sub/target.db")));
    }

    [Fact]
    public void Postgres_uri_becomes_a_keyword_string_with_unescaped_parts()
    {
        var cs = new NpgsqlConnectionStringBuilder(TargetFactory.FromUri("postgres://mig%40ogaki:p%3Bw%40rd@db.example.jp:6432/juki?sslmode=require&search_path=rehearsal"));
        Assert.Equal("db.example.jp", cs.Host);
        Assert.Equal(6432, cs.Port);
        Assert.Equal("mig@ogaki", cs.Username);
        Assert.Equal("p;w@rd", cs.Password);
        Assert.Equal("juki", cs.Database);
        Assert.Equal(SslMode.Require, cs.SslMode);
        Assert.Equal("rehearsal", cs.SearchPath);
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(TargetFactory.FromUri("postgresql://u@h/d")).Port);
    }

    [Fact]
    public async Task Postgres_forms_give_the_postgresql_target_without_echoing_the_password()
    {
        await using var a = TargetFactory.Create("Host=127.0.0.1;Port=1;Username=u;Password=s3cret-pw;Database=d");
        await using var b = TargetFactory.Create("postgres://u:s3cret-pw@127.0.0.1:1/d");
        foreach (var t in new[] { a, b })
        {
            Assert.Equal("postgresql", t.Kind);
            Assert.DoesNotContain("s3cret-pw", t.Description, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", t.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unknown_or_bad_connections_are_refused_with_the_password_masked()
    {
        var ex = Assert.Throws<ArgumentException>(() => TargetFactory.Create("mysql://root:s3cret-pw@h/db"));
        Assert.DoesNotContain("s3cret-pw", ex.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => TargetFactory.Create("postgres://u:s3cret-pw@h/db?weird=1"));
        Assert.DoesNotContain("s3cret-pw", bad.Message, StringComparison.Ordinal);
        Assert.Contains("weird", bad.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => TargetFactory.Create("sqlite:"));
    }

    [Theory]
    [InlineData("Host=h;Password=abc;Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("host=h;PWD = abc", "host=h;PWD =***")]
    [InlineData("postgres://u:abc@h/d", "postgres://u:***@h/d")]
    [InlineData("AccountName=a;AccountKey=abc==;BlobEndpoint=x", "AccountName=a;AccountKey=***;BlobEndpoint=x")]
    [InlineData("https://a.blob.core.windows.net/c?sv=1&sig=abc%3D", "https://a.blob.core.windows.net/c?sv=1&sig=***")]
    [InlineData("no secrets here", "no secrets here")]
    public void Mask_hides_every_kind_of_secret(string input, string expected) => Assert.Equal(expected, Ogaki.Migration.Spec.Privacy.ConnectionStrings.Mask(input));

    [Theory]
    [InlineData(null, Ogaki.Migration.Spec.Privacy.ConnectionKind.None)]
    [InlineData("sqlite:out/t.db", Ogaki.Migration.Spec.Privacy.ConnectionKind.Sqlite)]
    [InlineData("files:out/standard", Ogaki.Migration.Spec.Privacy.ConnectionKind.Files)]
    [InlineData("postgresql://u@h/d", Ogaki.Migration.Spec.Privacy.ConnectionKind.Postgres)]
    [InlineData("Server=h;Password=p", Ogaki.Migration.Spec.Privacy.ConnectionKind.Postgres)]
    [InlineData("BlobEndpoint=http://h/a;SharedAccessSignature=sv=1&sig=x", Ogaki.Migration.Spec.Privacy.ConnectionKind.AzureBlob)]
    [InlineData("UseDevelopmentStorage=true", Ogaki.Migration.Spec.Privacy.ConnectionKind.AzureBlob)]
    [InlineData("/srv/runs", Ogaki.Migration.Spec.Privacy.ConnectionKind.Folder)]
    public void One_classifier_names_the_kind_of_every_connection(string? connection, Ogaki.Migration.Spec.Privacy.ConnectionKind kind) =>
        Assert.Equal(kind, Ogaki.Migration.Spec.Privacy.ConnectionStrings.Classify(connection));

    [Theory]
    [InlineData("Server=h;Password=p1;Database=d", "postgresql (Server=h;Password=***;Database=d)")]
    [InlineData("BlobEndpoint=http://h/a;SharedAccessSignature=sv=1&sig=abc", "azure blob (BlobEndpoint=http://h/a;SharedAccessSignature=***)")]
    [InlineData("BlobEndpoint=http://h/a?sv=1&sig=abc", "azure blob (BlobEndpoint=http://h/a?sv=1&sig=***)")]
    [InlineData("sig=abc&sv=1", "folder sig=***&sv=1")]
    public void Descriptions_name_the_kind_and_never_the_secret(string connection, string expected) =>
        Assert.Equal(expected, Ogaki.Migration.Spec.Privacy.ConnectionStrings.Describe(connection, "default"));

    [Fact]
    public void Neither_factory_takes_the_other_s_connection()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => TargetFactory.Create("UseDevelopmentStorage=true"));
        var e = Assert.Throws<ArgumentException>(() => Ogaki.Migration.Artifacts.ArtifactStoreFactory.Create("Host=h;Password=pw", dir.Path));
        Assert.DoesNotContain("=pw", e.Message, StringComparison.Ordinal);
        Assert.Contains("not an artifact store", e.Message, StringComparison.Ordinal);
    }
}
