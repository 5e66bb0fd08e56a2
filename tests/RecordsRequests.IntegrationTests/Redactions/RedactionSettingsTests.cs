using Microsoft.Extensions.Options;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Redactions;

/// <summary>The district's redaction settings are checked when the application starts, not at an officer's first upload.</summary>
[Collection(Lanes.OwnHosts)]
public class RedactionSettingsTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AStudentIdPatternThatIsNotARegularExpression_StopsTheStart_NamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(database,
            [new("Redaction:StudentIdPatterns:0", @"\b(?<id>\d{6}\b")]));

        Assert.Contains("Redaction:StudentIdPatterns", failure.Message, StringComparison.Ordinal);
    }
}
