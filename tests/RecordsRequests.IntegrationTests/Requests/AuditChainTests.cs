using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Requests;

/// <summary>Uses a database of its own: it tampers with the audit table, which would break every other test's chain.</summary>
public class AuditChainTests : IAsyncLifetime
{
    private readonly TestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task Chain_OfConcurrentWrites_IsIntact_AndAnEditedOrDeletedRowIsDetected()
    {
        await using var services = _database.BuildServices();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<SubmitRequest>().HandleAsync(
                new SubmitRequest.Input { Email = $"chain{i}@example.org", Description = $"chain {i}" }, RequestChannel.WebForm, CitedLaw.None, CancellationToken.None);
        }));

        var intact = await VerifyAsync(services);
        Assert.True(intact.Intact, intact.Problem);
        Assert.Equal(40, intact.EventsChecked); // a requester and a request per submission

        await ExecuteAsync("UPDATE audit_events SET actor = 'someone else' WHERE sequence = 7");
        var edited = await VerifyAsync(services);
        Assert.Equal(7, edited.FirstBrokenSequence);
        Assert.Contains("changed", edited.Problem, StringComparison.Ordinal);

        await ExecuteAsync("DELETE FROM audit_events WHERE sequence = 7");
        var deleted = await VerifyAsync(services);
        Assert.Equal(8, deleted.FirstBrokenSequence);
        Assert.Contains("missing", deleted.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_OfManySavesInOneTransaction_OneOfThemRefused_IsIntact()
    {
        await using var services = _database.BuildServices();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var submit = scope.ServiceProvider.GetRequiredService<SubmitRequest>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var first = await submit.OpenInTransactionAsync(new SubmitRequest.Input { Email = "one@example.org", Description = "one" }, RequestChannel.WebForm,
                CitedLaw.None, CancellationToken.None);
            await db.SaveChangesAsync();

            // A save the database refuses (a second request under the first one's tracking number) is undone alone, with its audit events.
            var clash = Request.Receive(Requester.Create(null, "two@example.org", null), "two", RequestChannel.WebForm, CitedLaw.None, first.ReceivedAt);
            clash.AssignTrackingNumber(first.TrackingYear, first.TrackingSequence);
            db.Requests.Add(clash);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            db.ChangeTracker.Clear();

            await submit.OpenInTransactionAsync(new SubmitRequest.Input { Email = "three@example.org", Description = "three" }, RequestChannel.WebForm,
                CitedLaw.None, CancellationToken.None);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        var chain = await VerifyAsync(services);
        Assert.True(chain.Intact, chain.Problem);
        Assert.Equal(4, chain.EventsChecked); // a requester and a request for each opening that stood
    }

    private static async Task<AuditChain.Verification> VerifyAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await AuditChain.VerifyAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), CancellationToken.None);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
