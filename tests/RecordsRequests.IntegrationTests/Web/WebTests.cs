using System.Net;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Web;

[Collection(Lanes.StaffPages)]
public class WebTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Healthz_AnswersOkWhenTheDatabaseIsMigrated()
    {
        using var client = _app.CreateClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/dashboard")]
    [InlineData("/requests/PRR-2026-0001")]
    public async Task StaffPages_SendAnonymousVisitorsToSignIn(string path)
    {
        using var client = _app.CreateClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicForm_CreatesARequestThatAnOfficerSeesAfterSigningIn()
    {
        var description = $"All bus contracts {Guid.NewGuid():N}";
        using var requester = _app.CreateClient();
        var posted = await WebSession.PostFormAsync(requester, "/submit", new()
        {
            ["Input.Email"] = "parent@example.org",
            ["Input.Description"] = description,
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var confirmation = await requester.GetStringAsync(posted.Headers.Location!.OriginalString);
        var tracking = System.Text.RegularExpressions.Regex.Match(confirmation, "id=\"tracking-number\">(PRR-\\d{4}-\\d{4,})<").Groups[1].Value;
        Assert.NotEmpty(tracking);

        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        // The queue is paged and shared with every other test's requests: the officer finds it by its tracking number.
        var queue = await officer.GetStringAsync($"/dashboard?q={tracking}");
        Assert.Contains(tracking, queue, StringComparison.Ordinal);
        var details = await officer.GetStringAsync($"/requests/{tracking}");
        Assert.Contains(description, details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicForm_WithoutContactDetails_IsRefusedWithAnExplanation()
    {
        using var requester = _app.CreateClient();
        var response = await WebSession.PostFormAsync(requester, "/submit", new() { ["Input.Description"] = "no way to reply" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("e-mail or a postal address", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counsel_ReadTheRequestPage_WithoutItsActions()
    {
        Request request;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "reader@example.org", Description = "Board minutes" }, RequestChannel.Email, CitedLaw.None, CancellationToken.None);
        }
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, await WebSession.CreateStaffAsync(_app, Roles.Counsel));
        var page = await counsel.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.Contains("Board minutes", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Assign", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/decide", page, StringComparison.Ordinal);
        // Assigning is an officer's action even when posted by hand.
        var assign = await WebSession.PostFormAsync(counsel, $"/requests/{request.TrackingNumber}?handler=Assign", new() { ["officerId"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, assign.StatusCode);
        Assert.StartsWith("/account/denied", assign.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_DoesNotSignIn()
    {
        using var client = _app.CreateClient();
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        var response = await WebSession.PostFormAsync(client, "/account/sign-in", new() { ["Email"] = email, ["Password"] = "wrong-password-123" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/dashboard")).StatusCode);
    }
}
