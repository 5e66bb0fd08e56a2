using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;
using RecordsRequests.IntegrationTests.Infrastructure;
using RecordsRequests.TestSupport;

namespace RecordsRequests.IntegrationTests.Cli;

[Collection(Lanes.Engine)]
public class CliTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SeedDemo_CreatesOneAccountPerRoleAndSampleRequests_AndASecondRunChangesNothing()
    {
        // The demo district's sample requests (SeedDemo): one of each channel and cited law, at different steps.
        const int sampleRequests = 6;
        await using var services = database.BuildServices();

        Assert.Equal(0, await CliRunner.RunAsync(services, ["seed-demo"], CancellationToken.None));
        Assert.Equal(sampleRequests, await database.ScalarAsync("SELECT count(*) FROM requests"));
        Assert.Equal(0, await CliRunner.RunAsync(services, ["seed-demo"], CancellationToken.None));
        Assert.Equal(sampleRequests, await database.ScalarAsync("SELECT count(*) FROM requests"));
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        foreach (var role in Roles.All)
        {
            Assert.NotEmpty(await users.GetUsersInRoleAsync(role));
        }
        var password = (await File.ReadAllTextAsync(Path.Combine(database.DataPath, "demo-password.txt"))).Trim();
        var officer = await users.FindByEmailAsync("officer@demo.example");
        Assert.True(await users.CheckPasswordAsync(officer!, password));
    }

    [Fact]
    public async Task SyntheticRequests_ForTheDashboardBench_HaveTheirMessageAndAcknowledgement()
    {
        await using var services = database.BuildServices();
        await new SyntheticRequests(services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<DistrictTime>())
            .AddAsync(30, CancellationToken.None);

        // The bench's request pages show what a real request's would: the e-mail in and the acknowledgement out,
        // the latter naming the request's own tracking number.
        Assert.Equal(0, await database.ScalarAsync("""
            SELECT count(*) FROM requests r
            WHERE r.description LIKE 'All records about %'
              AND ((SELECT count(*) FROM messages m WHERE m.request_id = r.id AND m.direction = 'Inbound') <> 1
                OR (SELECT count(*) FROM messages m WHERE m.request_id = r.id AND m.direction = 'Outbound'
                      AND m.subject LIKE '%' || r.tracking_number) <> 1)
            """));
        Assert.Equal(30, await database.ScalarAsync("SELECT count(*) FROM requests"));
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithUsageError()
    {
        await using var services = database.BuildServices();
        Assert.Equal(2, await CliRunner.RunAsync(services, ["no-such-command"], CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_OnAMigratedDatabase_SucceedsAndChangesNothing()
    {
        await using var services = database.BuildServices();
        Assert.Equal(0, await CliRunner.RunAsync(services, ["migrate"], CancellationToken.None));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'hangfire'"));
    }
}
