using Lucene.Net.Index;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Archive;
using RecordsRequests.Hosting;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// Once an index holds enough items it keeps only the word pairs of its frequent words. Whatever it kept, every phrase
/// must find the same items, in the same order and with the same scores, as an index without any pairs: items indexed
/// before the choice (every pair), items indexed after it, and after the index is opened again by another process.
/// </summary>
public sealed class FrequentWordPairsTests : IDisposable
{
    private const int ItemsBeforeChoice = 100;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"records-frequent-pairs-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>The first items make "please let me know about the bus transportation contract" frequent; "zebra" is in
    /// one of them, "quillwort" only in items that come after the choice.</summary>
    private static IEnumerable<string> Bodies()
    {
        for (var i = 0; i < ItemsBeforeChoice; i++)
        {
            yield return i == 7
                ? "zebra please let me know about the bus"
                : $"please let me know about the bus transportation contract, memo{i}";
        }
        yield return "quillwort bus transportation and more";
        yield return "please let me know quillwort";
        yield return "transportation contract please, the bus";
        yield return "contract bus, zebra please";
        yield return "let me know about the bus transportation contract";
        yield return "know about the bus zebra please let me";
    }

    private static readonly string[] Phrases =
    [
        "\"please let me know\"", "\"bus transportation contract\"", "\"let me know quillwort\"", "\"quillwort bus transportation\"",
        "\"contract bus\"", "\"know about the bus\"", "\"zebra please\"", "\"please let me know\" AND zebra", "\"bus please\"",
    ];

    private (ArchiveIndex Index, ArchiveSearch Search) Open(string name, bool wordPairs)
    {
        var records = Options.Create(new RecordsOptions { DataPath = Path.Combine(_folder, name), Database = "unused" });
        var index = new ArchiveIndex(records, Options.Create(new ArchiveOptions { WordPairs = wordPairs, FrequentWordsAfter = ItemsBeforeChoice }));
        return (index, new ArchiveSearch(index, new DistrictTime(TimeProvider.System, records)));
    }

    private static void Fill(ArchiveIndex index)
    {
        var i = 0;
        foreach (var body in Bodies())
        {
            var content = new ArchiveContent($"<m{i}@example.org>", null, $"Message {i}", "clerk@district.example", "office@district.example", "", "",
                new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), body, []);
            index.Add(ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content));
            i++;
        }
        index.Commit(i);
    }

    private static List<(string Subject, float Score)> Found(ArchiveSearch search, string query) =>
        [.. search.Search(new ArchiveQuery(query, PageSize: 500)).Hits.Select(h => (h.Subject, h.Score))];

    [Fact]
    public void EveryPhrase_FindsWhatAnIndexWithoutPairsFinds_BeforeAndAfterTheIndexChoseItsFrequentWords()
    {
        var (plainIndex, plain) = Open("plain", wordPairs: false);
        var (pairedIndex, paired) = Open("paired", wordPairs: true);
        using (plainIndex)
        using (pairedIndex)
        {
            Fill(plainIndex);
            Fill(pairedIndex);
            foreach (var phrase in Phrases)
            {
                Assert.Equal(Found(plain, phrase), Found(paired, phrase));
            }
            Assert.NotEmpty(Found(plain, "\"let me know quillwort\""));
            Assert.Equal(ItemsBeforeChoice + 1, Found(plain, "\"let me know about the bus\"").Count);

            // Another process (the web host) reads the choice from the index's last commit.
            var (readerIndex, reader) = Open("paired", wordPairs: true);
            using (readerIndex)
            {
                foreach (var phrase in Phrases)
                {
                    Assert.Equal(Found(plain, phrase), Found(reader, phrase));
                }
            }
        }

        // The choice is kept with the index: the words of the first items, and not a word seen in only one of them.
        using var directory = Lucene.Net.Store.FSDirectory.Open(Path.Combine(_folder, "paired", "archive-index"));
        var commit = new SegmentInfos();
        commit.Read(directory);
        var words = commit.UserData["archive.pairWords"].Split(' ');
        Assert.Contains("please", words);
        Assert.Contains("contract", words);
        Assert.DoesNotContain("zebra", words);
        Assert.DoesNotContain("quillwort", words);

        // Opened again to write, it keeps that choice for new items.
        var (reopenedIndex, reopened) = Open("paired", wordPairs: true);
        using (reopenedIndex)
        {
            var content = new ArchiveContent("<late@example.org>", null, "Late", "clerk@district.example", "office@district.example", "", "",
                new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero), "zebra please let me know about the bus transportation contract", []);
            reopenedIndex.Add(ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content));
            reopenedIndex.Commit(1000);
            Assert.Contains("Late", Found(reopened, "\"zebra please let me know\"").Select(h => h.Subject));
            Assert.Contains("Late", Found(reopened, "\"bus transportation contract\"").Select(h => h.Subject));
        }
    }
}
