using PuppeteerSharp;

namespace MailIngest.Testing;

/// <summary>
/// Debian's Chromium, headless, driven by PuppeteerSharp (no browser download: the executable is given). Its own
/// throwaway profile and no background traffic; disposing closes the browser and removes the profile.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IBrowser _browser;
    private readonly TempDirectory _profile;

    private HeadlessChromium(IBrowser browser, IPage page, TempDirectory profile)
    {
        _browser = browser;
        Page = page;
        _profile = profile;
    }

    /// <summary>The browser: MAILINGEST_CHROMIUM, or Debian's package.</summary>
    public static string Executable => Environment.GetEnvironmentVariable("MAILINGEST_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>The page under test.</summary>
    public IPage Page { get; }

    /// <summary>Starts the browser with a viewport of the given size and opens a page.</summary>
    public static async Task<HeadlessChromium> StartAsync(int width, int height)
    {
        var profile = new TempDirectory();
        try
        {
            var browser = await Puppeteer.LaunchAsync(new LaunchOptions
            {
                ExecutablePath = Executable,
                Headless = true,
                UserDataDir = profile.Path,
                DefaultViewport = new ViewPortOptions { Width = width, Height = height },
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    // Nothing but the page under test leaves the browser: no updates, sync, safe-browsing or metrics calls.
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-domain-reliability",
                    "--disable-client-side-phishing-detection", "--no-pings", "--hide-scrollbars", "--force-color-profile=srgb",
                ],
            });
            return new HeadlessChromium(browser, await browser.NewPageAsync(), profile);
        }
        catch
        {
            profile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> (a script expression) is true in the page; fails after
    /// <paramref name="timeout"/> with the page's text, so a failure shows what the page showed instead.
    /// </summary>
    public async Task WaitUntilAsync(string condition, TimeSpan timeout, string what)
    {
        try
        {
            await Page.WaitForExpressionAsync($"!!({condition})",
                new WaitForFunctionOptions { Timeout = (int)timeout.TotalMilliseconds, PollingInterval = 100 });
        }
        catch (WaitTaskTimeoutException)
        {
            var text = await Page.EvaluateExpressionAsync<string>("document.body ? document.body.innerText : ''");
            throw new TimeoutException($"Waited {timeout} for {what} ({condition}); the page shows:\n{text}");
        }
    }

    /// <summary>Closes the browser and removes its profile.</summary>
    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _profile.Dispose();
    }
}
