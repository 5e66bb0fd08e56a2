using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// Each text of an item is analysed once, for the catch-all field, and its own field replays those words. What a user
/// relies on is that the index is exactly the one analysing every field would give: the same terms, documents,
/// frequencies and positions (phrases and field searches) and the same norms (scores), on all of the shared Enron mail.
/// </summary>
public sealed class CatchAllRecordingTests
{
    private static readonly string[] TextFields =
    [
        ArchiveFields.From, ArchiveFields.To, ArchiveFields.Cc, ArchiveFields.Bcc, ArchiveFields.Subject, ArchiveFields.Body,
        ArchiveFields.AttachmentNames, ArchiveFields.AttachmentText, ArchiveFields.All,
    ];

    [Fact]
    public void EveryTextFieldOfTheEnronMail_IsIndexedAsAnalysingItWouldIndexIt()
    {
        var contents = System.IO.Directory.EnumerateFiles(PunctuationSplitFilterTests.EnronFolder(), "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(file => ContentExtractor.FromMessageBytes(File.ReadAllBytes(file)))
            .Concat(WithAttachments())
            .ToList();
        Assert.True(contents.Count > 2000);

        using var replayed = Index(contents, (writer, content) =>
            ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content).IndexWith(writer.AddDocument, wordPairs: true));
        using var analysed = Index(contents, (writer, content) => writer.AddDocument(AnalysedDocument(content)));

        foreach (var field in TextFields)
        {
            var expected = Postings(analysed, field);
            Assert.True(expected.Count > 0 || field is ArchiveFields.Bcc, $"no words in {field}");
            AssertSame(field, "postings", expected, Postings(replayed, field));
            AssertSame(field, "norms", Norms(analysed, field), Norms(replayed, field));
        }
        // The stored values a hit shows are unchanged too.
        for (var doc = 0; doc < contents.Count; doc += 97)
        {
            Assert.Equal(analysed.Document(doc).GetValues(ArchiveFields.Subject, CultureInfo.InvariantCulture), replayed.Document(doc).GetValues(ArchiveFields.Subject, CultureInfo.InvariantCulture));
            Assert.Equal(analysed.Document(doc).GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture), replayed.Document(doc).GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void ADocumentAddedWithoutItsRecording_IsRefusedWithTheReason_NotIndexedWithoutWords()
    {
        using var directory = new RAMDirectory();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveAnalyzer.ForIndexing()));
        var content = new ArchiveContent("<a@example.org>", null, "Bus contract", "clerk@district.example", "", "", "", null, "The bus contract", []);
        var document = ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content);

