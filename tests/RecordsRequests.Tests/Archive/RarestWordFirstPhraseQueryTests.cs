using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// A phrase checked rarest word first, narrowed by its word pairs or not, must find and score exactly what Lucene's own
/// phrase query finds and scores, whatever the phrase: present, absent though every word is there, a word repeated,
/// across two values of a field, in a deleted item.
/// </summary>
public sealed class RarestWordFirstPhraseQueryTests : IDisposable
{
    private static readonly string[] Bodies =
    [
        "please let me know if the bus is late",
        "let me know, please, if the bus is late",
        "know me let please",
        "the cat saw the cat and the cat ran",
        "please let me know please let me know",
        "the bus transportation contract was signed",
        "bus transportation and a contract",
        "deleted: please let me know",
    ];

    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    public RarestWordFirstPhraseQueryTests()
    {
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveAnalyzer.ForIndexing())))
        {
            for (var i = 0; i < Bodies.Length; i++)
            {
                var content = new ArchiveContent($"<m{i}@example.org>", null, i == 1 ? "the bus" : "", "", "", "", "", null, Bodies[i], []);
                var document = ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content);
                document.IndexWith(writer.AddDocument, wordPairs: true);
            }
            writer.DeleteDocuments(new TermQuery(new Term(ArchiveFields.All, "deleted")));
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }

    [Theory]
    [InlineData("please let me know")]
    [InlineData("let me know please")]
    [InlineData("the cat")]
    [InlineData("cat the cat")]
    [InlineData("bus transportation contract")]
    [InlineData("is late")]
    [InlineData("bus is")]
    [InlineData("know me let please")]
    [InlineData("contract bus")]
    public void FindsAndScoresExactlyWhatThePhraseDoes(string words)
    {
        var phrase = Phrase(words);
        var expected = _searcher.Search(phrase, 100).ScoreDocs.Select(d => (d.Doc, d.Score)).ToList();
        // Narrowed by its pairs, and checked rarest word first alone (as in an index without pairs).
        foreach (var pairsIndexed in new[] { true, false })
        {
            var rewritten = WordPairs.Rewrite(phrase, frequent: null, pairsIndexed);
            Assert.IsType<RarestWordFirstPhraseQuery>(rewritten);
            var actual = _searcher.Search(rewritten, 100).ScoreDocs.Select(d => (d.Doc, d.Score)).ToList();
            Assert.Equal(expected, actual);
            foreach (var (doc, score) in actual)
            {
                var explanation = _searcher.Explain(rewritten, doc);
                Assert.True(explanation.IsMatch);
                Assert.Equal(score, explanation.Value, 5);
            }
        }
    }

    [Fact]
    public void AnAbsentPhraseOfPresentWords_FindsNothing_AndAnItemDeletedFindsNothing()
    {
        foreach (var pairsIndexed in new[] { true, false })
        {
            Assert.Equal(0, _searcher.Search(WordPairs.Rewrite(Phrase("me please"), frequent: null, pairsIndexed), 10).TotalHits);
            // "please let me know" is in items 0, 4 and the deleted 7.
            Assert.Equal(2, _searcher.Search(WordPairs.Rewrite(Phrase("please let me know"), frequent: null, pairsIndexed), 10).TotalHits);
        }
    }

    [Fact]
    public void ThePhraseFrequency_CountsEveryOccurrence()
    {
        var top = _searcher.Search(WordPairs.Rewrite(Phrase("the cat"), frequent: null), 10);
        Assert.Equal(1, top.TotalHits);
        Assert.Contains("phraseFreq=3", _searcher.Explain(WordPairs.Rewrite(Phrase("the cat"), frequent: null), top.ScoreDocs[0].Doc).ToString(), StringComparison.Ordinal);
    }

    private static PhraseQuery Phrase(string words)
    {
        var phrase = new PhraseQuery();
        foreach (var word in words.Split(' '))
        {
            phrase.Add(new Term(ArchiveFields.All, word));
        }
        return phrase;
    }
}
