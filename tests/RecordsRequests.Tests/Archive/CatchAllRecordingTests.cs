using System.Globalization;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Spans;
using Lucene.Net.Store;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// Each text of an item is analysed once, for the catch-all field, and its own field replays those words; a long text
/// (body, attachment text) has no field of its own and is found between its field's markers in the catch-all. What a
/// user relies on is that searching the index is exactly searching the one analysing every field would give: the same
/// terms, documents, frequencies and positions (phrases and field searches) and the same norms (scores), on all of the
/// shared Enron mail, and the same items for a word or phrase limited to a long-text field.
/// </summary>
public sealed class CatchAllRecordingTests : IClassFixture<CatchAllRecordingTests.EnronIndexes>
{
    private static readonly string[] FieldsWithPostings =
    [
        ArchiveFields.From, ArchiveFields.To, ArchiveFields.Cc, ArchiveFields.Bcc, ArchiveFields.Subject,
        ArchiveFields.AttachmentNames, ArchiveFields.All,
    ];

    private readonly EnronIndexes _indexes;

    public CatchAllRecordingTests(EnronIndexes indexes) => _indexes = indexes;

    /// <summary>The shared Enron mail and a few items with attachments, indexed as the archive does (replayed) and with
    /// every text analysed in a field of its own (analysed): the same documents in the same order.</summary>
    public sealed class EnronIndexes : IDisposable
    {
        public EnronIndexes()
        {
            var contents = System.IO.Directory.EnumerateFiles(PunctuationSplitFilterTests.EnronFolder(), "*", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(file => ContentExtractor.FromMessageBytes(File.ReadAllBytes(file)))
                .Concat(WithAttachments())
                .ToList();
            Assert.True(contents.Count > 2000);
            Contents = contents;
            Replayed = Index(contents, (writer, content) =>
                ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"], content).IndexWith(writer.AddDocument, wordPairs: true));
            Analysed = Index(contents, (writer, content) => writer.AddDocument(AnalysedDocument(content)));
        }

        public List<ArchiveContent> Contents { get; }

        public DirectoryReader Replayed { get; }

        public DirectoryReader Analysed { get; }

        public void Dispose()
        {
            Replayed.Dispose();
            Analysed.Dispose();
        }
    }

    [Fact]
    public void EveryTextFieldOfTheEnronMail_IsIndexedAsAnalysingItWouldIndexIt()
    {
        var (replayed, analysed) = (_indexes.Replayed, _indexes.Analysed);
        foreach (var field in FieldsWithPostings)
        {
            var expected = Postings(analysed, field);
            Assert.True(expected.Count > 0 || field is ArchiveFields.Bcc, $"no words in {field}");
            // The markers of long texts are the only terms the catch-all has beyond the words; they take no position of
            // their own and do not count in the field's length.
            AssertSame(field, "postings", expected, Postings(replayed, field).Where(line => !line.StartsWith('\u0001')).ToList());
            AssertSame(field, "norms", Norms(analysed, field), Norms(replayed, field));
        }
        foreach (var field in LocatedTexts.Fields)
        {
            Assert.NotEmpty(Postings(analysed, field));
            Assert.Empty(Postings(replayed, field));
        }
        // The stored values a hit shows are unchanged too.
        for (var doc = 0; doc < _indexes.Contents.Count; doc += 97)
        {
            Assert.Equal(analysed.Document(doc).GetValues(ArchiveFields.Subject, CultureInfo.InvariantCulture), replayed.Document(doc).GetValues(ArchiveFields.Subject, CultureInfo.InvariantCulture));
            Assert.Equal(analysed.Document(doc).GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture), replayed.Document(doc).GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void EveryWordOfTheLongTexts_LimitedToItsField_FindsTheItemsAFieldOfItsOwnWouldFind()
    {
        var (replayed, analysed) = (_indexes.Replayed, _indexes.Analysed);
        var (replayedSearcher, analysedSearcher) = (new IndexSearcher(replayed), new IndexSearcher(analysed));
        foreach (var field in LocatedTexts.Fields)
        {
            var words = Words(analysed, field);
            Assert.True(words.Count > (field == ArchiveFields.Body ? 10_000 : 100), $"{words.Count} words in {field}");
            foreach (var word in words)
            {
                var expected = Hits(analysedSearcher, new TermQuery(new Term(field, word)));
                var actual = Hits(replayedSearcher, new WithinTextsQuery(new SpanTermQuery(new Term(ArchiveFields.All, word)), field));
                Assert.True(expected.SequenceEqual(actual), $"{field}:{word} found {actual.Count} items, not {expected.Count}");
            }
        }
    }

    [Fact]
    public void PhrasesWildcardsAndFuzzyWords_LimitedToALongTextField_FindWhatAFieldOfItsOwnWouldFind()
    {
        var (replayedSearcher, analysedSearcher) = (new IndexSearcher(_indexes.Replayed), new IndexSearcher(_indexes.Analysed));
        var queries = new List<(string Field, string Text)>();
        // Two and three neighbouring words of every 20th body and of each attachment, the words as typed in the text.
        for (var i = 0; i < _indexes.Contents.Count; i++)
        {
            var content = _indexes.Contents[i];
            if (i % 20 == 0)
            {
                queries.AddRange(Neighbours(content.Body).Select(phrase => (ArchiveFields.Body, phrase)));
            }
            queries.AddRange(content.Attachments.SelectMany(a => Neighbours(a.Text)).Select(phrase => (ArchiveFields.AttachmentText, phrase)));
        }
        queries.AddRange([(ArchiveFields.Body, "budg*"), (ArchiveFields.Body, "enron~1"),
            (ArchiveFields.Body, "contract*"), (ArchiveFields.AttachmentText, "word1*"), (ArchiveFields.AttachmentText, "\"budget 3\"")]);
        Assert.True(queries.Count > 1000, $"{queries.Count} queries");
        var oracle = new QueryParser(ArchiveAnalyzer.Version, ArchiveFields.All, ArchiveIndex.QueryAnalyzer) { DefaultOperator = Operator.AND, AutoGeneratePhraseQueries = true };
        var parser = ArchiveQueryParser.ForSearch();
        var found = 0;
        foreach (var (field, text) in queries)
        {
            var typed = $"{field}:{text}";
            var expected = Hits(analysedSearcher, oracle.Parse(typed));
            var actual = Hits(replayedSearcher, parser.Parse(typed));
            Assert.True(expected.SequenceEqual(actual), $"{typed} found {actual.Count} items, not {expected.Count}");
            found += expected.Count > 0 ? 1 : 0;
        }
        Assert.True(found > queries.Count * 9 / 10, $"only {found} of {queries.Count} queries found anything");
    }

    [Fact]
    public void AWordInTheSubjectOrAnAttachmentName_IsNotFoundAsBodyText()
    {
        using var directory = new RAMDirectory();
        using var writer = new IndexWriter(directory, new IndexWriterConfig(ArchiveAnalyzer.Version, ArchiveAnalyzer.ForIndexing()));
        void Add(string subject, string body, params ArchiveAttachment[] attachments) =>
            ArchiveDocuments.Build(Guid.NewGuid(), ArchiveItemKind.Message, ["clerk"],
                new ArchiveContent($"<{Guid.NewGuid()}@example.org>", null, subject, "clerk@district.example", "", "", "", null, body, attachments))
                .IndexWith(writer.AddDocument, wordPairs: false);
        Add("Bus contract", "See below.");
        Add("Minutes", "", new ArchiveAttachment("bus-contract.pdf", "The bus contract was signed.", 2));
        Add("Lunch", "The bus contract is late.", new ArchiveAttachment("menu.pdf", "lunch menu", 1));
        Add("Contract", "bus", new ArchiveAttachment("notes.txt", "contract", 1));
        using var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
        var searcher = new IndexSearcher(reader);
        var parser = ArchiveQueryParser.ForSearch();
        int Count(string typed) => searcher.Search(parser.Parse(typed), 10).TotalHits;

        Assert.Equal(1, Count("body:contract"));
        Assert.Equal(1, Count("body:\"bus contract\""));
        Assert.Equal(2, Count("attachmenttext:contract"));
        Assert.Equal(1, Count("attachmenttext:\"bus contract\""));
        // The end of one text and the start of the next are no phrase (the last item's body and attachment).
        Assert.Equal(3, Count("\"bus contract\""));
        Assert.Equal(1, Count("body:\"bus late\"~3"));
        Assert.Equal(0, Count("body:\"bus late\"~1"));
        Assert.Equal(4, Count("contract"));
        Assert.Equal(1, Count("body:contr*"));
        Assert.Equal(1, Count("attachmenttext:lunch"));
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
        var parser = ArchiveQueryParser.ForSearch();
        Assert.Equal(2, searcher.Search(parser.Parse("body:bus"), 10).TotalHits);
        Assert.Equal(1, searcher.Search(parser.Parse("body:lunch"), 10).TotalHits);
        Assert.Equal(1, searcher.Search(parser.Parse("body:first"), 10).TotalHits);
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

    /// <summary>The distinct words of a field (its terms), in term order.</summary>
    private static List<string> Words(IndexReader reader, string field)
    {
        var words = new List<string>();
        var termsEnum = MultiFields.GetTerms(reader, field).GetEnumerator();
        while (termsEnum.MoveNext())
        {
            words.Add(termsEnum.Term.Utf8ToString());
        }
        return words;
    }

    private static List<int> Hits(IndexSearcher searcher, Query query) =>
        [.. searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc)).ScoreDocs.Select(hit => hit.Doc).Order()];

    /// <summary>Two and three neighbouring words from the opening of a text, quoted as a phrase.</summary>
    private static IEnumerable<string> Neighbours(string text)
    {
        var words = text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => word.Trim('"', '\\', '(', ')', '[', ']', '{', '}', ':', '^', '~', '*', '?', '!', '+', '-', '/', '&', '|'))
            .Where(word => word.Length > 0 && !word.Any(c => "\"\\:^~*?()[]{}!+-/&|".Contains(c)))
            .Take(40)
            .ToList();
        for (var i = 0; i + 2 < words.Count; i += 3)
        {
            yield return $"\"{words[i]} {words[i + 1]}\"";
            yield return $"\"{words[i]} {words[i + 1]} {words[i + 2]}\"";
        }
    }

    private static List<long> Norms(IndexReader reader, string field)
    {
        var norms = MultiDocValues.GetNormValues(reader, field);
        return norms is null ? [] : Enumerable.Range(0, reader.MaxDoc).Select(doc => norms.Get(doc)).ToList();
    }
}
