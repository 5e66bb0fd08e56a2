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
