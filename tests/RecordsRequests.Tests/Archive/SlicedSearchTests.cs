using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// A search split into slices (of whole segments, or parts of one) must give exactly what one pass over the whole index gives: the same hits in
/// the same order (ties in index order), the same exact count and the same fee figures.
/// </summary>
public sealed class SlicedSearchTests : IDisposable
{
    private const int Messages = 600;
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;

    public SlicedSearchTests()
    {
        var config = new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveIndex.IndexAnalyzer) { MergePolicy = NoMergePolicy.NO_COMPOUND_FILES };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (var i = 0; i < Messages; i++)
            {
                // Repeated bodies give equal scores, so the order of ties is tested too.
                var body = (i % 3) switch
                {
                    0 => "The bus contract for the field trip",
                    1 => "Bus bus schedule changes",
                    _ => "Lunch menu for next week",
                };
                var attachments = i % 5 == 0 ? new[] { new ArchiveAttachment("route.pdf", "bus route map", 3) } : [];
                var content = new ArchiveContent($"<m{i}@example.org>", null, $"Message {i}", "clerk@district.example", "office@district.example", "", "",
                    new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i * 7 % 500), body, attachments);
                ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content).IndexWith(writer.AddDocument, wordPairs: false);
                if (i % 97 == 96)
                {
                    writer.Commit(); // a segment boundary
                }
            }
        }
        _reader = DirectoryReader.Open(_directory);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(250)]
    public void Collect_AcrossSlices_MatchesOnePassOverTheIndex_ByRelevance(int wanted)
    {
        var searcher = new IndexSearcher(_reader);
        Assert.True(_reader.Leaves.Count > 2);
        var query = Parse("bus");

        var (sliced, fee) = ArchiveSearch.Collect(searcher, query, sort: null, wanted, minimumSliceDocuments: 1);
        var single = searcher.Search(query, wanted);

        Assert.Equal(single.TotalHits, fee.Hits);
        Assert.Equal(single.ScoreDocs.Select(d => (d.Doc, d.Score)), sliced.ScoreDocs.Select(d => (d.Doc, d.Score)));
    }

    [Fact]
    public void Collect_AcrossSlices_MatchesOnePassOverTheIndex_ByDate()
    {
        var searcher = new IndexSearcher(_reader);
        var query = Parse("bus");
        var sort = new Sort(new SortField(ArchiveFields.Date, SortFieldType.INT64, reverse: true), SortField.FIELD_SCORE);

        var (sliced, _) = ArchiveSearch.Collect(searcher, query, sort, 50, minimumSliceDocuments: 1);
        var single = searcher.Search(query, null, 50, sort, doDocScores: true, doMaxScore: false);

        Assert.Equal(single.ScoreDocs.Select(d => d.Doc), sliced.ScoreDocs.Select(d => d.Doc));
    }

    [Fact]
    public void Collect_AcrossSlices_AddsUpFeeFiguresOfEveryHit()
    {
        var searcher = new IndexSearcher(_reader);

        var (_, fee) = ArchiveSearch.Collect(searcher, Parse("route"), sort: null, 10, minimumSliceDocuments: 1);

        // Every fifth message has the three-page route map attached, and one page of body of its own.
        Assert.Equal(Messages / 5, fee.Hits);
        Assert.Equal(Messages / 5, fee.Attachments);
        Assert.Equal(Messages / 5 * 4, fee.EstimatedPages);
    }

    [Theory]
    [InlineData("bus")]
    [InlineData("\"bus contract\"")]
    [InlineData("bus AND NOT lunch")]
    [InlineData("bus OR lunch")]
    [InlineData("bus*")]
    public void Collect_SplittingOneLargeSegment_MatchesOnePassOverIt(string text)
    {
        using var directory = new RAMDirectory(_directory, IOContext.DEFAULT);
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveIndex.IndexAnalyzer)))
        {
            writer.DeleteDocuments(new Term(ArchiveFields.All, "10")); // "Message 10": a deleted item inside the segment
            writer.ForceMerge(1);
        }
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        Assert.Single(reader.Leaves);
        var query = Parse(text);

        var (sliced, fee) = ArchiveSearch.Collect(searcher, query, sort: null, 250, minimumSliceDocuments: 1);
        var single = searcher.Search(query, 250);

        Assert.Equal(single.TotalHits, fee.Hits);
        Assert.Equal(single.ScoreDocs.Select(d => (d.Doc, d.Score)), sliced.ScoreDocs.Select(d => (d.Doc, d.Score)));
    }

    private static Query Parse(string text) =>
        new Lucene.Net.QueryParsers.Classic.QueryParser(ArchiveAnalyzer.Version, ArchiveFields.All, ArchiveIndex.QueryAnalyzer).Parse(text);

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }
}
