using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>
/// A form posted without its anti-forgery token (what a cross-site page can send) is refused with 400 and changes
/// nothing, for the public form, sign-in and staff actions; so is a post carrying somebody else's token.
/// </summary>
[Collection(Lanes.StaffPages)]
public sealed partial class AntiforgeryTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PublicForm_WithoutToken_IsRejectedAndOpensNoRequest()
    {
        var description = $"forged request {Guid.NewGuid():N}";
        using var client = _app.CreateClient();
        await client.GetAsync("/submit");

        var response = await PostWithoutTokenAsync(client, "/submit", new() { ["Input.Email"] = "forged@example.org", ["Input.Description"] = description });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await QueryAsync(db => db.Requests.AnyAsync(r => r.Description == description)));
    }

    [Fact]
    public async Task SignIn_WithoutToken_IsRejectedAndDoesNotSignIn()
    {
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var client = _app.CreateClient();
        await client.GetAsync("/account/sign-in");

        var response = await PostWithoutTokenAsync(client, "/account/sign-in", new() { ["Email"] = email, ["Password"] = WebSession.Password });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var dashboard = await client.GetAsync("/dashboard");
        Assert.StartsWith("/account/sign-in", dashboard.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffActions_WithoutToken_AreRejectedAndChangeNothing()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var recordsBefore = await QueryAsync(db => db.Set<Redaction>().CountAsync(r => r.RequestId == seed.RequestId));
        var reviewsBefore = await QueryAsync(db => db.Set<CounselReview>().CountAsync(r => r.RequestId == seed.RequestId));

        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var withdraw = await PostWithoutTokenAsync(officer, $"/requests/{seed.TrackingNumber}/decide?handler=Withdraw", []);
        var add = await PostWithoutTokenAsync(officer, $"/requests/{seed.TrackingNumber}/records/{seed.RecordId}?handler=Add",
            new() { ["Add.Exact"] = "principal", ["Add.ExemptionCode"] = ExemptionCatalog.Ferpa });
        var detect = await PostWithoutTokenAsync(officer, $"/requests/{seed.TrackingNumber}/records?handler=Detect", []);
        using var counsel = await SignedInAsync(Roles.Counsel);
        var approve = await PostWithoutTokenAsync(counsel, $"/counsel/{seed.TrackingNumber}?handler=Approve", new() { ["Comment"] = "forged" });
        using var admin = await SignedInAsync(Roles.Admin);
        var forgedEmail = $"forged-{Guid.NewGuid():N}@district.example";
        var createUser = await PostWithoutTokenAsync(admin, "/admin/users?handler=Create",
            new() { ["displayName"] = "Forged", ["email"] = forgedEmail, ["role"] = Roles.Admin, ["password"] = "Forged-Password-123" });

        Assert.Equal(HttpStatusCode.BadRequest, withdraw.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, add.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, detect.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, approve.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, createUser.StatusCode);
        Assert.NotEqual(RequestStatus.Withdrawn, await QueryAsync(db => db.Requests.Where(r => r.Id == seed.RequestId).Select(r => r.Status).SingleAsync()));
        Assert.Equal(recordsBefore, await QueryAsync(db => db.Set<Redaction>().CountAsync(r => r.RequestId == seed.RequestId)));
        Assert.Equal(reviewsBefore, await QueryAsync(db => db.Set<CounselReview>().CountAsync(r => r.RequestId == seed.RequestId)));
        await using var scope = _app.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(forgedEmail));
    }

    [Fact]
    public async Task StaffAction_WithAnotherVisitorsToken_IsRejected()
    {
        // A cross-site page can embed a token the attacker fetched for their own session; it must not work in the officer's.
        using var attacker = _app.CreateClient();
        var attackerToken = WebUtility.HtmlDecode(AntiforgeryField().Match(await attacker.GetStringAsync("/submit")).Groups[1].Value);
        Assert.NotEmpty(attackerToken);
        var seed = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        using var officer = await SignedInAsync(Roles.RecordsOfficer);

        var response = await officer.PostAsync($"/requests/{seed.TrackingNumber}/decide?handler=Withdraw",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = attackerToken }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotEqual(RequestStatus.Withdrawn, await QueryAsync(db => db.Requests.Where(r => r.Id == seed.RequestId).Select(r => r.Status).SingleAsync()));
    }

    private static Task<HttpResponseMessage> PostWithoutTokenAsync(HttpClient client, string path, Dictionary<string, string> fields) =>
        client.PostAsync(path, new FormUrlEncodedContent(fields));

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, role));
        return client;
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
