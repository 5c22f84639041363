namespace Ogaki.Migration.Targets.Tests.Support;

/// <summary>A target of any kind (postgresql, sqlite, files), with what it needs cleaned up afterwards.</summary>
public sealed class TestTarget : IAsyncDisposable
{
    readonly PgSchema? _schema;
    readonly TempDir? _dir;

    TestTarget(IStandardTarget target, PgSchema? schema, TempDir? dir, string connection)
    {
        Target = target;
        _schema = schema;
        _dir = dir;
        Connection = connection;
    }

    public IStandardTarget Target { get; }

    /// <summary>The connection string <see cref="TargetFactory"/> takes for this target.</summary>
    public string Connection { get; }

    public PgSchema? Schema => _schema;

    public static async Task<TestTarget> CreateAsync(string kind)
    {
        if (kind == "postgresql")
        {
            var schema = await PgSchema.CreateAsync();
            return new TestTarget(TargetFactory.Create(schema.ConnectionString), schema, null, schema.ConnectionString);
        }
        var dir = new TempDir();
        var connection = kind == "files" ? "files:" + dir.File("out") : "sqlite:" + dir.File("target.db");
        return new TestTarget(TargetFactory.Create(connection), null, dir, connection);
    }

    /// <summary>Another target object on the same database (as a resumed process would open).</summary>
    public IStandardTarget Reopen() => TargetFactory.Create(Connection);

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        if (_schema is not null) await _schema.DisposeAsync();
        _dir?.Dispose();
    }
}
