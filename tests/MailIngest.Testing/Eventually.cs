using System.Diagnostics;
using System.Net.Sockets;

namespace MailIngest.Testing;

/// <summary>
/// The one way tests wait: poll a condition until it holds or a deadline passes, then fail with what was last seen.
/// Errors of a server that is not there yet (refused connections, timed-out requests) count as "not yet"; any other
/// error ends the wait at once, so a probe can stop early by throwing (a process that exited, say).
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Polls <paramref name="probe"/> until <paramref name="done"/> holds for its value and returns that value; after
    /// <paramref name="timeout"/> throws a <see cref="TimeoutException"/> naming <paramref name="what"/>, the last value
    /// (through <paramref name="describe"/>) and the last transient error.
    /// </summary>
    public static async Task<T> ValueAsync<T>(string what, Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout,
        Func<T, string>? describe = null, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        var seen = "nothing yet";
        while (true)
        {
            try
            {
                var value = await probe();
                if (done(value)) return value;
                seen = describe is null ? $"last: {value}" : describe(value);
            }
            catch (Exception error) when (IsNotYet(error))
            {
                seen = $"last error: {error.GetType().Name}: {error.Message}";
            }

            if (clock.Elapsed >= timeout) throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; {seen}");
            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it is true; see <see cref="ValueAsync{T}"/>.</summary>
    public static Task TrueAsync(string what, Func<Task<bool>> condition, TimeSpan timeout, Func<string>? describe = null,
        TimeSpan? interval = null) =>
        ValueAsync(what, condition, held => held, timeout, describe is null ? null : _ => describe(), interval);

    /// <summary>Polls a synchronous <paramref name="condition"/> until it is true; see <see cref="ValueAsync{T}"/>.</summary>
    public static Task TrueAsync(string what, Func<bool> condition, TimeSpan timeout, Func<string>? describe = null,
        TimeSpan? interval = null) =>
        TrueAsync(what, () => Task.FromResult(condition()), timeout, describe, interval);

    private static bool IsNotYet(Exception error) =>
        error is HttpRequestException or TaskCanceledException or SocketException or IOException;
}