        var refused = Assert.Throws<InvalidOperationException>(() => writer.AddDocument(document.Fields));
        Assert.Contains("catch-all", refused.Message, StringComparison.Ordinal);
    }

    private static void AssertSame<T>(string field, string what, List<T> expected, List<T> actual)
    {
        var first = Enumerable.Range(0, Math.Min(expected.Count, actual.Count)).FirstOrDefault(i => !Equals(expected[i], actual[i]), -1);
        Assert.True(first < 0 && expected.Count == actual.Count,
            $"{what} of {field} differ: {expected.Count} against {actual.Count}; first at {first}: {(first < 0 ? "" : $"{expected[first]} against {actual[first]}")}");
    }

    [Fact]
    public void ADocumentIsIndexedOnce_ItsRecordingServesTheNextDocumentAfterwards()
    {
        using var directory = new RAMDirectory();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveAnalyzer.ForIndexing()));
        ItemDocument Build(string body) => ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"],
            new ArchiveContent($"<{body}@example.org>", null, "", "", "", "", "", null, body, []));
        // Two documents built before either is indexed keep their own words.
        var first = Build("first bus");
        var second = Build("second lunch");
        second.IndexWith(writer.AddDocument, wordPairs: false);
        first.IndexWith(writer.AddDocument, wordPairs: false);
        Build("third bus").IndexWith(writer.AddDocument, wordPairs: false);

        Assert.Throws<InvalidOperationException>(() => first.IndexWith(writer.AddDocument, wordPairs: false));
        using var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
        var searcher = new IndexSearcher(reader);
        Assert.Equal(2, searcher.Search(new TermQuery(new Term(ArchiveFields.Body, "bus")), 10).TotalHits);
        Assert.Equal(1, searcher.Search(new TermQuery(new Term(ArchiveFields.Body, "lunch")), 10).TotalHits);
        Assert.Equal(1, searcher.Search(new TermQuery(new Term(ArchiveFields.Body, "first")), 10).TotalHits);
        Assert.Equal(3, reader.NumDocs);
    }

    /// <summary>Several attachments (an empty text, punctuation only, a long text), which the Enron maildir lacks.</summary>
    private static IEnumerable<ArchiveContent> WithAttachments()
    {
        var longText = string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"word{i % 211} budget.{i % 7} O'Neil's"));
        yield return new ArchiveContent("<att1@example.org>", null, "Route map: v2.1", "clerk@district.example", "office@district.example; bus@district.example",
            "cc@district.example", "", null, "See the attached routes.",
            [new ArchiveAttachment("route-map.pdf", "bus route map, stops 1-12", 3), new ArchiveAttachment("empty.txt", "", 1),
             new ArchiveAttachment("dots.txt", "... --- !!!", 1), new ArchiveAttachment("minutes.docx", longText, 40)]);
        yield return new ArchiveContent("<att2@example.org>", null, "", "", "", "", "", null, "", [new ArchiveAttachment("only.pdf", "only an attachment", 1)]);
    }

    /// <summary>What the catch-all recording replaces: every text analysed in its own field, as the index was built before.</summary>
    private static Document AnalysedDocument(ArchiveContent content)
    {
        var document = new Document();
        void Add(string field, string value, bool store)
        {
            if (value.Length > 0)
            {
                document.Add(new TextField(field, value, store ? Field.Store.YES : Field.Store.NO));
                document.Add(new TextField(ArchiveFields.All, value, Field.Store.NO));
            }
        }
        // Long texts store their opening, an empty one too.
        void AddLong(string field, string value)
        {
            Add(field, value, store: false);
            document.Add(new StoredField(field, value.Length > ArchiveDocuments.SnippetSourceChars ? value[..ArchiveDocuments.SnippetSourceChars] : value));
        }
        Add(ArchiveFields.From, content.From, store: true);
        Add(ArchiveFields.To, content.To, store: true);
        Add(ArchiveFields.Cc, content.Cc, store: false);
        Add(ArchiveFields.Bcc, content.Bcc, store: false);
        Add(ArchiveFields.Subject, content.Subject, store: true);
        AddLong(ArchiveFields.Body, content.Body);
        foreach (var attachment in content.Attachments)
        {
            Add(ArchiveFields.AttachmentNames, attachment.FileName, store: true);
            AddLong(ArchiveFields.AttachmentText, attachment.Text);
        }
        return document;
    }

    private static DirectoryReader Index(List<ArchiveContent> contents, Action<IndexWriter, ArchiveContent> add)
    {
        var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveAnalyzer.ForIndexing())))
        {
            foreach (var content in contents)
            {
                add(writer, content);
            }
            writer.ForceMerge(1);
        }
        return DirectoryReader.Open(directory);
    }

    /// <summary>Every term of the field with, per document, its frequency and positions.</summary>
    private static List<string> Postings(IndexReader reader, string field)
    {
        var lines = new List<string>();
        var terms = MultiFields.GetTerms(reader, field);
        if (terms is null)
        {
            return lines;
        }
        var termsEnum = terms.GetEnumerator();
        DocsAndPositionsEnum? positions = null;
        while (termsEnum.MoveNext())
        {
            positions = termsEnum.DocsAndPositions(MultiFields.GetLiveDocs(reader), positions);
            while (positions.NextDoc() != DocIdSetIterator.NO_MORE_DOCS)
            {
                var at = Enumerable.Range(0, positions.Freq).Select(_ => positions.NextPosition());
                lines.Add($"{termsEnum.Term.Utf8ToString()} {positions.DocID}: {string.Join(',', at)}");
            }
        }
        return lines;
    }

    private static List<long> Norms(IndexReader reader, string field)
    {
        var norms = MultiDocValues.GetNormValues(reader, field);
        return norms is null ? [] : Enumerable.Range(0, reader.MaxDoc).Select(doc => norms.Get(doc)).ToList();
    }
}
