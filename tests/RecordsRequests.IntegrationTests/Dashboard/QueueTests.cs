using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Dashboard;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Reports;

namespace RecordsRequests.IntegrationTests.Dashboard;

/// <summary>The officers' queue on a database emptied before each test, so its counts are exact.</summary>
[Collection(Lanes.Archive)]
public sealed partial class QueueTests(TestDatabase database) : IAsyncLifetime
{
    private readonly TestDatabase _database = database;

    public Task InitializeAsync() => _database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Queue_FiltersCountsChartAndAssignment_WorkForAnOfficer()
    {
        Request overdue, fresh, closed;
        await using (var services = _database.BuildServices())
        {
            overdue = await ReportsTests.SeedRequestAsync(services, "old@example.org", DateTimeOffset.UtcNow.AddDays(-100));
            fresh = await ReportsTests.SeedRequestAsync(services, "new@example.org", DateTimeOffset.UtcNow.AddDays(-1), CitedLaw.FederalFoia);
            closed = await ReportsTests.SeedRequestAsync(services, "done@example.org", DateTimeOffset.UtcNow.AddDays(-200));
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var tracked = await db.Requests.SingleAsync(r => r.Id == closed.Id);
            tracked.MoveTo(RequestStatus.InTriage, DateTimeOffset.UtcNow);
            tracked.MoveTo(RequestStatus.NotARequest, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        await using var app = await TestApp.StartAsync(_database);
        using var officer = app.CreateClient();
        var officerEmail = await WebSession.CreateStaffAsync(app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(officer, officerEmail);

        var queue = await officer.GetStringAsync("/dashboard");
        Assert.Contains("id=\"count-open\" href=\"/dashboard\"><strong>2</strong>", queue, StringComparison.Ordinal);
        Assert.Contains("<strong>1</strong> overdue", queue, StringComparison.Ordinal);
        Assert.Contains("<strong>2</strong> open and unassigned", queue, StringComparison.Ordinal);
        Assert.Contains("data-status=\"NotARequest\">1<", queue, StringComparison.Ordinal);
        // The overdue request comes first; the closed one is not in the open queue.
        Assert.True(queue.IndexOf(overdue.TrackingNumber, StringComparison.Ordinal) < queue.IndexOf(fresh.TrackingNumber, StringComparison.Ordinal));
        Assert.DoesNotContain(closed.TrackingNumber, queue, StringComparison.Ordinal);
        // The age chart is SVG geometry with a table equivalent, and nothing the CSP would block.
        Assert.Contains("<rect class=\"age-bar", queue, StringComparison.Ordinal);
        Assert.Contains("7 days</th><td>1</td></tr>", queue, StringComparison.Ordinal);
        Assert.Contains("<tr><th scope=\"row\">Over 90 days</th><td>1</td></tr>", queue, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", queue, StringComparison.Ordinal);

        var overdueOnly = await officer.GetStringAsync("/dashboard?due=overdue");
        Assert.Contains(overdue.TrackingNumber, overdueOnly, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh.TrackingNumber, overdueOnly, StringComparison.Ordinal);
        var foia = await officer.GetStringAsync("/dashboard?law=FederalFoia");
        Assert.Contains(fresh.TrackingNumber, foia, StringComparison.Ordinal);
        Assert.DoesNotContain(overdue.TrackingNumber, foia, StringComparison.Ordinal);
        var everything = await officer.GetStringAsync("/dashboard?status=all");
        Assert.Contains(closed.TrackingNumber, everything, StringComparison.Ordinal);
        Assert.Contains("id=\"matching\">3 matching", everything, StringComparison.Ordinal);

        // Assign the overdue request to this officer from the request page.
        var details = await officer.GetStringAsync($"/requests/{overdue.TrackingNumber}");
        var officerId = OfficerOption().Matches(details).Single(m => m.Groups[2].Value.Contains(officerEmail, StringComparison.Ordinal)).Groups[1].Value;
        var assigned = await WebSession.PostFormAsync(officer, $"/requests/{overdue.TrackingNumber}?handler=Assign", new() { ["officerId"] = officerId });
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Contains($"id=\"assigned-officer\">{WebUtility.HtmlEncode(OfficerDirectory.NameOf(Roles.RecordsOfficer, officerEmail))}<",
            await officer.GetStringAsync($"/requests/{overdue.TrackingNumber}"), StringComparison.Ordinal);
        var mine = await officer.GetStringAsync("/dashboard?assignee=mine");
        Assert.Contains(overdue.TrackingNumber, mine, StringComparison.Ordinal);
        Assert.DoesNotContain(fresh.TrackingNumber, mine, StringComparison.Ordinal);
        var unassigned = await officer.GetStringAsync("/dashboard?assignee=unassigned");
        Assert.Contains(fresh.TrackingNumber, unassigned, StringComparison.Ordinal);
        Assert.DoesNotContain(overdue.TrackingNumber, unassigned, StringComparison.Ordinal);

        // The assignment is in the audit trail, by the officer who made it.
        await using var check = _database.BuildServices();
        await using var checkScope = check.CreateAsyncScope();
        var audit = await checkScope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(a => a.RequestId == overdue.Id && a.Action == "Request.Updated").ToListAsync();
        var change = Assert.Single(audit, a => a.After!.RootElement.TryGetProperty("AssignedOfficerId", out var value) && value.GetString() == officerId);
        Assert.Equal(officerEmail, change.Actor);

        // Only staff who may work requests can be assigned.
        var refused = await WebSession.PostFormAsync(officer, $"/requests/{overdue.TrackingNumber}?handler=Assign", new() { ["officerId"] = "not-an-officer" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Fact]
    public async Task RequestPage_OfficerAddedByAnAdmin_IsOfferedAtOnce()
    {
        Request request;
        await using (var services = _database.BuildServices())
        {
            request = await ReportsTests.SeedRequestAsync(services, "someone@example.org", DateTimeOffset.UtcNow.AddDays(-2));
        }
        await using var app = await TestApp.StartAsync(_database);
        using var officer = app.CreateClient();
        using var admin = app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(app, Roles.RecordsOfficer));
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(app, Roles.Admin));
        // This view fills the officer list the pages keep for a while.
        Assert.DoesNotContain("new.officer@example.org", await officer.GetStringAsync($"/requests/{request.TrackingNumber}"), StringComparison.Ordinal);

        var created = await WebSession.PostFormAsync(admin, "/admin/users?handler=Create", new()
        {
            ["displayName"] = "New Officer", ["email"] = "new.officer@example.org", ["roles"] = Roles.RecordsOfficer, ["password"] = "A-long-enough-password-1",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var details = await officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        Assert.Contains(OfficerOption().Matches(details), m => m.Groups[2].Value.Contains("new.officer@example.org", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queue_RequestsWithAndWithoutClocksOverTwoPages_NextDueThenReceivedOrderKept()
    {
        // More clocked requests than a page, several received each day (equal due dates, so receipt decides), and
        // unclocked requests received in between them in time: they must all follow every clocked one.
        var start = DateTimeOffset.UtcNow.AddDays(-40);
        Request closed;
        await using (var services = _database.BuildServices())
        {
            for (var i = 0; i < IndexModel.PageSize + 10; i++)
            {
                await ReportsTests.SeedRequestAsync(services, $"clocked{i}@example.org", start.AddDays(i / 4).AddMinutes(97 * (i % 4)));
            }
            for (var i = 0; i < 30; i++)
            {
                await SeedWithoutClocksAsync(services, $"unclocked{i}@example.org", start.AddDays(i).AddMinutes(45));
            }
            closed = await ReportsTests.SeedRequestAsync(services, "closed@example.org", start.AddMinutes(-5));
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var tracked = await db.Requests.SingleAsync(r => r.Id == closed.Id);
            tracked.MoveTo(RequestStatus.Withdrawn, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        }
        List<string> expected;
        await using (var services = _database.BuildServices())
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var open = await (
                    from r in db.Requests
                    where r.Status != RequestStatus.Withdrawn
                    join n in db.Set<RequestNextDue>() on r.Id equals n.RequestId
                    select new { r.TrackingNumber, r.ReceivedAt, n.DueDate })
                .ToListAsync();
            Assert.Equal(IndexModel.PageSize + 40, open.Count);
            Assert.Equal(30, open.Count(o => o.DueDate is null));
            Assert.True(open.Where(o => o.DueDate is not null).GroupBy(o => o.DueDate).Any(g => g.Count() > 1), "some due dates must tie");
            expected = open.OrderBy(o => o.DueDate is null).ThenBy(o => o.DueDate).ThenBy(o => o.ReceivedAt).Select(o => o.TrackingNumber).ToList();
        }

        await using var app = await TestApp.StartAsync(_database);
        using var officer = app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(app, Roles.RecordsOfficer));
        var first = await officer.GetStringAsync("/dashboard");
        var second = await officer.GetStringAsync("/dashboard?p=2");
        Assert.Contains("page 1 of 2", first, StringComparison.Ordinal);
        var listed = QueueRow().Matches(first).Concat(QueueRow().Matches(second)).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(expected, listed);
        Assert.DoesNotContain(closed.TrackingNumber, first + second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_SearchesSortsAssignsInBulkAndExportsTheView()
    {
        Request older, newer, other;
        await using (var services = _database.BuildServices())
        {
            older = await ReportsTests.SeedRequestAsync(services, "alex.press@example.org", DateTimeOffset.UtcNow.AddDays(-20));
            newer = await ReportsTests.SeedRequestAsync(services, "bea.parent@example.org", DateTimeOffset.UtcNow.AddDays(-2));
            other = await ReportsTests.SeedRequestAsync(services, "cy.lawyer@example.org", DateTimeOffset.UtcNow.AddDays(-5));
        }
        await using var app = await TestApp.StartAsync(_database);
        using var officer = app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(app, Roles.RecordsOfficer));

        // What was asked is a column; a search finds by requester, by words of the request and by tracking number.
        var all = await officer.GetStringAsync("/dashboard");
        Assert.Contains("<td class=\"ask\">minutes of the school committee</td>", all, StringComparison.Ordinal);
        var byRequester = await officer.GetStringAsync("/dashboard?q=bea.parent");
        Assert.Equal([newer.TrackingNumber], QueueRow().Matches(byRequester).Select(m => m.Groups[1].Value));
        Assert.Equal(3, QueueRow().Matches(await officer.GetStringAsync("/dashboard?q=school+committee")).Count);
        Assert.Equal([other.TrackingNumber], QueueRow().Matches(await officer.GetStringAsync($"/dashboard?q={other.TrackingNumber}")).Select(m => m.Groups[1].Value));

        // Sortable columns: newest received first, then the reverse.
        Assert.Equal([newer.TrackingNumber, other.TrackingNumber, older.TrackingNumber],
            QueueRow().Matches(await officer.GetStringAsync("/dashboard?sort=received&dir=desc")).Select(m => m.Groups[1].Value));
        Assert.Equal([older.TrackingNumber, other.TrackingNumber, newer.TrackingNumber],
            QueueRow().Matches(await officer.GetStringAsync("/dashboard?sort=received")).Select(m => m.Groups[1].Value));

        // Bulk: tick two and assign them to me; the page comes back to the same view and says so.
        var form = await officer.GetStringAsync("/dashboard?sort=received");
        var token = WebUtility.HtmlDecode(AntiforgeryToken().Match(form).Groups[1].Value);
        var assigned = await officer.PostAsync("/dashboard?handler=Assign", new FormUrlEncodedContent(
        [
            new("__RequestVerificationToken", token), new("selected", older.TrackingNumber), new("selected", newer.TrackingNumber),
            new("officerId", "me"), new("back", "/dashboard?sort=received"),
        ]));
        Assert.Equal(HttpStatusCode.Redirect, assigned.StatusCode);
        Assert.Equal("/dashboard?sort=received", assigned.Headers.Location!.OriginalString);
        var mine = await officer.GetStringAsync("/dashboard?assignee=mine");
        Assert.Contains("2 requests are assigned to you.", mine, StringComparison.Ordinal);
        Assert.Equal([older.TrackingNumber, newer.TrackingNumber], QueueRow().Matches(mine).Select(m => m.Groups[1].Value));

        // The current view as CSV, with the same filters.
        var csv = await officer.GetAsync("/dashboard?handler=Csv&assignee=mine");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Trim().Split('\n');
        Assert.StartsWith("tracking_number,received,next_due", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith(older.TrackingNumber, StringComparison.Ordinal) && l.Contains("\"minutes of the school committee\"", StringComparison.Ordinal));
    }

    /// <summary>A request saved without computing its clocks (as a batch import does): it still has its queue row.</summary>
    private static async Task SeedWithoutClocksAsync(IServiceProvider services, string email, DateTimeOffset receivedAt)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var request = Request.Receive(Requester.Create(null, email, null), "budget drafts", RequestChannel.WebForm, CitedLaw.None, receivedAt);
        await using var transaction = await db.Database.BeginTransactionAsync();
        request.AssignTrackingNumber(receivedAt.Year, await TrackingNumbers.NextSequenceAsync(db, receivedAt.Year, CancellationToken.None));
        db.Requests.Add(request);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    [GeneratedRegex("<td class=\"nowrap\"><a href=\"/requests/([^\"]+)\">")]
    private static partial Regex QueueRow();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<option value=\"([^\"]+)\"[^>]*>([^<]+)</option>")]
    private static partial Regex OfficerOption();
}
