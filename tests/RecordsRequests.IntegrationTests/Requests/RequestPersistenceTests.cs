using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Requests;

[Collection(Lanes.Engine)]
public class RequestPersistenceTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static SubmitRequest.Input Form(string description) => new() { Email = "requester@example.org", Description = description };

    [Fact]
    public async Task FiftyParallelSubmissions_GetFiftyDistinctConsecutiveTrackingNumbers()
    {
        await using var services = database.BuildServices();
        // A year of its own keeps this test's sequence apart from any other test's requests.
        var receivedAt = new DateTimeOffset(2031, 6, 2, 15, 0, 0, TimeSpan.Zero);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            await using var scope = services.CreateAsyncScope();
            var submit = scope.ServiceProvider.GetRequiredService<SubmitRequest>();
            var request = await submit.HandleAsync(Form($"parallel {i}"), RequestChannel.WebForm, CitedLaw.None, CancellationToken.None, receivedAt);
            return request.TrackingNumber;
        }));

        var expected = Enumerable.Range(1, 50).Select(n => Request.FormatTrackingNumber(2031, n)).ToList();
        Assert.Equal(expected, numbers.Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public async Task TrackingYear_IsTheYearInMassachusetts_NotInUtc()
    {
        await using var services = database.BuildServices();
        await using var scope = services.CreateAsyncScope();
        var submit = scope.ServiceProvider.GetRequiredService<SubmitRequest>();

        // 02:30 UTC on 1 January 2033 is still New Year's Eve in Boston.
        var request = await submit.HandleAsync(Form("late on new year's eve"), RequestChannel.Email, CitedLaw.None, CancellationToken.None,
            new DateTimeOffset(2033, 1, 1, 2, 30, 0, TimeSpan.Zero));

        Assert.StartsWith("PRR-2032-", request.TrackingNumber, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RolledBackSubmission_GivesItsNumberBack()
    {
        await using var services = database.BuildServices();
        var receivedAt = new DateTimeOffset(2034, 3, 3, 15, 0, 0, TimeSpan.Zero);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            Assert.Equal(1, await TrackingNumbers.NextSequenceAsync(db, 2034, CancellationToken.None));
            await transaction.RollbackAsync();
        }
        await using (var scope = services.CreateAsyncScope())
        {
            var request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>()
                .HandleAsync(Form("after a rollback"), RequestChannel.WebForm, CitedLaw.None, CancellationToken.None, receivedAt);
            Assert.Equal("PRR-2034-0001", request.TrackingNumber);
        }
    }

    [Fact]
    public async Task EveryChange_WritesItsAuditEventInTheSameTransaction()
    {
        await using var services = database.BuildServices();
        Request request;
        await using (var scope = services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>()
                .HandleAsync(Form("audit me"), RequestChannel.WebForm, CitedLaw.None, CancellationToken.None);
        }

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var events = await db.AuditEvents.Where(a => a.RequestId == request.Id).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["Request.Created"], events.Select(e => e.Action));
            Assert.Equal("Received", events[0].After!.RootElement.GetProperty("Status").GetString());

            var loaded = await db.Requests.SingleAsync(r => r.Id == request.Id);
            loaded.MoveTo(RequestStatus.Acknowledged, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();

            var change = await db.AuditEvents.Where(a => a.RequestId == request.Id).OrderBy(a => a.Id).LastAsync();
            Assert.Equal("Request.StatusChanged", change.Action);
            Assert.Equal("Received", change.Before!.RootElement.GetProperty("Status").GetString());
            Assert.Equal("Acknowledged", change.After!.RootElement.GetProperty("Status").GetString());
        }
    }

    [Fact]
    public async Task FailedSave_LeavesNeitherTheChangeNorItsAuditEvent()
    {
        await using var services = database.BuildServices();
        await using var scope = services.CreateAsyncScope();
        var existing = await scope.ServiceProvider.GetRequiredService<SubmitRequest>()
            .HandleAsync(Form("the original"), RequestChannel.WebForm, CitedLaw.None, CancellationToken.None);
        var before = await database.ScalarAsync("SELECT count(*) FROM audit_events");
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Reusing a taken tracking number violates the unique index, so the whole save must fail.
        var duplicate = Request.Receive(Requester.Create(null, "dup@example.org", null), "duplicate", RequestChannel.WebForm, CitedLaw.None, DateTimeOffset.UtcNow);
        duplicate.AssignTrackingNumber(existing.TrackingYear, existing.TrackingSequence);
        db.Requests.Add(duplicate);

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.Equal(before, await database.ScalarAsync("SELECT count(*) FROM audit_events"));
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM requests WHERE id = '{duplicate.Id}'"));
    }

    [Fact]
    public async Task StaleUpdate_IsRejected()
    {
        await using var services = database.BuildServices();
        Request request;
        await using (var scope = services.CreateAsyncScope())
        {
            request = await scope.ServiceProvider.GetRequiredService<SubmitRequest>()
                .HandleAsync(Form("two officers at once"), RequestChannel.WebForm, CitedLaw.None, CancellationToken.None);
        }

        await using var first = services.CreateAsyncScope();
        await using var second = services.CreateAsyncScope();
        var firstDb = first.ServiceProvider.GetRequiredService<AppDbContext>();
        var secondDb = second.ServiceProvider.GetRequiredService<AppDbContext>();
        var firstCopy = await firstDb.Requests.SingleAsync(r => r.Id == request.Id);
        var secondCopy = await secondDb.Requests.SingleAsync(r => r.Id == request.Id);

        firstCopy.MoveTo(RequestStatus.Acknowledged, DateTimeOffset.UtcNow);
        await firstDb.SaveChangesAsync();

        secondCopy.MoveTo(RequestStatus.Withdrawn, DateTimeOffset.UtcNow);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => secondDb.SaveChangesAsync());

        await using var check = services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<AppDbContext>().Requests.AsNoTracking().SingleAsync(r => r.Id == request.Id);
        Assert.Equal(RequestStatus.Acknowledged, stored.Status);
    }
}
