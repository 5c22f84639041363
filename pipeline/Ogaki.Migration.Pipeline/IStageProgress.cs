namespace Ogaki.Migration.Pipeline;

/// <summary>Shows the progress of a run's stages; the command line draws it, the benchmarks and tests pass <see cref="None"/>.</summary>
public interface IStageProgress
{
    /// <summary>Runs one stage; <paramref name="work"/> reports records done through the callback.</summary>
    Task<T> RunAsync<T>(string stage, long? total, Func<Action<long>, Task<T>> work);

    /// <summary>Tells the operator something about the run as a whole (e.g. what a resume found), one line.</summary>
    void Notice(string message);

    /// <summary>Progress shown nowhere.</summary>
    static IStageProgress None { get; } = new Silent();

    private sealed class Silent : IStageProgress
    {
        public Task<T> RunAsync<T>(string stage, long? total, Func<Action<long>, Task<T>> work) => work(_ => { });

        public void Notice(string message)
        {
        }
    }
}
