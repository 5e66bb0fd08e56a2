using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Shared;
using RecordsRequests.Features.Status;
using RecordsRequests.Hosting;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Status;

/// <summary>The requester's status page over HTTP: how the link is handed out, what the page shows, what it never reaches.</summary>
[Collection(Lanes.StaffPages)]
public sealed partial class StatusPageTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PostalOnlyRequester_GetsTheLinkOnTheConfirmationPage_AndItShowsDatesWhyAndTheOfficersNameOnly()
    {
        using var requester = _app.CreateClient();
        var description = $"Bus contracts {Guid.NewGuid():N}";
        var posted = await WebSession.PostFormAsync(requester, "/submit", new() { ["Input.PostalAddress"] = "1 Main St, Lowell MA", ["Input.Description"] = description });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var confirmation = await requester.GetStringAsync("/submit");
        var link = StatusLink().Match(confirmation);
        Assert.True(link.Success, confirmation);
        // Shown once: a refresh of the confirmation page no longer carries it.
        Assert.DoesNotMatch(StatusLink(), await requester.GetStringAsync("/submit"));

        var request = await Query(db => db.Requests.SingleAsync(r => r.Description == description));
        var officerEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        // The request's lifecycle (the app's workflow worker) may change its row between the read and the save: then the
        // save is refused (the row's version) and the assignment is made again on the row as it is now.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Use(async db =>
                {
                    var officer = await db.Set<StaffUser>().SingleAsync(u => u.Email == officerEmail);
                    officer.DisplayName = "Dana Whitfield";
                    (await db.Requests.SingleAsync(r => r.Id == request.Id)).AssignTo(officer.Id);
                    await db.SaveChangesAsync();
                });
                break;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }

        using var anonymous = _app.CreateClient();
        var response = await anonymous.GetAsync(link.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains(request.TrackingNumber, page, StringComparison.Ordinal);
        Assert.Contains(description, page, StringComparison.Ordinal);
        var responseDue = await Query(db => db.Set<Features.Deadlines.RequestClock>()
            .SingleAsync(c => c.RequestId == request.Id && c.Kind == Features.Deadlines.ClockKind.ResponseDue));
        var text = Regex.Replace(page, "<[^>]+>", "");
        Assert.True(text.Contains($"We must respond in writing by {responseDue.DueDate.ToString("ddd yyyy-MM-dd", System.Globalization.CultureInfo.GetCultureInfo("en-US"))}: 10 business days after receipt, G.L. c.66 §10(a)-(b)",
            StringComparison.Ordinal), text);
        Assert.Contains("Dana Whitfield, Records Access Officer", page, StringComparison.Ordinal);
        Assert.DoesNotContain(officerEmail, page, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("aria-current=\"step\"", page, StringComparison.Ordinal);
        Assert.Contains("Nothing has been released yet.", page, StringComparison.Ordinal);
        // No e-mail address, so nothing was queued: the confirmation page was the only way to the link.
        Assert.False(await Query(db => db.Set<OutboundEmail>().AnyAsync(m => m.RequestId == request.Id)));
        Assert.Equal(1, await Query(db => db.Set<Features.Status.StatusLink>().CountAsync(l => l.RequestId == request.Id)));
    }

    [Fact]
    public async Task Acknowledgement_CarriesAStatusLinkThatOpensTheRequestsPage()
    {
        Guid requestId;
        string tracking;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "parent@example.org", Description = "Field trip permission forms" }, RequestChannel.Email, CitedLaw.None, default);
            (requestId, tracking) = (request.Id, request.TrackingNumber);
        }
        // The lifecycle's acknowledge step, run by the app's workflow worker, queues it; the app's dispatcher delivers it.
        var body = await SentMail.TextAsync(_app.Services, m => m.IdempotencyKey == $"acknowledgement:{requestId}");
        var baseUrl = _app.Services.GetRequiredService<IOptions<RecordsOptions>>().Value.PublicBaseUrl.TrimEnd('/');
        var link = Regex.Match(body, Regex.Escape(baseUrl) + @"(/status/[A-Za-z0-9_-]{43})\r?\n");
        Assert.True(link.Success, body);

        using var anonymous = _app.CreateClient();
        var page = await anonymous.GetStringAsync(link.Groups[1].Value);
        Assert.Contains(tracking, page, StringComparison.Ordinal);

        // Every copy the district keeps of the sent mail has the link masked: the timeline's, the outbox row's, the audit trail's.
        var token = link.Groups[1].Value["/status/".Length..];
        Assert.True(await Query(db => db.Messages.AnyAsync(m => m.RequestId == requestId && m.Direction == MessageDirection.Outbound
            && m.BodyText.Contains(PrivateLinks.Masked))));
        Assert.False(await Query(db => db.Messages.AnyAsync(m => m.RequestId == requestId && m.BodyText.Contains(token))));
        Assert.All(await Query(db => db.Messages.Where(m => m.RequestId == requestId && m.Direction == MessageDirection.Outbound).Select(m => m.RawContent).ToListAsync()),
            raw => Assert.DoesNotContain(token, System.Text.Encoding.UTF8.GetString(raw), StringComparison.Ordinal));
        Assert.False(await Query(db => db.Set<OutboundEmail>().AnyAsync(m => m.RequestId == requestId && m.BodyText.Contains(token))));
        var trail = await Query(db => db.AuditEvents.Where(a => a.RequestId == requestId).Select(a => new { a.Before, a.After }).ToListAsync());
        Assert.DoesNotContain(trail, a => (a.Before?.RootElement.GetRawText() ?? "").Contains(token, StringComparison.Ordinal)
            || (a.After?.RootElement.GetRawText() ?? "").Contains(token, StringComparison.Ordinal));
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer));
        var timeline = WebUtility.HtmlDecode(await officer.GetStringAsync($"/requests/{tracking}"));
        Assert.DoesNotContain(token, timeline, StringComparison.Ordinal);
        Assert.Contains(PrivateLinks.Masked, timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusLink_OfOneRequest_NeverReachesAnotherRequestsFilesOrMessages()
    {
        var (first, firstToken) = await RequestWithLinkAsync("first@example.org");
        var (second, secondToken) = await RequestWithLinkAsync("second@example.org");
        var secondFile = await ReleaseAsync(second, "Second request's redacted record");
        await Use(async db =>
        {
            db.Add(Message.Record(first, MessageDirection.Inbound, RequestChannel.Email, "About my request", "first@example.org", "records@district.example",
                "First requester's question", Encoding.UTF8.GetBytes("raw-1"), null, DateTimeOffset.UtcNow));
            db.Add(Message.Record(second, MessageDirection.Inbound, RequestChannel.Email, "Second", "second@example.org", "records@district.example",
                "Second requester's private question", Encoding.UTF8.GetBytes("raw-2"), null, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        });
        using var anonymous = _app.CreateClient();

        var firstPage = await anonymous.GetStringAsync($"/status/{firstToken}");
        Assert.Contains("First requester&#x27;s question", firstPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Second requester", WebUtility.HtmlDecode(firstPage), StringComparison.Ordinal);
        Assert.DoesNotContain(secondFile.ToString(), firstPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/status/{firstToken}/files/{secondFile}")).StatusCode);

        var secondPage = await anonymous.GetStringAsync($"/status/{secondToken}");
        Assert.Contains($"/status/{secondToken}/files/{secondFile}", secondPage, StringComparison.Ordinal);
        var download = await anonymous.GetAsync($"/status/{secondToken}/files/{secondFile}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("Second request's redacted record", await download.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/status/{firstToken[..^1]}x")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/status/short")).StatusCode);
        // A mistyped link shows the district's page, which says how to get a working link, not the browser's bare 404.
        var mistyped = await anonymous.GetAsync($"/status/{firstToken[..^1]}x");
        var help = WebUtility.HtmlDecode(await mistyped.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, mistyped.StatusCode);
        Assert.Contains("We could not find that page", help, StringComparison.Ordinal);
        Assert.Contains("with your tracking number", help, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/status/{firstToken[..^1]}x/files/{secondFile}")).StatusCode);
        // Only the hash is stored: the token itself appears nowhere in the database.
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM status_links WHERE token_hash = '{firstToken}'"));
    }

    private async Task<(Guid RequestId, string Token)> RequestWithLinkAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = email, Description = "Minutes" }, RequestChannel.WebForm, CitedLaw.None, default);
        var token = scope.ServiceProvider.GetRequiredService<StatusLinks>().Issue(request.Id, "test");
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync();
        return (request.Id, token);
    }

    /// <summary>A release row as ReleaseProducer stores it, with one produced file.</summary>
    private async Task<Guid> ReleaseAsync(Guid requestId, string content)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ContentStore>().PutAsync(Encoding.UTF8.GetBytes(content), default);
        var release = Release.Create(requestId, Features.Shared.SecretLinkToken.Hash(Features.Shared.SecretLinkToken.Create()), new string('0', 64), "officer", DateTimeOffset.UtcNow);
        var file = ReleaseFile.Create("record.txt", "text/plain", stored.Sha256, stored.Length, ReleaseFileKind.Record);
        release.Files.Add(file);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(release);
        await db.SaveChangesAsync();
        return file.Id;
    }

    private async Task<T> Query<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private async Task Use(Func<AppDbContext, Task> action)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [GeneratedRegex("id=\"status-link\" href=\"(/status/[A-Za-z0-9_-]{43})\"")]
    private static partial Regex StatusLink();
}
