using Xunit.Abstractions;

[assembly: TestCollectionOrderer("RecordsRequests.IntegrationTests.Infrastructure.SlowLanesFirst", "RecordsRequests.IntegrationTests")]

namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>Starts the lanes in <see cref="Lanes.SlowestFirst"/> order, then every other collection by name.</summary>
public sealed class SlowLanesFirst : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections
            .OrderBy(c => Array.IndexOf(Lanes.SlowestFirst, c.DisplayName) is var rank and >= 0 ? rank : Lanes.SlowestFirst.Length)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}
