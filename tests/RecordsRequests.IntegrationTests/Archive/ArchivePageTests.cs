using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Archive;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Records;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Archive;

[Collection(Lanes.CasePages)]
public sealed class ArchivePageTests(TestDatabase database) : IAsyncLifetime
{
    private readonly ArchiveFixture _mail = new();
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync()
    {
        _mail.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ArchiveSearch_SendsAnonymousVisitorsToSignIn_AndRefusesCounsel()
    {
        using var anonymous = _app.CreateClient();
        var response = await anonymous.GetAsync($"/archive?q={_mail.Token}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/sign-in", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, await WebSession.CreateStaffAsync(_app, Roles.Counsel));
        var denied = await counsel.GetAsync($"/archive?q={_mail.Token}");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.StartsWith("/account/denied", denied.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync($"select count(*) from audit_events where action = 'Archive.Searched' and after->>'query' = '{_mail.Token}'"));
    }

    [Fact]
    public async Task OfficerSearch_IsAudited_AndAllHitsBecomeCandidateRecordsWithASavedSearch()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(_mail.Principal, _mail.PrincipalCustodian, null, CancellationToken.None);
        }
        Request request;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "reporter@example.org", Description = "All mail about the bus contract" },
                RequestChannel.WebForm, CitedLaw.MassachusettsPublicRecordsLaw, CancellationToken.None);
        }
        using var officer = _app.CreateClient();
        var email = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(officer, email);

        var page = await officer.GetStringAsync($"/archive?q={Uri.EscapeDataString($"\"bus transportation contract\" AND {_mail.Token}")}&sort=NewestFirst");
        Assert.Contains("<strong>2</strong> hits", page, StringComparison.Ordinal);
        Assert.Contains($"FY25 budget draft {_mail.Token}", page, StringComparison.Ordinal);
        Assert.Contains("<mark>bus</mark> <mark>transportation</mark> <mark>contract</mark>", page, StringComparison.Ordinal);

        var attached = await WebSession.PostFormAsync(officer, $"/archive?q={Uri.EscapeDataString(_mail.Token)}", new()
        {
            ["q"] = $"\"bus transportation contract\" AND {_mail.Token}",
            ["TrackingNumber"] = request.TrackingNumber,
            ["AttachAll"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Contains($"Attached 2 candidate records to {request.TrackingNumber}", await attached.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var check = _app.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var records = await db.Set<RecordsRequests.Features.Records.Record>().Where(r => r.RequestId == request.Id).ToListAsync();
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal((RecordSource.ArchiveSearch, RecordDisposition.Candidate), (r.Source, r.Disposition)));
        var store = check.ServiceProvider.GetRequiredService<ContentStore>();
        Assert.All(records, r => Assert.True(store.Exists(r.Sha256)));
        var saved = await db.Set<SavedSearch>().SingleAsync(s => s.RequestId == request.Id);
        Assert.Equal((2, 2, email), (saved.HitCount, saved.AttachedCount, saved.SearchedBy));
        Assert.True(saved.IndexGeneration > 0);
        // The request page shows how the district searched: query, index generation, hits, who.
        var details = await officer.GetStringAsync($"/requests/{request.TrackingNumber}");
        var row = details[details.IndexOf($"data-saved-search=\"{saved.Id}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains(WebUtility.HtmlEncode($"\"bus transportation contract\" AND {_mail.Token}"), row, StringComparison.Ordinal);
        Assert.Contains($"<td>{saved.IndexGeneration}</td>", row, StringComparison.Ordinal);
        Assert.Contains("<td>2 (2)</td>", row, StringComparison.Ordinal);
        Assert.Contains(email, row, StringComparison.Ordinal);
        // Three searches ran as this officer: the page view, the page the attach form was posted from, and the attach.
        var audits = await db.Set<AuditEvent>().Where(a => a.Action == ArchiveAudit.Searched && a.Actor == email).OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(
            [($"\"bus transportation contract\" AND {_mail.Token}", "2"), (_mail.Token, "4"), ($"\"bus transportation contract\" AND {_mail.Token}", "2")],
            audits.Select(a => (a.After!.RootElement.GetProperty("query").GetString(), a.After.RootElement.GetProperty("hits").ToString())));
    }
}
