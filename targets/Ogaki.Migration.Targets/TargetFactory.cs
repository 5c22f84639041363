using System.Globalization;
using Npgsql;
using Ogaki.Migration.Spec.Privacy;

namespace Ogaki.Migration.Targets;

/// <summary>Creates a target from a connection string, so the CLI and the pipeline never name the database kind.</summary>
public static class TargetFactory
{
    /// <summary>
    /// <c>sqlite:&lt;path&gt;</c> → SQLite file; <c>postgres://user:pw@host:port/db?sslmode=…</c> or
    /// <c>postgresql://…</c> → PostgreSQL; a keyword string with <c>Host=</c> → PostgreSQL;
    /// <c>files:&lt;folder&gt;</c> → standard-layout CSV files (<see cref="FilesTarget"/>).
    /// Pass secrets from the environment or command line; messages mask them.
    /// </summary>
    public static IStandardTarget Create(string connection)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connection);
        var c = connection.Trim();
        return ConnectionStrings.Classify(c) switch
        {
            ConnectionKind.Sqlite => new SqliteTarget(SqlitePath(c)),
            ConnectionKind.Postgres => new PostgresTarget(c.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) ? FromUri(c) : c),
            ConnectionKind.Files => new FilesTarget(FilesFolder(c)),
            _ => throw new ArgumentException($"unknown target '{ConnectionStrings.Mask(c)}': use sqlite:<path>, files:<folder>, postgres://… or a PostgreSQL keyword string (Host=…)", nameof(connection)),
        };
    }

    static string SqlitePath(string connection)
    {
        var path = ConnectionStrings.Value(connection);
        if (path.Length == 0) throw new ArgumentException("sqlite: needs a file path, e.g. sqlite:out/target.db", nameof(connection));
        return path;
    }

    static string FilesFolder(string connection)
    {
        var folder = ConnectionStrings.Value(connection);
        if (folder.Length == 0) throw new ArgumentException("files: needs a folder, e.g. files:out/standard", nameof(connection));
        return folder;
    }

    /// <summary>Converts a <c>postgres://</c> URI into an Npgsql keyword connection string.</summary>
    public static string FromUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var u) || string.IsNullOrEmpty(u.Host))
            throw new ArgumentException($"invalid PostgreSQL URI '{ConnectionStrings.Mask(uri)}'", nameof(uri));
        var b = new NpgsqlConnectionStringBuilder { Host = u.Host, Port = u.Port > 0 ? u.Port : 5432 };
        var userInfo = u.UserInfo.Split(':', 2);
        if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
        if (userInfo.Length == 2) b.Password = Uri.UnescapeDataString(userInfo[1]);
        var db = u.AbsolutePath.Trim('/');
        if (db.Length > 0) b.Database = Uri.UnescapeDataString(db);
        foreach (var pair in u.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key.ToLowerInvariant())
            {
                case "sslmode": b.SslMode = Enum.Parse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true); break;
                case "search_path": b.SearchPath = value; break;
                case "application_name": b.ApplicationName = value; break;
                case "connect_timeout": b.Timeout = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unsupported parameter '{key}' in PostgreSQL URI '{ConnectionStrings.Mask(uri)}'", nameof(uri));
            }
        }
        return b.ConnectionString;
    }
}
