using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Web;

[Collection(Lanes.StaffPages)]
public class ApiTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Browser, string Token)> TokenForAsync(string role)
    {
        var browser = _app.CreateClient();
        await WebSession.SignInAsync(browser, await WebSession.CreateStaffAsync(_app, role));
        var page = await WebSession.PostFormAsync(browser, "/account/tokens?handler=Create", new() { ["name"] = "test script" });
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "id=\"new-token\">([^<]+)<").Groups[1].Value;
        Assert.StartsWith("rr_", token, StringComparison.Ordinal);
        return (browser, token);
    }

    [Fact]
    public async Task OfficerToken_ReadsARequestWithItsExplainedClocks()
    {
        Request request;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "api@example.org", Description = "for the API" }, RequestChannel.Email, CitedLaw.None, CancellationToken.None,
                new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero));
            // The requester agreed in writing to a later production date (G.L. c.66 §10(b)).
            var clocks = scope.ServiceProvider.GetRequiredService<RequestClockUpdater>();
            (await clocks.InputsForEditAsync(request.Id, CancellationToken.None)).RecordAgreement(new DateOnly(2026, 6, 30), "by e-mail");
            await clocks.RecomputeAsync(request, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        }
        var (browser, token) = await TokenForAsync(Roles.RecordsOfficer);
        using var api = _app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await api.GetAsync($"/api/v1/requests/{request.TrackingNumber}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var responseDue = json.RootElement.GetProperty("clocks").GetProperty("responseDue");
        Assert.Equal("2026-04-28", responseDue.GetProperty("date").GetString());
        Assert.Contains("Patriots' Day", responseDue.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        // The same dates as the clocks endpoint, queue and status page: the agreed date governs production.
        var clocksJson = json.RootElement.GetProperty("clocks");
        Assert.Equal("2026-05-19", clocksJson.GetProperty("productionDue").GetProperty("date").GetString());
        Assert.Equal("2026-06-30", clocksJson.GetProperty("agreedProductionDate").GetProperty("date").GetString());
        Assert.Equal("2026-06-30", clocksJson.GetProperty("governingProductionDue").GetProperty("date").GetString());
        using var stored = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/requests/{request.TrackingNumber}/clocks"));
        Assert.Equal(stored.RootElement.GetProperty("nextDue").GetString(), clocksJson.GetProperty("nextDue").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/requests/{request.TrackingNumber}/timeline")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/v1/requests/PRR-1999-9999")).StatusCode);
        browser.Dispose();
    }

    [Fact]
    public async Task Api_RefusesNoToken_ACookie_ACounselToken_AndARevokedToken()
    {
        using var anonymous = _app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/requests")).StatusCode);

        var (officerBrowser, officerToken) = await TokenForAsync(Roles.RecordsOfficer);
        // A signed-in browser's cookie is not an API credential.
        Assert.Equal(HttpStatusCode.Unauthorized, (await officerBrowser.GetAsync("/api/v1/requests")).StatusCode);

        var (counselBrowser, counselToken) = await TokenForAsync(Roles.Counsel);
        using var counselApi = _app.CreateClient();
        counselApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", counselToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await counselApi.GetAsync("/api/v1/requests")).StatusCode);

        using var officerApi = _app.CreateClient();
        officerApi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", officerToken);
        Assert.Equal(HttpStatusCode.OK, (await officerApi.GetAsync("/api/v1/requests")).StatusCode);
        var tokensPage = await officerBrowser.GetStringAsync("/account/tokens");
        var id = Regex.Match(tokensPage, "name=\"id\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        await WebSession.PostFormAsync(officerBrowser, "/account/tokens?handler=Revoke", new() { ["id"] = id });
        Assert.Equal(HttpStatusCode.Unauthorized, (await officerApi.GetAsync("/api/v1/requests")).StatusCode);

        officerBrowser.Dispose();
        counselBrowser.Dispose();
    }

    [Fact]
    public async Task OpenApiDescription_ListsTheEndpoints()
    {
        using var client = _app.CreateClient();
        var description = await client.GetStringAsync("/api/openapi/v1.json");
        Assert.Contains("/api/v1/requests/{trackingNumber}", description, StringComparison.Ordinal);
    }
}
