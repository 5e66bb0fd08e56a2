using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Deadlines;

[Collection(Lanes.CasePages)]
public class ClockPagesTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task HangfireDashboard_IsForAdminsOnly()
    {
        using var anonymous = _app.CreateClient();
        var response = await anonymous.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        response = await officer.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var admin = await SignedInAsync(Roles.Admin);
        response = await admin.GetAsync("/hangfire/recurring");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The web host registered the one recurring reminder sweep.
        Assert.Contains(ReminderSweep.JobId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/closures")]
    [InlineData("/admin/regimes")]
    public async Task AdminPages_TurnAwayOfficers(string path)
    {
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var response = await officer.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingAClosureDay_RecomputesTheClocksOfARequestInFlight_AndTheRequestPageExplainsIt()
    {
        // Received Wednesday Feb 3, 2027 at 10:00 in Boston: deemed received that day, day 10 Feb 18 (Presidents' Day Feb 15 skipped).
        var request = await ReceiveAsync(new DateTimeOffset(2027, 2, 3, 15, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2027, 2, 18), await StoredAsync(request, ClockKind.ResponseDue));

        using var admin = await SignedInAsync(Roles.Admin);
        var posted = await WebSession.PostFormAsync(admin, "/admin/closures?handler=Add", new() { ["Form.Date"] = "2027-02-03", ["Form.Reason"] = "snow day" });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        // Closed on the day of receipt: deemed received Thursday Feb 4, so day 10 moves to Feb 19.
        Assert.Equal(new DateOnly(2027, 2, 4), await StoredAsync(request, ClockKind.DeemedReceived));
        Assert.Equal(new DateOnly(2027, 2, 19), await StoredAsync(request, ClockKind.ResponseDue));
        var details = WebUtility.HtmlDecode(await admin.GetStringAsync($"/requests/{request.TrackingNumber}"));
        Assert.Contains("District closed: snow day", details, StringComparison.Ordinal);
        Assert.Contains("Washington's Birthday", details, StringComparison.Ordinal);
        Assert.Contains("Written response due (day 10)", details, StringComparison.Ordinal);
        Assert.Contains("Requester's appeal window ends", details, StringComparison.Ordinal);

        var closures = await admin.GetStringAsync("/admin/closures");
        Assert.Contains("snow day", closures, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EditingARegime_RecomputesClocks_AndIsAudited()
    {
        var request = await ReceiveAsync(new DateTimeOffset(2027, 3, 1, 15, 0, 0, TimeSpan.Zero));
        var before = await StoredAsync(request, ClockKind.ProductionDue);
        using var admin = await SignedInAsync(Roles.Admin);
        try
        {
            var posted = await WebSession.PostFormAsync(admin, "/admin/regimes", new()
            {
                ["Form.Name"] = "municipal", ["Form.Unit"] = "BusinessDays", ["Form.ResponseDays"] = "10", ["Form.PetitionDays"] = "20",
                ["Form.ProductionDays"] = "26", ["Form.MaxSupervisorExtensionDays"] = "30", ["Form.Citation"] = "G.L. c.66 §10(b)-(c) (test)",
            });
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
            Assert.Equal(before.AddDays(1), await StoredAsync(request, ClockKind.ProductionDue)); // Mar 1, 2027 + 25 business days is a Monday; 26 is Tuesday
            Assert.True(await database.ScalarAsync("SELECT count(*) FROM audit_events WHERE entity_type = 'RegimeSetting'") > 0);
        }
        finally
        {
            await WebSession.PostFormAsync(admin, "/admin/regimes", new()
            {
                ["Form.Name"] = "municipal", ["Form.Unit"] = "BusinessDays", ["Form.ResponseDays"] = "10", ["Form.PetitionDays"] = "20",
                ["Form.ProductionDays"] = "25", ["Form.MaxSupervisorExtensionDays"] = "30", ["Form.Citation"] = StatutoryRegime.Municipal.Citation,
            });
        }
        Assert.Equal(before, await StoredAsync(request, ClockKind.ProductionDue));
    }

    [Fact]
    public async Task Queue_IsSortedByTheNextDueDate_AndMarksOverdueInText()
    {
        var today = DateTimeOffset.UtcNow;
        var fresh = await ReceiveAsync(today);
        var old = await ReceiveAsync(today.AddDays(-40));
        using var officer = await SignedInAsync(Roles.RecordsOfficer);

        var queue = await officer.GetStringAsync("/dashboard");

        var oldAt = queue.IndexOf(old.TrackingNumber, StringComparison.Ordinal);
        var freshAt = queue.IndexOf(fresh.TrackingNumber, StringComparison.Ordinal);
        Assert.True(oldAt >= 0 && freshAt > oldAt, "the overdue request should come before the fresh one");
        var oldRow = queue[queue.LastIndexOf("<tr", oldAt, StringComparison.Ordinal)..queue.IndexOf("</tr>", oldAt, StringComparison.Ordinal)];
        Assert.Contains("class=\"overdue\"", oldRow, StringComparison.Ordinal);
        Assert.Contains(">Overdue<", oldRow, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Officer_RecordsAnExtension_AndTheRequestShowsTheExtendedDate()
    {
        // Saturday April 11, 2026: day 25 May 19; 30 more business days end Thursday July 2 (Memorial Day and Juneteenth skipped).
        var request = await ReceiveAsync(new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero));
        using var officer = await SignedInAsync(Roles.RecordsOfficer);
        var posted = await WebSession.PostFormAsync(officer, $"/requests/{request.TrackingNumber}/clocks?handler=Extension", new()
        {
            ["ExtensionBusinessDays"] = "30", ["ExtensionGrantedOn"] = "2026-05-08", ["ExtensionReference"] = "SPR26/0100",
        });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(new DateOnly(2026, 7, 2), await StoredAsync(request, ClockKind.ExtendedProductionDue));

        var refused = await WebSession.PostFormAsync(officer, $"/requests/{request.TrackingNumber}/clocks?handler=Extension", new()
        {
            ["ExtensionBusinessDays"] = "45", ["ExtensionGrantedOn"] = "2026-05-08",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("1 to 30 business days", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2026, 7, 2), await StoredAsync(request, ClockKind.ExtendedProductionDue));
    }

    [Fact]
    public async Task FeeEstimate_IsZero_WhenDay10HasPassedWithoutAResponse_AndIsStored()
    {
        var request = await ReceiveAsync(new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero));
        await using var scope = _app.Services.CreateAsyncScope();
        var estimate = await scope.ServiceProvider.GetRequiredService<FeeEstimates>()
            .EstimateAsync(request.Id, new FeeInput(PaperPages: 100, SearchHours: 5m), CancellationToken.None);
        Assert.True(estimate.ResponseWasLate);
        Assert.Equal(0m, estimate.Total);
        Assert.Equal(80.00m, estimate.Subtotal);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM fee_estimates WHERE request_id = '{request.Id}'"));
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, role));
        return client;
    }

    private async Task<Request> ReceiveAsync(DateTimeOffset receivedAt)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "Bus contracts" },
            RequestChannel.Email, CitedLaw.MassachusettsPublicRecordsLaw, CancellationToken.None, receivedAt);
    }

    private async Task<DateOnly> StoredAsync(Request request, ClockKind clock)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RequestClock>().AsNoTracking()
            .Where(c => c.RequestId == request.Id && c.Kind == clock).Select(c => c.DueDate).SingleAsync();
    }
}
