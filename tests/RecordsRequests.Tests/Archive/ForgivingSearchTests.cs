using Microsoft.Extensions.Options;
using RecordsRequests.Features.Archive;
using RecordsRequests.Hosting;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// An officer types a subject from memory and drops its punctuation, or types it verbatim: both must find the message.
/// Each test runs with and without word pairs in the index (Archive__WordPairs), which must never change what is found.
/// </summary>
public sealed class ForgivingSearchTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"records-forgiving-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static readonly string[] Bodies =
    [
        "Expedia.com flight purchase confirmation for the conference",
        "Visit expedia com to book the flight",
        "O'Neil's budget/finance memo, revised 3.5 times",
        "The bus transportation contract is attached",
        "The bus and the transportation contract, not side by side: bus transportation is one thing; contract another",
        "Please let me know if the bus is late",
    ];

    private ArchiveSearch IndexOf(bool wordPairs)
    {
        var records = Options.Create(new RecordsOptions { DataPath = Path.Combine(_folder, wordPairs ? "pairs" : "words"), Database = "unused" });
        var index = new ArchiveIndex(records, Options.Create(new ArchiveOptions { WordPairs = wordPairs }));
        for (var i = 0; i < Bodies.Length; i++)
        {
            var content = new ArchiveContent($"<m{i}@example.org>", null, $"Message {i}", "clerk@district.example", "office@district.example", "", "",
                new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), Bodies[i], []);
            index.Add(ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content));
        }
        index.Commit(Bodies.Length);
        return new ArchiveSearch(index, new DistrictTime(TimeProvider.System, records));
    }

    /// <summary>The bodies of the messages found, in the order of <see cref="Bodies"/>.</summary>
    private static string[] Found(ArchiveSearch search, string query) =>
        [.. search.Search(new ArchiveQuery(query)).Hits.Select(h => int.Parse(h.Subject["Message ".Length..], System.Globalization.CultureInfo.InvariantCulture)).Order().Select(i => Bodies[i])];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASubjectTypedWithoutItsPunctuation_FindsTheMessage_AsDoesTheVerbatimSubject(bool wordPairs)
    {
        var search = IndexOf(wordPairs);

        string[] expedia = [Bodies[0]];
        Assert.Equal(expedia, Found(search, "\"expedia com flight purchase confirmation\""));
        Assert.Equal(expedia, Found(search, "\"Expedia.com flight purchase confirmation\""));
        // A word with a dot typed on its own is its parts side by side: the split spelling in another message counts too.
        Assert.Equal([Bodies[0], Bodies[1]], Found(search, "expedia.com"));
        Assert.Equal([Bodies[0], Bodies[1]], Found(search, "\"expedia com\""));

        string[] memo = [Bodies[2]];
        Assert.Equal(memo, Found(search, "\"o neil s budget finance memo\""));
        Assert.Equal(memo, Found(search, "\"O'Neil's budget/finance memo\""));
        Assert.Equal(memo, Found(search, "\"revised 3 5 times\""));
        // The joined word is kept as well, so a wildcard over it still works.
        Assert.Equal(memo, Found(search, "o'neil*"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APhrase_MatchesOnlyItsWordsSideBySideInOrder(bool wordPairs)
    {
        var search = IndexOf(wordPairs);

        // The fifth body holds every pair of the phrase ("bus transportation", "transportation contract"), but not the
        // three words in a row: word pairs narrow the search, the phrase still decides.
        Assert.Equal([Bodies[3]], Found(search, "\"bus transportation contract\""));
        Assert.Equal([Bodies[3], Bodies[4]], Found(search, "\"bus transportation\""));
        Assert.Equal([Bodies[5]], Found(search, "\"please let me know\""));
        Assert.Empty(Found(search, "\"contract transportation bus\""));
        Assert.Equal([Bodies[3], Bodies[4]], Found(search, "\"bus contract\"~3"));
    }
}
