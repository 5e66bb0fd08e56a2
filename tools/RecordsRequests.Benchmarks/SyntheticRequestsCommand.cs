using System.Globalization;
using RecordsRequests.Hosting.Cli;
using RecordsRequests.TestSupport;

namespace RecordsRequests.Benchmarks;

/// <summary><c>ops/benchmark synthetic-requests N</c>: the dashboard benchmark's load data (ops/bench-web).</summary>
internal sealed class SyntheticRequestsCommand(IServiceScopeFactory scopes, RecordsRequests.Hosting.DistrictTime time) : ICliCommand
{
    public static string Name => "synthetic-requests";
    public static string Summary => "add N generated requests to the configured database (load data for ops/bench-web)";
    public static string Usage => "ops/benchmark synthetic-requests N";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        if (arguments is not [var text] || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw new UsageException("Give the number of requests to add.");
        }
        await new SyntheticRequests(scopes, time).AddAsync(count, cancellationToken);
        Console.WriteLine($"{count} synthetic requests added.");
        return 0;
    }
}
