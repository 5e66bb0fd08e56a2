using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Deadlines;

[Collection(Lanes.Engine)]
public class DeadlinesCommandTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The three legal.md section 6 illustrations, one instant per line, one JSON object per line.</summary>
    [Fact]
    public async Task Deadlines_FromStandardInput_PrintsOneJsonObjectPerInstant_WithTheSection6Dates()
    {
        await using var services = database.BuildServices();
        await using var scope = services.CreateAsyncScope();
        var command = scope.ServiceProvider.GetRequiredService<DeadlinesCommand>();
        using var output = new MemoryStream();
        using var errors = new StringWriter();

        var exit = await command.RunAsync(["--received", "-", "--json"],
            new StringReader("2026-04-11T10:00:00-04:00\n2026-06-18T14:00:00Z\n2026-11-26T10:00:00-05:00\n"), output, errors, CancellationToken.None);

        Assert.Equal(0, exit);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, lines.Count);
        string[][] expected =
        [
            ["2026-04-11T10:00:00-04:00", "2026-04-13", "2026-04-28", "2026-05-12", "2026-05-19"],
            ["2026-06-18T14:00:00Z", "2026-06-18", "2026-07-03", "2026-07-17", "2026-07-24"],
            ["2026-11-26T10:00:00-05:00", "2026-11-27", "2026-12-11", "2026-12-28", "2027-01-05"],
        ];
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected[i], new[] { "received", "deemedReceived", "responseDue", "petitionDeadline", "productionDue" }.Select(p => lines[i].GetProperty(p).GetString()!));
        }
    }

    [Fact]
    public async Task Deadlines_ReportsALineWithoutAnOffset_AndExitsNonZero()
    {
        await using var services = database.BuildServices();
        await using var scope = services.CreateAsyncScope();
        using var output = new MemoryStream();
        using var errors = new StringWriter();
        var exit = await scope.ServiceProvider.GetRequiredService<DeadlinesCommand>()
            .RunAsync(["--received", "-", "--regime", "agency", "--json"], new StringReader("2026-04-11T10:00:00\n2026-04-11T10:00:00-04:00\n"), output, errors, CancellationToken.None);
        Assert.Equal(1, exit);
        Assert.Contains("line 1", errors.ToString(), StringComparison.Ordinal);
        var only = JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray()).Trim()).RootElement;
        Assert.Equal("agency", only.GetProperty("regime").GetString());
        Assert.Equal("2026-05-05", only.GetProperty("productionDue").GetString());
    }
}
