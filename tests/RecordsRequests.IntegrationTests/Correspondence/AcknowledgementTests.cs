using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Correspondence;

[Collection(Lanes.Engine)]
public class AcknowledgementTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FoiaCitedRequest_IsAcknowledgedOnceUnderChapter66WithItsDates()
    {
        await using var services = database.BuildServices();
        Request request;
        await using (var scope = services.CreateAsyncScope())
        {
            // Saturday April 11, 2026: deemed received Monday the 13th; day 10 is Tuesday April 28 (Patriots' Day skipped).
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Name = "Pat Press", Email = "pat@press.example", Description = "FOIA request for bus contracts" },
                RequestChannel.Email, CitedLaw.FederalFoia, CancellationToken.None, new DateTimeOffset(2026, 4, 11, 14, 0, 0, TimeSpan.Zero));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var acknowledge = scope.ServiceProvider.GetRequiredService<AcknowledgeRequest>();
            Assert.Equal(AcknowledgeRequest.Outcome.Sent, await acknowledge.HandleAsync(request.Id, CancellationToken.None));
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var acknowledge = scope.ServiceProvider.GetRequiredService<AcknowledgeRequest>();
            Assert.Equal(AcknowledgeRequest.Outcome.AlreadyAcknowledged, await acknowledge.HandleAsync(request.Id, CancellationToken.None));
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var letter = await db.Set<OutboundEmail>().SingleAsync(m => m.RequestId == request.Id);
            Assert.Equal("pat@press.example", letter.ToAddress);
            Assert.Contains(request.TrackingNumber, letter.Subject, StringComparison.Ordinal);
            Assert.Contains("G.L. c.66 §10", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("applies only to federal agencies", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("Tuesday, April 28, 2026", letter.BodyText, StringComparison.Ordinal);
            Assert.Contains("Tuesday, May 19, 2026", letter.BodyText, StringComparison.Ordinal);
            Assert.Equal(RequestStatus.Acknowledged, (await db.Requests.SingleAsync(r => r.Id == request.Id)).Status);
        }
    }

    [Fact]
    public async Task ConcurrentAcknowledgements_SendOne_AndNoneFails()
    {
        await using var services = database.BuildServices();
        Request request;
        await using (var scope = services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = "race@example.org", Description = "Two doors at once" }, RequestChannel.Email, CitedLaw.None, CancellationToken.None);
        }

        // Several callers at once (a step run twice after a crash, a retry): each checks, then inserts under one key.
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = services.CreateAsyncScope();
            var acknowledge = scope.ServiceProvider.GetRequiredService<AcknowledgeRequest>();
            await start.WaitAsync();
            return await acknowledge.HandleAsync(request.Id, CancellationToken.None);
        }).ToList();
        start.Release(racers.Count);
        var outcomes = await Task.WhenAll(racers);

        Assert.Single(outcomes, o => o == AcknowledgeRequest.Outcome.Sent);
        Assert.All(outcomes.Where(o => o != AcknowledgeRequest.Outcome.Sent), o => Assert.Equal(AcknowledgeRequest.Outcome.AlreadyAcknowledged, o));
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE request_id = '{request.Id}' AND kind = 'Acknowledgement'"));
    }

    [Fact]
    public async Task PostalOnlyRequester_IsLeftForAnOfficerToWriteTo()
    {
        await using var services = database.BuildServices();
        await using var scope = services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { PostalAddress = "1 Main St, Lowell MA", Description = "by post" }, RequestChannel.PostalMail, CitedLaw.None, CancellationToken.None);

        var outcome = await scope.ServiceProvider.GetRequiredService<AcknowledgeRequest>().HandleAsync(request.Id, CancellationToken.None);

        Assert.Equal(AcknowledgeRequest.Outcome.NeedsPostalLetter, outcome);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM outbound_emails WHERE request_id = '{request.Id}'"));
    }
}
