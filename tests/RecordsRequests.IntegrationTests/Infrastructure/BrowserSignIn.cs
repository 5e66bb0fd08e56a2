using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// Signs a new staff member of a role in through the real sign-in page, as staff do every morning (accounts come from
/// <see cref="WebSession.CreateStaffAsync"/>). Console errors, uncaught script errors and CSP violations (chromium logs
/// them as console errors) are collected for the test to assert there are none.
/// </summary>
public static class BrowserSignIn
{
    public static async Task<StaffPage> SignInAsync(BrowserApp session, string role, string? then = null)
    {
        var email = await WebSession.CreateStaffAsync(session.App, role);
        var context = await session.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 768 } });
        var page = await context.NewPageAsync();
        var errors = ListenForErrors(page);
        await page.GotoAsync(then ?? "/account/sign-in");
        await WebSession.SignInInBrowserAsync(page, email);
        await Browser.WaitForAddressAsync(page, then is null ? new Regex("/(dashboard|counsel)$") : new Regex(Regex.Escape(then) + "$"));
        return new StaffPage(page, errors, email);
    }

    /// <summary>The errors <paramref name="page"/> reports from now on.</summary>
    public static List<string> ListenForErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add($"{page.Url}: {error}");
            }
        };
        return errors;
    }
}
