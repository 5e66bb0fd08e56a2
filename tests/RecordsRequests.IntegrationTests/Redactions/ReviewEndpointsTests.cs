using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.IntegrationTests.Security;
using Record = RecordsRequests.Features.Records.Record;

namespace RecordsRequests.IntegrationTests.Redactions;

/// <summary>
/// What the review pages fetch besides themselves: the unredacted page pictures (staff who review only, through the
/// record's own request, never cached, audited without flooding) and the records page's progress (officers only, one
/// request's records, a failure with its reason).
/// </summary>
[Collection(Lanes.CasePages)]
public sealed class ReviewEndpointsTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PagePicture_ServedToOfficersAndCounsel_NotCached_AndAuditedOncePerViewer()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var picture = PagePictures.Address(seed.TrackingNumber, seed.RecordId, 1);
        var (officer, officerEmail) = await SignedInAsync(Roles.RecordsOfficer);
        var (counsel, counselEmail) = await SignedInAsync(Roles.Counsel);

        foreach (var client in new[] { officer, counsel })
        {
            for (var view = 0; view < 3; view++)
            {
                using var response = await client.GetAsync(picture);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
                Assert.True(response.Headers.CacheControl?.NoStore, "A page picture must not be kept in a cache.");
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, (await response.Content.ReadAsByteArrayAsync())[..4]);
            }
        }

        // Three pictures each, one audited view each: the access log names every viewer without a line per picture.
        Assert.Equal(1, await ViewsAsync(seed.RecordId, officerEmail));
        Assert.Equal(1, await ViewsAsync(seed.RecordId, counselEmail));
        // The review page audits its own load; the pictures it then shows add nothing.
        await officer.GetStringAsync($"/requests/{seed.TrackingNumber}/records/{seed.RecordId}");
        (await officer.GetAsync(picture)).Dispose();
        Assert.Equal(2, await ViewsAsync(seed.RecordId, officerEmail));
    }

    [Fact]
    public async Task PagePicture_RefusedToAnonymousAndRequesters_AndNotFoundThroughAnotherRequest()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        var other = await SecuritySeed.ReleasedAsync(_app, "Ana Lima");
        var picture = PagePictures.Address(seed.TrackingNumber, seed.RecordId, 1);
        using var anonymous = _app.CreateClient();
        using var requester = _app.CreateClient();
        // The requester holds their status link and their release link: neither opens a page picture.
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/status/{seed.StatusToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await requester.GetAsync($"/release/{seed.Token}")).StatusCode);
        var (officer, _) = await SignedInAsync(Roles.RecordsOfficer);

        foreach (var visitor in new[] { anonymous, requester })
        {
            using var refused = await visitor.GetAsync(picture);
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/account/sign-in", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await visitor.GetAsync($"/release/{seed.Token}/files/{seed.RecordId}")).StatusCode);
        }
        // Staff, but through another request's tracking number, a page the record does not have, or a record that is not one.
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(PagePictures.Address(other.TrackingNumber, seed.RecordId, 1))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(PagePictures.Address(seed.TrackingNumber, seed.RecordId, 99))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync(PagePictures.Address(seed.TrackingNumber, Guid.NewGuid(), 1))).StatusCode);
        Assert.Equal(0, await QueryAsync(db => db.Set<AuditEvent>().CountAsync(a => a.Action == RedactionReview.ViewedUnredacted && a.EntityId == seed.RecordId.ToString())));
    }

    [Fact]
    public async Task Progress_ReportsAFailedFilesReason_ForThatRequestsOfficersOnly()
    {
        var (tracking, brokenId) = await RecordAsync("minutes.pdf", Encoding.ASCII.GetBytes("%PDF-1.7\nnot really a PDF\n%%EOF"));
        var broken = await RecordPagesWait.UntilDoneAsync(_app.Services, brokenId);
        Assert.Equal(PagesState.Failed, broken.PagesState);
        var (otherTracking, _) = await RecordAsync("other.txt", Encoding.UTF8.GetBytes("Another request's note."));
        var (officer, _) = await SignedInAsync(Roles.RecordsOfficer);
        var (counsel, _) = await SignedInAsync(Roles.Counsel);

        using var response = await officer.GetAsync($"/requests/{tracking}/records?handler=Progress");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var progress = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(progress.RootElement.GetProperty("busy").GetBoolean());
        var record = Assert.Single(progress.RootElement.GetProperty("records").EnumerateArray());
        Assert.Equal(brokenId, record.GetProperty("id").GetGuid());
        Assert.Equal("Failed", record.GetProperty("state").GetString());
        Assert.Equal(broken.PagesFailure, record.GetProperty("failure").GetString());
        Assert.False(string.IsNullOrWhiteSpace(broken.PagesFailure));
        Assert.Equal($"failed: {broken.PagesFailure}", record.GetProperty("words").GetString());
        // The records page says the same in a 200, never a server error, and so does the record's own page.
        var page = await officer.GetStringAsync($"/requests/{tracking}/records");
        Assert.Contains(broken.PagesFailure!, WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("could not be made into pages", await officer.GetStringAsync($"/requests/{tracking}/records/{brokenId}"), StringComparison.Ordinal);

        using var asCounsel = await counsel.GetAsync($"/requests/{tracking}/records?handler=Progress");
        Assert.Equal(HttpStatusCode.Redirect, asCounsel.StatusCode);
        Assert.Contains("/account/denied", asCounsel.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var elsewhere = JsonDocument.Parse(await officer.GetStringAsync($"/requests/{otherTracking}/records?handler=Progress"));
        Assert.DoesNotContain(elsewhere.RootElement.GetProperty("records").EnumerateArray(), r => r.GetProperty("id").GetGuid() == brokenId);
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync("/requests/PRR-1999-0001/records?handler=Progress")).StatusCode);
    }

    private async Task<(string Tracking, Guid RecordId)> RecordAsync(string fileName, byte[] content)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var request = await services.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "Committee minutes" }, RequestChannel.WebForm, CitedLaw.None, default);
        var stored = await services.GetRequiredService<ContentStore>().PutAsync(content, default);
        var record = Record.Attach(request.Id, fileName, "application/octet-stream", stored.Length, stored.Sha256, RecordSource.Upload, "officer", DateTimeOffset.UtcNow);
        var db = services.GetRequiredService<AppDbContext>();
        db.Add(record);
        await db.SaveChangesAsync();
        RecordPagesWait.Enqueue(services, record.Id);
        return (request.TrackingNumber, record.Id);
    }

    private async Task<(HttpClient Client, string Email)> SignedInAsync(string role)
    {
        var email = await WebSession.CreateStaffAsync(_app, role);
        var client = _app.CreateClient();
        await WebSession.SignInAsync(client, email);
        return (client, email);
    }

    private Task<int> ViewsAsync(Guid recordId, string viewer) =>
        QueryAsync(db => db.Set<AuditEvent>().CountAsync(a => a.Action == RedactionReview.ViewedUnredacted && a.Actor == viewer && a.EntityId == recordId.ToString()));

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
