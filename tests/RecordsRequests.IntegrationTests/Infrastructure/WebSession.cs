using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>Drives the site over HTTP the way a browser does: GET a form, post it back with its anti-forgery token.</summary>
public static partial class WebSession
{
    public const string Password = "Correct-Horse-Battery-9";

    public static async Task<string> CreateStaffAsync(TestApp app, string role)
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
        return email;
    }

    public static async Task SignInAsync(HttpClient client, string email)
    {
        var response = await PostFormAsync(client, "/account/sign-in", new() { ["Email"] = email, ["Password"] = Password });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed: {(int)response.StatusCode}");
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
