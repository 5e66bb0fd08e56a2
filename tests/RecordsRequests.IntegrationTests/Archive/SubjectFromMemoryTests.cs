using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// Real subjects of the shared Enron mail (../shared/corpora/enron) with punctuation inside a word ("Expedia.com",
/// "O'Neal", "3/15"), searched as an officer types them from memory, without the punctuation, and verbatim.
/// </summary>
[Collection(Lanes.Archive)]
public sealed partial class SubjectFromMemoryTests(TestDatabase database, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryEnronSubjectWithInnerPunctuation_IsFoundTypedWithoutIt_AndVerbatim()
    {
        var corpus = Path.GetFullPath(Path.Combine(TestApp.RepositoryRoot(), "..", "shared", "corpora", "enron", "maildir"));
        Assert.True(Directory.Exists(corpus), $"The shared Enron corpus is missing at {corpus}.");
        await using var services = database.BuildServices();
        var custodian = $"enron-{Guid.NewGuid():N}"[..14];
        await using (var scope = services.CreateAsyncScope())
        {
            var report = await scope.ServiceProvider.GetRequiredService<ArchiveImporter>().ImportAsync(corpus, custodian, null, CancellationToken.None);
            Assert.Empty(report.Failures);
        }
        var subjects = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories)
            .Select(file => MimeMessage.Load(file).Subject)
            .Where(subject => subject is not null && InnerPunctuation().IsMatch(subject))
            .Select(subject => subject!)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(subjects.Count >= 100, $"only {subjects.Count} subjects with inner punctuation");

        var search = services.GetRequiredService<ArchiveSearch>();
        bool Finds(string phrase) => search.Search(new ArchiveQuery($"subject:\"{phrase}\"", Custodian: custodian)).TotalHits > 0;
        var missedFromMemory = subjects.Where(s => !Finds(NonWordRuns().Replace(s, " ").Trim())).ToList();
        var missedVerbatim = subjects.Where(s => !Finds(s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal))).ToList();

        output.WriteLine($"{subjects.Count} subjects with punctuation inside a word; missed typed without it: {missedFromMemory.Count}; missed verbatim: {missedVerbatim.Count}");
        Assert.Empty(missedFromMemory);
        Assert.Empty(missedVerbatim);
    }

    /// <summary>A letter or digit, one punctuation mark other than a hyphen (which always separated words), a letter or digit.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}][^\p{L}\p{N}\s-][\p{L}\p{N}]")]
    private static partial Regex InnerPunctuation();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex NonWordRuns();
}
