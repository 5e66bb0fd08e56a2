using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Reports;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Reports;

/// <summary>
/// Known requests in 2019 on a database emptied before each test (so every figure is exact):
/// A received Mon 2019-03-04, acknowledged the same day (not a response), answered by e-mail Thu 03-07 (3 business days),
/// released Mon 03-18 (10 business days), closed 04-02. B received Fri 03-15, written response recorded for Fri 03-22
/// (5 business days; a later e-mail 03-25 does not count), responded 03-22. C received Mon 04-01, never answered: its
/// day-10 date (Tue 04-16, after Patriots' Day) has passed, so it is late and overdue.
/// </summary>
[Collection(Lanes.Archive)]
public sealed class ReportsTests(TestDatabase database) : IAsyncLifetime
{
    private readonly TestDatabase _database = database;

    public Task InitializeAsync() => _database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset At(int month, int day) => new(2019, month, day, 15, 0, 0, TimeSpan.Zero);

    internal static async Task<Request> SeedRequestAsync(IServiceProvider services, string email, DateTimeOffset receivedAt, CitedLaw law = CitedLaw.MassachusettsPublicRecordsLaw)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var request = Request.Receive(Requester.Create(null, email, null), "minutes of the school committee", RequestChannel.Email, law, receivedAt);
        var year = receivedAt.Year;
        await using var transaction = await db.Database.BeginTransactionAsync();
        request.AssignTrackingNumber(year, await TrackingNumbers.NextSequenceAsync(db, year, CancellationToken.None));
        db.Requests.Add(request);
        await scope.ServiceProvider.GetRequiredService<RequestClockUpdater>().RecomputeAsync(request, CancellationToken.None);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return request;
    }

    private async Task SeedAsync(IServiceProvider services)
    {
        var a = await SeedRequestAsync(services, "a@example.org", At(3, 4));
        var b = await SeedRequestAsync(services, "b@example.org", At(3, 15));
        await SeedRequestAsync(services, "c@example.org", At(4, 1));
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(OutboundEmail.Queue(a.Id, MailKind.Acknowledgement, "a@example.org", null, "received", "text", At(3, 4), "district.example", $"ack-{a.Id}"));
        db.Add(OutboundEmail.Queue(a.Id, MailKind.Response, "a@example.org", null, "answer", "text", At(3, 7), "district.example"));
        // A question back and a kind no report knows of are not the district's written response (G.L. c.66 §10(b)).
        db.Add(OutboundEmail.Queue(a.Id, MailKind.Clarification, "a@example.org", null, "which years?", "text", At(3, 5), "district.example"));
        db.Add(OutboundEmail.Queue(a.Id, MailKind.ReceiptCorrected, "a@example.org", null, "corrected dates", "text", At(3, 5), "district.example"));
        db.Add(OutboundEmail.Queue(a.Id, MailKind.Reminder, "officer@district.example", null, "reminder", "text", At(3, 5), "district.example"));
        db.Add(Release.Create(a.Id, $"hash-{a.Id}", "fingerprint", "officer", At(3, 18)));
        db.Add(OutboundEmail.Queue(b.Id, MailKind.Response, "b@example.org", null, "later e-mail", "text", At(3, 25), "district.example"));
        var input = RequestClockInput.For(b.Id);
        input.RecordWrittenResponse(new DateOnly(2019, 3, 22));
        db.Add(input);
        var trackedA = await db.Requests.SingleAsync(r => r.Id == a.Id);
        trackedA.MoveTo(RequestStatus.InTriage, At(3, 5));
        trackedA.MoveTo(RequestStatus.Responded, At(3, 7));
        trackedA.MoveTo(RequestStatus.Closed, At(4, 2));
        var trackedB = await db.Requests.SingleAsync(r => r.Id == b.Id);
        trackedB.MoveTo(RequestStatus.InTriage, At(3, 18));
        trackedB.MoveTo(RequestStatus.Responded, At(3, 22));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task Reports_KnownRequests_GiveExactMonthlyFiguresMediansAndOverdueCounts()
    {
        await using var services = _database.BuildServices();
        await SeedAsync(services);
        await using var scope = services.CreateAsyncScope();

        var report = await scope.ServiceProvider.GetRequiredService<RequestReports>().BuildAsync(CancellationToken.None);

        Assert.Equal(
            [
                new MonthRow("2019-03", Opened: 2, Closed: 1, FirstResponses: 2, MedianBusinessDaysToFirstResponse: 4m, LateFirstResponses: 0, Released: 1, MedianBusinessDaysToRelease: 10m),
                new MonthRow("2019-04", Opened: 1, Closed: 1, FirstResponses: 0, MedianBusinessDaysToFirstResponse: null, LateFirstResponses: 1, Released: 0, MedianBusinessDaysToRelease: null),
            ],
            report.Months);
        Assert.Equal(4m, report.MedianBusinessDaysToFirstResponse);
        Assert.Equal(10m, report.MedianBusinessDaysToRelease);
        var responseDue = Assert.Single(report.Overdue);
        Assert.Equal(new OverdueRow(ClockKind.ResponseDue, ClockDisplay.Name(ClockKind.ResponseDue), Open: 1, Overdue: 1), responseDue);
        Assert.Equal(1, report.OpenOverdue);
    }

    [Fact]
    public void Median_OfAnEvenCount_IsTheMeanOfTheMiddleTwo_AndBusinessDaysSkipPatriotsDay()
    {
        Assert.Equal(4.5m, RequestReports.Median([9, 1, 4, 5]));
        Assert.Null(RequestReports.Median([]));
        // Fri 2019-04-12 to Tue 04-16: the weekend and Patriots' Day (Mon 04-15) do not count.
        Assert.Equal(1, RequestReports.BusinessDaysBetween(new BusinessCalendar(), new DateOnly(2019, 4, 12), new DateOnly(2019, 4, 16)));
        Assert.Equal("\"a, \"\"quoted\"\"\r\nline\"", RequestReports.Field("a, \"quoted\"\r\nline"));
    }

    [Fact]
    public async Task ReportsPage_ShowsTheFiguresToAnOfficer_ExportsCsv_AndRefusesCounsel()
    {
        await using (var services = _database.BuildServices())
        {
            await SeedAsync(services);
        }
        await using var app = await TestApp.StartAsync(_database);
        using var officer = app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(app, Roles.RecordsOfficer));

        var page = await officer.GetStringAsync("/reports");
        Assert.Contains("<th scope=\"row\">2019-03</th><td>2</td><td>1</td><td>2</td>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"median-first-response\">4<", page, StringComparison.Ordinal);
        Assert.Contains("id=\"median-release\">10<", page, StringComparison.Ordinal);
        Assert.Contains("First response", page, StringComparison.Ordinal);

        var csv = await officer.GetAsync("/reports/monthly.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", csv.Content.Headers.ContentDisposition!.DispositionType);
        Assert.EndsWith(".csv", csv.Content.Headers.ContentDisposition.FileName!.Trim('"'), StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("month,opened,closed,first_responses,median_business_days_to_first_response,late_first_responses,released,median_business_days_to_release", lines[0].TrimStart('\uFEFF'));
        Assert.Equal("2019-03,2,1,2,4,0,1,10", lines[1]);
        Assert.Equal("2019-04,1,1,0,,1,0,", lines[2]);

        var overdue = await officer.GetStringAsync("/reports/overdue.csv");
        Assert.Equal($"next_clock,open_requests,overdue\r\n{RequestReports.Field(ClockDisplay.Name(ClockKind.ResponseDue))},1,1\r\n", overdue.TrimStart('\uFEFF'));
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/reports/secrets.csv")).StatusCode);

        using var counsel = app.CreateClient();
        await WebSession.SignInAsync(counsel, await WebSession.CreateStaffAsync(app, Roles.Counsel));
        var refused = await counsel.GetAsync("/reports/monthly.csv");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        using var anonymous = app.CreateClient();
        Assert.StartsWith("/account/sign-in", (await anonymous.GetAsync("/reports")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
