using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Audit;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>
/// Every display of a record's unredacted text writes an audit event naming who saw which record (the officer's record
/// page, including after each form post, and counsel's review); a refused visit and the requester's link write none.
/// </summary>
[Collection(Lanes.StaffPages)]
public sealed class UnredactedViewAuditTests(TestDatabase database) : IAsyncLifetime
{
    private const string Viewed = "Record.ViewedUnredacted";

    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryUnredactedView_IsAudited_WithTheViewerAndRecord()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var officerEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, officerEmail);
        var counselEmail = await WebSession.CreateStaffAsync(_app, Roles.Counsel);
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, counselEmail);

        var recordPage = $"/requests/{seed.TrackingNumber}/records/{seed.RecordId}";
        var page = await officer.GetStringAsync(recordPage);
        AssertShowsWords(seed.SecretText, page);
        Assert.Equal(1, await ViewsAsync(seed, officerEmail));

        // A form post re-renders the text, so it is another view (WebSession.PostFormAsync first GETs the form: two views).
        var posted = await WebSession.PostFormAsync(officer, $"{recordPage}?handler=Decide", new() { ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(3, await ViewsAsync(seed, officerEmail));

        var review = await counsel.GetStringAsync($"/counsel/{seed.TrackingNumber}");
        AssertShowsWords(seed.SecretText, review);
        Assert.Equal(1, await ViewsAsync(seed, counselEmail));
    }

    [Fact]
    public async Task RefusedVisits_AndTheRequestersLink_WriteNoViewEvent()
    {
        var seed = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        using var anonymous = _app.CreateClient();
        var counselEmail = await WebSession.CreateStaffAsync(_app, Roles.Counsel);
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, counselEmail);
        var officerEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        using var officer = _app.CreateClient();
        await WebSession.SignInAsync(officer, officerEmail);

        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/requests/{seed.TrackingNumber}/records/{seed.RecordId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await counsel.GetAsync($"/requests/{seed.TrackingNumber}/records/{seed.RecordId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await officer.GetAsync($"/counsel/{seed.TrackingNumber}")).StatusCode);
        // Another request's tracking number with this record id is not this record.
        var other = await SecuritySeed.ReleasedAsync(_app, "Ana Lima");
        Assert.Equal(HttpStatusCode.NotFound, (await officer.GetAsync($"/requests/{other.TrackingNumber}/records/{seed.RecordId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/release/{seed.Token}")).StatusCode);

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.False(await db.Set<AuditEvent>().AnyAsync(a => a.Action == Viewed && a.EntityId == seed.RecordId.ToString()));
    }

    /// <summary>The review pages lay each word of the page over its picture as an element of its own.</summary>
    private static void AssertShowsWords(string text, string page)
    {
        foreach (var word in text.Split(' '))
        {
            Assert.Contains($">{word}</span>", page, StringComparison.Ordinal);
        }
    }

    private async Task<int> ViewsAsync(ReleasedRequest seed, string viewer)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Set<AuditEvent>().CountAsync(a => a.Action == Viewed && a.Actor == viewer && a.EntityId == seed.RecordId.ToString()
            && a.RequestId == seed.RequestId);
    }
}
