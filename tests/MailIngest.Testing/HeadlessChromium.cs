using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MailIngest.Testing;

/// <summary>
/// Debian's Chromium, headless, driven over the DevTools protocol on a loopback port: navigate, evaluate script in the
/// page, take a screenshot. Its own throwaway profile, no background traffic; disposing kills the browser and its
/// helper processes whatever happened.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly TempDirectory _profile;
    private readonly ConcurrentQueue<string> _output;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _lastId;

    /// <summary>The browser: MAILINGEST_CHROMIUM, or Debian's package.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("MAILINGEST_CHROMIUM") ?? "/usr/bin/chromium";

    private HeadlessChromium(Process process, TempDirectory profile, ConcurrentQueue<string> output)
    {
        _process = process;
        _profile = profile;
        _output = output;
    }

    /// <summary>Starts the browser with a window of the given size and connects to its blank page.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width, int height)
    {
        var profile = new TempDirectory();
        var port = FreePort.Next();
        var start = new ProcessStartInfo(Executable,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            // Nothing but the page under test leaves the browser: no updates, sync, safe-browsing or metrics calls.
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-domain-reliability",
            "--disable-client-side-phishing-detection", "--no-pings", "--hide-scrollbars", "--force-color-profile=srgb",
            $"--user-data-dir={profile.Path}", "--remote-debugging-address=127.0.0.1", $"--remote-debugging-port={port}",
            $"--window-size={width},{height}", "about:blank",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{Executable} did not start");
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile, output);
        try
        {
            await browser._socket.ConnectAsync(await browser.PageSocketAsync(port), browser._stop.Token);
            browser._reader = browser.ReadAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything the browser wrote, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Opens <paramref name="url"/> and waits until the document has loaded.</summary>
    public async Task NavigateAsync(Uri url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });
        await WaitUntilAsync("document.readyState === 'complete' && location.href !== 'about:blank'", StartTimeout, "the page to load");
    }

    /// <summary>Evaluates a script expression in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var exception))
            throw new InvalidOperationException($"Script failed: {expression}\n{exception}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>
    /// Evaluates <paramref name="condition"/> until it is true; fails after <paramref name="timeout"/> with the page's
    /// text, so a failure shows what the page showed instead.
    /// </summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if ((await EvaluateAsync($"!!({condition})")).ValueKind == JsonValueKind.True) return;
            if (DateTime.UtcNow >= deadline)
            {
                var text = await EvaluateAsync("document.body ? document.body.innerText : ''");
                throw new TimeoutException($"Waited {timeout} for {what} ({condition}); the page shows:\n{text}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A PNG of the whole page, however tall, at the window's width.</summary>
    public async Task<byte[]> ScreenshotAsync()
    {
        var size = await EvaluateAsync("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = size[0].GetInt32(),
            ["height"] = size[1].GetInt32(),
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        });
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    /// <summary>Closes the connection and kills the browser and every process it started.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        _socket.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception error) when (error is OperationCanceledException or WebSocketException)
        {
            // The reader ends with the socket.
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _profile.Dispose();
        _stop.Dispose();
        _sending.Dispose();
    }

    /// <summary>The DevTools WebSocket of the browser's first page, once the browser listens.</summary>
    private async Task<Uri> PageSocketAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Executable} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var targets = await http.GetFromJsonAsync<JsonElement>($"http://127.0.0.1:{port}/json/list");
                foreach (var target in targets.EnumerateArray())
                {
                    if (target.GetProperty("type").GetString() == "page" && target.TryGetProperty("webSocketDebuggerUrl", out var socket))
                        return new Uri(socket.GetString()!);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Executable} did not open its DevTools port within {StartTimeout}:\n{Output}");
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _lastId);
        var answer = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        var bytes = Encoding.UTF8.GetBytes(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString());
        // One send at a time: a WebSocket does not allow two concurrent sends.
        await _sending.WaitAsync(_stop.Token);
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sending.Release();
        }

        try
        {
            return await answer.Task.WaitAsync(CommandTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools command {method} got no answer within {CommandTimeout}:\n{Output}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Hands each command's answer to its sender; events (no id) are not used.</summary>
    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (!_stop.IsCancellationRequested)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close) break;
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage) continue;
            using var document = JsonDocument.Parse(message.ToArray());
            message.SetLength(0);
            if (!document.RootElement.TryGetProperty("id", out var id) || !_pending.TryGetValue(id.GetInt32(), out var answer)) continue;
            if (document.RootElement.TryGetProperty("error", out var error))
                answer.TrySetException(new InvalidOperationException($"DevTools error: {error}"));
            else
                answer.TrySetResult(document.RootElement.GetProperty("result").Clone());
        }

        foreach (var answer in _pending.Values) answer.TrySetCanceled();
    }
}
