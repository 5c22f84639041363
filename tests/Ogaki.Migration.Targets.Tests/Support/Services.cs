using Npgsql;

namespace Ogaki.Migration.Targets.Tests.Support;

/// <summary>
/// Real servers for the tests: PostgreSQL from PG_CONN, Azure Blob (Azurite) from AZURE_BLOB_CONN. A test may skip
/// only when the variable is unset and CI is not "true"; in CI a missing service fails the test.
/// </summary>
public static class Services
{
    static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string PgConn() => Require("PG_CONN");

    public static string AzureBlobConn() => Require("AZURE_BLOB_CONN");

    static string Require(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (InCi) Assert.Fail($"{name} is not set, but CI=true: the CI script must start the service");
            Assert.Skip($"{name} not set (service-backed test)");
        }
        return value;
    }
}

/// <summary>A PostgreSQL schema of one test: created empty, put first on the search path, dropped at the end.</summary>
public sealed class PgSchema : IAsyncDisposable
{
    readonly string _admin;

    PgSchema(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = name }.ConnectionString;
    }

    public string Name { get; }

    /// <summary>Connection string whose unqualified tables live in this schema.</summary>
    public string ConnectionString { get; }

    public static async Task<PgSchema> CreateAsync(string? baseConnection = null)
    {
        var admin = baseConnection ?? Services.PgConn();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand($"CREATE SCHEMA {name}", conn);
        await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new PgSchema(admin, name);
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (string?)await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var conn = new NpgsqlConnection(_admin);
            await conn.OpenAsync(CancellationToken.None);
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {Name} CASCADE", conn);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The server may be the throwaway cluster a test already stopped.
        }
        NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>A temporary folder removed at the end.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ogaki-targets-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
