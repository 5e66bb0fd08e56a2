using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workspace;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Intake;

namespace RecordsRequests.IntegrationTests.Requests;

/// <summary>
/// A forwarded request reached the district before it was uploaded: the officer corrects the receipt with a reason; the
/// change is audited, every clock counts from the corrected day, and the requester is sent the corrected dates.
/// </summary>
[Collection(Lanes.CasePages)]
public sealed class ReceiptCorrectionTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CorrectingTheReceipt_RecomputesEveryClock_AuditsTheReason_AndTellsTheRequester()
    {
        Request request;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Name = "Robin Requester", Email = "robin@example.org", Description = "Cafeteria contracts" },
                RequestChannel.Email, CitedLaw.None, CancellationToken.None);
        }
        var dueBefore = await ResponseDueAsync(request.Id);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        var path = $"/requests/{request.TrackingNumber}/clocks";

        var refused = await WebSession.PostFormAsync(officer, $"{path}?handler=Receipt", new() { ["CorrectedReceipt"] = "2026-01-05T09:30", ["ReceiptReason"] = "" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Say why the receipt changes", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A Monday, 09:30 in Boston (14:30 UTC): day 10 is two weeks later, Tuesday January 20 (Martin Luther King Jr. Day is the 19th).
        var corrected = await WebSession.PostFormAsync(officer, $"{path}?handler=Receipt",
            new() { ["CorrectedReceipt"] = "2026-01-05T09:30", ["ReceiptReason"] = "Forwarded by the principal's office; it reached them on January 5." });
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);

        await using var check = _app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var saved = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 30, 0, TimeSpan.Zero), saved.ReceivedAt);
        var dueAfter = await ResponseDueAsync(request.Id);
        Assert.NotEqual(dueBefore, dueAfter);
        Assert.Equal(new DateOnly(2026, 1, 20), dueAfter);
        var audit = await db.AuditEvents.AsNoTracking().SingleAsync(a => a.RequestId == request.Id && a.Action == ClocksModel.ReceiptCorrected);
        Assert.Contains("principal's office", audit.After!.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        var letter = await db.Set<OutboundEmail>().AsNoTracking().SingleAsync(m => m.RequestId == request.Id && m.Kind == MailKind.ReceiptCorrected);
        Assert.Contains("Tuesday, January 20, 2026", letter.BodyText, StringComparison.Ordinal);
        Assert.Contains("Dear Robin Requester,", letter.BodyText, StringComparison.Ordinal);
        var page = WebUtility.HtmlDecode(await officer.GetStringAsync($"/requests/{request.TrackingNumber}"));
        Assert.Contains("Receipt corrected: ", page, StringComparison.Ordinal);
        Assert.Contains("2026-01-05 09:30 EST", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUploadedForward_ProposesTheOriginalMessagesDateAsTheReceipt()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var forward = IntakeTestMail.NewRequest("Pat Principal <principal@elsewhere.example>", $"Fwd: Bus contracts {run}",
            "Please handle this one.\n\n---------- Forwarded message ---------\nFrom: A Parent <parent-" + run + "@example.org>\n"
            + "Date: Wed, Apr 15, 2026 at 7:02 PM\nSubject: Bus contracts\nTo: <principal@elsewhere.example>\n\nUnder c.66 please send the 2025 bus contracts.");
        IntakeResult opened;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            opened = await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(forward, IntakeSource.Upload, "forward.eml", CancellationToken.None);
        }
        Assert.NotNull(opened.TrackingNumber);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));

        var page = WebUtility.HtmlDecode(await officer.GetStringAsync($"/requests/{opened.TrackingNumber}/clocks"));

        // 7:02 PM in Boston on April 15, 2026 (daylight time), proposed in the form for the officer to confirm.
        Assert.Contains("the original was sent on 2026-04-15 19:02 EDT", page, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-04-15T19:02\"", page, StringComparison.Ordinal);
        var corrected = await WebSession.PostFormAsync(officer, $"/requests/{opened.TrackingNumber}/clocks?handler=Receipt",
            new() { ["CorrectedReceipt"] = "2026-04-15T19:02", ["ReceiptReason"] = "Forwarded by the principal; the parent wrote on April 15." });
        Assert.Equal(HttpStatusCode.Redirect, corrected.StatusCode);
        // Once recorded, nothing is proposed any more.
        Assert.DoesNotContain("id=\"receipt-proposal\"", await officer.GetStringAsync($"/requests/{opened.TrackingNumber}/clocks"), StringComparison.Ordinal);
    }

    private async Task<DateOnly> ResponseDueAsync(Guid requestId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<RequestClock>()
            .Where(c => c.RequestId == requestId && c.Kind == ClockKind.ResponseDue).Select(c => c.DueDate).SingleAsync();
    }
}
