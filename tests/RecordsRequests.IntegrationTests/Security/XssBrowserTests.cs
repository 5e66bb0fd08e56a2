using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Intake;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>
/// Hostile e-mail (TestData/security) taken in through the real intake path, then shown to an officer in chromium. Every
/// payload would set window.__xss or open a dialog if it ran. Each page is checked twice: as served (with the CSP), and
/// with the CSP bypassed, so the escaping and sanitizing are proven on their own and the CSP is a second wall, not the only one.
/// </summary>
[Collection(Lanes.Browser)]
public sealed class XssBrowserTests(TestDatabase database) : IAsyncLifetime
{
    private BrowserApp _session = null!;

    public async Task InitializeAsync() => _session = await database.StartBrowserTestAsync();

    public async Task DisposeAsync() => await _session.DisposeAsync();

    [Fact]
    public async Task HostileMail_RendersInertOnEveryPageThatShowsIt_WithAndWithoutTheCsp()
    {
        var alternative = await ReceiveAsync("xss-alternative.eml");
        var htmlOnly = await ReceiveAsync("xss-html-only.eml");
        var quarantined = await ReceiveAsync("xss-quarantined.eml");
        Assert.Equal(IntakeClassification.Request, alternative.Classification);
        Assert.Equal(IntakeClassification.Request, htmlOnly.Classification);
        Assert.Equal(IntakeClassification.Quarantined, quarantined.Classification);
        var email = await WebSession.CreateStaffAsync(_session.App, Roles.RecordsOfficer);

        string[] pages = [$"/requests/{alternative.TrackingNumber}", $"/requests/{htmlOnly.TrackingNumber}", "/intake/quarantine", "/dashboard"];
        foreach (var bypassCsp in new[] { false, true })
        {
            await using var context = await _session.NewContextAsync(new() { BypassCSP = bypassCsp });
            var page = await context.NewPageAsync();
            var dialogs = new List<string>();
            page.Dialog += (_, dialog) =>
            {
                dialogs.Add(dialog.Message);
                _ = dialog.DismissAsync();
            };
            await SignInAsync(page, email);
            foreach (var path in pages)
            {
                var response = await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
                Assert.NotNull(response);
                Assert.Equal(200, response.Status);
                var csp = await response.HeaderValueAsync("content-security-policy");
                Assert.NotNull(csp);
                Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
                Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
                Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
                Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);

                var where = $"{path} (CSP {(bypassCsp ? "bypassed" : "on")})";
                await Infrastructure.Browser.ScreenshotAsync(page, $"xss-{(bypassCsp ? "nocsp" : "csp")}-{path.Trim('/').Replace('/', '-')}");
                Assert.True(dialogs.Count == 0, $"{where}: a dialog opened: {string.Join(", ", dialogs)}");
                Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__xss"));
                var found = await page.EvaluateAsync<string[]>(ActiveContentScan);
                Assert.True(found.Length == 0, $"{where}: active content in the DOM:\n{string.Join("\n", found)}");
            }

            // The payloads are shown as text an officer can read (plain-text body, subject, sender's name), or removed
            // by the sanitizer (the HTML-only body keeps its words, not its markup).
            await page.GotoAsync($"/requests/{alternative.TrackingNumber}");
            var body = await page.Locator("pre.message-body").First.InnerTextAsync();
            Assert.Contains("<script>window.__xss='plain-script';alert('plain')</script>", body, StringComparison.Ordinal);
            Assert.Contains("<img src=x onerror=", body, StringComparison.Ordinal);
            Assert.Contains("<script>window.__xss='subject'</script>", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains("<img src=x onerror=alert('name')> Mallory", await page.Locator("main dl.facts").InnerTextAsync(), StringComparison.Ordinal);

            await page.GotoAsync($"/requests/{htmlOnly.TrackingNumber}");
            var sanitized = await page.Locator("main").InnerTextAsync();
            Assert.Contains("Please send the 2025 school bus contracts.", sanitized, StringComparison.Ordinal);
            Assert.DoesNotContain("alert('script')", sanitized, StringComparison.Ordinal);

            await page.GotoAsync("/intake/quarantine");
            Assert.Contains("window.__xss='quarantine-subject'", await page.Locator("#quarantine").InnerTextAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Anything in the page that could run script: handlers, javascript: URLs, frames, plugins, inline script, CSS tricks.</summary>
    private const string ActiveContentScan = """
        () => {
          const found = [];
          for (const el of document.querySelectorAll('*')) {
            for (const attr of el.attributes) {
              const value = attr.value.replace(/[\u0000-\u0020]/g, '').toLowerCase();
              if (attr.name.toLowerCase().startsWith('on')) found.push(`${el.tagName} ${attr.name}`);
              if (/^(javascript|vbscript|data:text\/html)/.test(value) || value.includes('javascript:')) found.push(`${el.tagName} ${attr.name}=${attr.value}`);
              if (attr.name === 'style' && /expression\(|url\(/.test(value)) found.push(`${el.tagName} style=${attr.value}`);
              if (attr.name === 'srcdoc') found.push(`${el.tagName} srcdoc`);
            }
          }
          for (const el of document.querySelectorAll('iframe, frame, object, embed, base, meta[http-equiv]')) found.push(el.tagName);
          for (const s of document.querySelectorAll('script')) if (!s.src || new URL(s.src).origin !== location.origin) found.push('SCRIPT ' + (s.src || s.textContent.slice(0, 60)));
          for (const s of document.querySelectorAll('style')) found.push('STYLE ' + s.textContent.slice(0, 60));
          for (const a of document.links) if (a.protocol === 'javascript:') found.push('A ' + a.href);
          return found;
        }
        """;

    private async Task<IntakeResult> ReceiveAsync(string file)
    {
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "security", file));
        await using var scope = _session.App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.Upload, file, CancellationToken.None);
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await WebSession.SignInInBrowserAsync(page, email);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Request queue" })).ToBeVisibleAsync();
    }
}
