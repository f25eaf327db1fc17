using System.Net;

namespace MailIngest.Testing;

/// <summary>
/// The one readiness poller: a server started by a test (a host process, a published build, a container) is ready
/// when an HTTP probe of its answers 200.
/// </summary>
public static class Readiness
{
    /// <summary>
    /// Waits until GET <paramref name="path"/> through <paramref name="http"/> answers 200. Fails at once when
    /// <paramref name="exited"/> says the server is gone, and after <paramref name="timeout"/>; either failure carries
    /// <paramref name="output"/> (the server's log).
    /// </summary>
    public static async Task WaitAsync(HttpClient http, string path, TimeSpan timeout, Func<string> output, Func<bool>? exited = null)
    {
        try
        {
            await Eventually.TrueAsync($"200 from {new Uri(http.BaseAddress!, path)}", async () =>
            {
                if (exited?.Invoke() == true) throw new InvalidOperationException($"The server exited before it was ready:\n{output()}");
                using var response = await http.GetAsync(path);
                return response.StatusCode == HttpStatusCode.OK;
            }, timeout, interval: TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException error)
        {
            throw new TimeoutException($"{error.Message}:\n{output()}", error);
        }
    }
}
