using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>Drives the site over HTTP the way a browser does: GET a form, post it back with its anti-forgery token.</summary>
public static partial class WebSession
{
    public const string Password = "Correct-Horse-Battery-9";

    /// <summary>The authenticator key of each test account that has one, as the member's phone would hold it.</summary>
    private static readonly ConcurrentDictionary<string, string> AuthenticatorKeys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A staff account with <see cref="Password"/>. Admins and counsel must sign in with two factors, so unless
    /// <paramref name="enrolTwoFactor"/> is false theirs comes with an authenticator app already set up (a key only this
    /// helper and the server know); <see cref="SignInAsync"/> and <see cref="SignInInBrowserAsync"/> then type its code
    /// on the real code page.
    /// </summary>
    public static async Task<string> CreateStaffAsync(TestApp app, string role, bool enrolTwoFactor = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        if (!await roles.RoleExistsAsync(role))
        {
            await roles.CreateAsync(new IdentityRole(role));
        }
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@district.example";
        var user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = role };
        Check(await users.CreateAsync(user, Password));
        Check(await users.AddToRoleAsync(user, role));
        if (enrolTwoFactor && TwoFactor.IsRequiredFor([role]))
        {
            await EnrolAuthenticatorAsync(scope.ServiceProvider, user);
        }
        return email;
    }

    /// <summary>Sets up an authenticator app for the account, as the setup page does after a right first code.</summary>
    public static async Task<string> EnrolAuthenticatorAsync(IServiceProvider services, StaffUser user)
    {
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var key = Totp.NewKey();
        var store = (IUserAuthenticatorKeyStore<StaffUser>)services.GetRequiredService<IUserStore<StaffUser>>();
        await store.SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
        Check(await users.UpdateAsync(user));
        Check(await users.SetTwoFactorEnabledAsync(user, true));
        AuthenticatorKeys[user.Email!] = key;
        return key;
    }

    /// <summary>The code the account's authenticator app shows now, or its next one when that was used already (each works once).</summary>
    public static Task<string> NextCodeAsync(string email) => Totp.FreshCodeAsync(AuthenticatorKeys[email]);

    public static string AuthenticatorKeyOf(string email) => AuthenticatorKeys[email];

    /// <summary>Remembers a key a test read off the setup page, so the helpers can sign that account in later.</summary>
    public static void RememberAuthenticatorKey(string email, string key) => AuthenticatorKeys[email] = key;

    /// <summary>Signs in through the real sign-in page in chromium, and through the code page when the account has an app.</summary>
    public static async Task SignInInBrowserAsync(IPage page, string email)
    {
        await page.GetByLabel("E-mail").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Browser.WaitToLeaveAsync(page, new Regex("/account/sign-in"));
        if (page.Url.Contains(TwoFactor.CodePage, StringComparison.Ordinal) && AuthenticatorKeys.ContainsKey(email))
        {
            await page.GetByLabel("Code").FillAsync(await NextCodeAsync(email));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await Browser.WaitToLeaveAsync(page, new Regex(Regex.Escape(TwoFactor.CodePage)));
        }
    }

    public static async Task SignInAsync(HttpClient client, string email)
    {
        var response = await PostFormAsync(client, "/account/sign-in", new() { ["Email"] = email, ["Password"] = Password });
        if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString is { } next
            && next.StartsWith(TwoFactor.CodePage + "?", StringComparison.Ordinal) && AuthenticatorKeys.ContainsKey(email))
        {
            response = await PostFormAsync(client, next, new() { ["Code"] = await NextCodeAsync(email) });
        }
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.StartsWith("/account/", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var form = await client.GetStringAsync(path);
        var token = AntiforgeryToken().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException($"{path} has no anti-forgery token.");
        }
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        // The public form's one-time ticket travels with the form, as a browser sends it.
        if (FormTicket().Match(form) is { Success: true } ticket && !fields.ContainsKey("Ticket"))
        {
            fields["Ticket"] = WebUtility.HtmlDecode(ticket.Groups[1].Value);
        }
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("name=\"Ticket\" value=\"([^\"]*)\"")]
    public static partial Regex FormTicket();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
