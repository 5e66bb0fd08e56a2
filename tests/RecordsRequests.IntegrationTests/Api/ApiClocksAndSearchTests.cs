using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Api;

[Collection(Lanes.StaffPages)]
public sealed class ApiClocksAndSearchTests(TestDatabase database) : IAsyncLifetime
{
    private readonly ArchiveFixture _mail = new();
    private readonly List<HttpClient> _clients = [];
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        _mail.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(HttpClient Api, string Email)> ApiClientForAsync(string role)
    {
        var browser = _app.CreateClient();
        _clients.Add(browser);
        var email = await WebSession.CreateStaffAsync(_app, role);
        await WebSession.SignInAsync(browser, email);
        var page = await WebSession.PostFormAsync(browser, "/account/tokens?handler=Create", new() { ["name"] = "api test" });
        var token = Regex.Match(await page.Content.ReadAsStringAsync(), "id=\"new-token\">([^<]+)<").Groups[1].Value;
        var api = _app.CreateClient();
        _clients.Add(api);
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (api, email);
    }

    [Fact]
    public async Task OfficerToken_ReadsTheStoredClocksWithTheirExplanations()
    {
        Request request;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "clocks@example.org", Description = "for the clocks API" }, RequestChannel.Email, CitedLaw.None, CancellationToken.None,
                new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero));
        }
        var (officer, _) = await ApiClientForAsync(Roles.RecordsOfficer);

        var response = await officer.GetAsync($"/api/v1/requests/{request.TrackingNumber}/clocks");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var clocks = json.RootElement.GetProperty("clocks").EnumerateArray().ToList();
        var responseDue = Assert.Single(clocks, c => c.GetProperty("kind").GetString() == "ResponseDue");
        Assert.Equal("2026-04-28", responseDue.GetProperty("due").GetString());
        Assert.Contains("Patriots' Day", responseDue.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-04-28", json.RootElement.GetProperty("nextDue").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/api/v1/requests/PRR-1999-9999/clocks")).StatusCode);
    }

    [Fact]
    public async Task OfficerToken_SearchesTheArchive_AndEverySearchIsAudited()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(_mail.Principal, _mail.PrincipalCustodian, null, CancellationToken.None);
        }
        var (officer, email) = await ApiClientForAsync(Roles.RecordsOfficer);
        var text = $"\"bus transportation contract\" AND {_mail.Token}";

        var response = await officer.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(text)}&sort=NewestFirst");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, json.RootElement.GetProperty("totalHits").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("hits").EnumerateArray(),
            h => h.GetProperty("subject").GetString() == $"FY25 budget draft {_mail.Token}");
        var malformed = await officer.GetAsync($"/api/v1/search?q={Uri.EscapeDataString("\"unclosed AND " + _mail.Token)}");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);

        await using var check = _app.Services.CreateAsyncScope();
        var searches = await check.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(a => a.Action == ArchiveAudit.Searched && a.Actor == email).ToListAsync();
        Assert.Equal(2, searches.Count);
        Assert.Contains(searches, s => s.After!.RootElement.GetProperty("query").GetString() == text && s.After.RootElement.GetProperty("hits").GetInt32() == 2);
    }

    [Fact]
    public async Task OpenApiDescription_ListsClocksAndSearch()
    {
        using var client = _app.CreateClient();
        var description = await client.GetStringAsync("/api/openapi/v1.json");
        Assert.Contains("/api/v1/requests/{trackingNumber}/clocks", description, StringComparison.Ordinal);
        Assert.Contains("/api/v1/search", description, StringComparison.Ordinal);
    }
}
