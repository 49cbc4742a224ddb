using Microsoft.Playwright;
using Outgate.Testing;

namespace Outgate.Dashboard.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright (never Playwright's own browser download), logged in to a
/// daemon's dashboard through the one-click link. Screenshots go to $OUTGATE_SCREENSHOTS when set
/// (docs/dashboard.md: how docs/screenshots/ is regenerated).
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
    }

    public IPage Page { get; }

    public static void SkipUnlessChromium()
    {
        if (!File.Exists(ChromiumPath))
            Assert.Skip($"needs Debian's Chromium at {ChromiumPath}: apt-get install chromium (scripts/deps.sh installs it)");
    }

    /// <summary>Logs in through the one-click link: the admin's, or with <paramref name="viewer"/> the read-only one.</summary>
    public static async Task<DashboardBrowser> LogInAsync(OutgateDaemon daemon, bool viewer = false)
    {
        SkipUnlessChromium();
        using var web = await DashboardWeb.ForAsync(daemon, viewer);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 860 } });
        page.SetDefaultTimeout(15_000);
        var result = new DashboardBrowser(playwright, browser, page);
        var console = new List<string>();
        page.Console += (_, m) => { lock (console) console.Add(m.Text); };
        await page.GotoAsync(web.LoginUrl);
        try
        {
            // The fragment login is quick: wait for the page itself, not for a navigation that may be over already.
            await page.Locator("#view-live:not([hidden])").WaitForAsync();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"login did not reach the live view: at {page.Url}, page says '{await page.InnerTextAsync("body")}', console: {string.Join(" | ", console)}", ex);
        }
        Assert.DoesNotContain("token=", page.Url); // the token left the address bar
        await page.Locator("#health").Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex("ok|degraded") }).WaitForAsync();
        return result;
    }

    public async Task GoAsync(string view)
    {
        await Page.Locator($"nav a[data-view='{view}']").ClickAsync();
        await Page.Locator($"#view-{view}").WaitForAsync();
    }

    /// <summary>Saves a screenshot when $OUTGATE_SCREENSHOTS names a directory (no-op otherwise).</summary>
    public async Task ScreenshotAsync(string name)
    {
        if (Environment.GetEnvironmentVariable("OUTGATE_SCREENSHOTS") is not { Length: > 0 } dir) return;
        Directory.CreateDirectory(dir);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png"), FullPage = false });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
