using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;
using Directory = Lucene.Net.Store.Directory;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The Lucene index under &lt;data&gt;/archive-index. One instance per process owns the IndexWriter (Lucene's write.lock
/// allows one writer per directory), opened only when this process first writes, so a web host that only searches
/// never blocks an import run from the command line. Readers are near-real-time through a SearcherManager over the
/// writer when this process writes, else over the last commit, refreshed before every search.
/// </summary>
public sealed class ArchiveIndex : IDisposable
{
    /// <summary>Commit user data: the highest archive_item_sources id whose item is in this commit (see ArchiveIndexer).</summary>
    private const string WatermarkKey = "archive.sourceWatermark";

    /// <summary>Commit user data: the <see cref="ArchiveDocuments.Schema"/> the committed documents were built with.</summary>
    private const string SchemaKey = "archive.schema";

    /// <summary>Commit user data: whether the committed documents hold <see cref="ArchiveFields.Pairs"/>.</summary>
    private const string WordPairsKey = "archive.wordPairs";

    /// <summary>Commit user data: the <see cref="FrequentWords"/> whose pairs documents hold since the index chose them;
    /// absent while every pair is kept.</summary>
    private const string FrequentWordsKey = "archive.pairWords";

    /// <summary>How much the indexing threads hold in memory before the largest writes itself out as a segment.</summary>
    private const double BufferMB = 256;

    /// <summary>The buffer once an import has read all its input (<see cref="InputEnded"/>): each indexing thread
    /// writes out what it holds on its next document, and then holds little. Measured on 50,000 Enron messages on a
    /// shared 2-core machine (load 7 to 12): the final commit took 0.3 to 1.0 s, against 5.8 and 9.1 s before.</summary>
    private const double InputEndedBufferMB = 32;

    private readonly System.Threading.Lock _gate = new();
    private readonly Directory _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;

    /// <summary>This process's writer's choice of frequent words (loaded from the last commit when the writer opened, or
    /// chosen since); null while every pair is kept.</summary>
    private volatile FrequentWords? _frequentWords;

    /// <summary>Documents in the writer (at its opening, and added since): the frequent words are chosen once this reaches
    /// <see cref="_frequentWordsAfter"/>.</summary>
    private long _documents;

    private readonly int _frequentWordsAfter;

    /// <summary>The frequent words this process's writer indexes pairs of; null while every pair is kept.</summary>
    internal FrequentWords? ChosenFrequentWords => _frequentWords;
    private int _choosing;

    public ArchiveIndex(IOptions<RecordsOptions> options, IOptions<ArchiveOptions> archive)
    {
        WordPairs = archive.Value.WordPairs;
        _frequentWordsAfter = archive.Value.FrequentWordsAfter;
        Path = System.IO.Path.Combine(options.DataPath(), "archive-index");
        System.IO.Directory.CreateDirectory(Path);
        _directory = FSDirectory.Open(Path);
    }

    public string Path { get; }

    /// <summary>Whether documents get <see cref="ArchiveFields.Pairs"/> and phrases are searched with them. An index
    /// committed with the other choice is outdated, so a searched index always matches this.</summary>
    public bool WordPairs { get; }

    public static ArchiveAnalyzer IndexAnalyzer { get; } = ArchiveAnalyzer.ForIndexing();

    public static ArchiveAnalyzer QueryAnalyzer { get; } = ArchiveAnalyzer.ForQueries();

    /// <summary>The source watermark of the last commit, 0 for an empty or missing index.</summary>
    public long Watermark => ParseWatermark(LastCommit().Data);

    /// <summary>
    /// True when the last commit holds documents built with an earlier <see cref="ArchiveDocuments.Schema"/> (an index
    /// from before the key was written counts as schema 1), or with or without word pairs where this process's
    /// setting says the opposite. An empty or missing index is never outdated.
    /// </summary>
    public bool IsOutdated
    {
        get
        {
            var (data, documents) = LastCommit();
            return documents > 0 && (SchemaOf(data) < ArchiveDocuments.Schema || HasWordPairs(data) != WordPairs);
        }
    }

    /// <summary>The user data of the last commit (as this process's writer holds it, or as the directory has it) and
    /// how many documents the index holds; nothing for a missing index.</summary>
    private (IDictionary<string, string>? Data, int Documents) LastCommit()
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                return (_writer.CommitData, _writer.MaxDoc);
            }
            if (!DirectoryReader.IndexExists(_directory))
            {
                return (null, 0);
            }
            var commit = new SegmentInfos();
            commit.Read(_directory);
            return (commit.UserData, commit.TotalDocCount);
        }
    }

    /// <summary>The reader version whose schema was last checked, and the answer: reading the commit on every search would cost more than the search.</summary>
    private volatile SchemaCheck? _checked;

    private sealed record SchemaCheck(long Version, bool Outdated, FrequentWords? FrequentWords);

    private SchemaCheck CheckOf(IndexReader reader)
    {
        var version = reader is DirectoryReader directoryReader ? directoryReader.Version : -1;
        if (_checked is { } known && known.Version == version)
        {
            return known;
        }
        var commit = reader is DirectoryReader { IndexCommit: { } indexCommit } ? indexCommit.UserData : null;
        var check = new SchemaCheck(version, IsOutdated, FrequentWordsIn(commit));
        _checked = check;
        return check;
    }

    public void Upsert(Guid itemId, ItemDocument document)
    {
        var writer = Writer;
        document.IndexWith(d => writer.UpdateDocument(new Term(ArchiveFields.Id, itemId.ToString("N")), d), WordPairs, PairWordsForNextDocument());
    }

    /// <summary>Adds an item known not to be in the index yet: cheaper than <see cref="Upsert"/>, which must look it up.</summary>
    public void Add(ItemDocument document)
    {
        var writer = Writer;
        document.IndexWith(d => writer.AddDocument(d), WordPairs, PairWordsForNextDocument());
    }

    /// <summary>
    /// The words whose pairs the next document keeps: null (every pair) until the index holds
    /// <see cref="ArchiveOptions.FrequentWordsAfter"/> documents, then the words frequent in those, chosen once by the
    /// thread that adds that document while the others go on adding with every pair. The choice is made before any
    /// document is indexed with it, so every document in any reader holds at least the pairs of the frequent words.
    /// </summary>
    private FrequentWords? PairWordsForNextDocument()
    {
        if (!WordPairs || _frequentWords is not null)
        {
            return _frequentWords;
        }
        if (Interlocked.Increment(ref _documents) > _frequentWordsAfter && Interlocked.CompareExchange(ref _choosing, 1, 0) == 0)
        {
            // The count is only a trigger (updates replace documents, a rebuild deletes them all): the reader decides.
            using var reader = DirectoryReader.Open(Writer, applyAllDeletes: true);
            if (reader.NumDocs >= _frequentWordsAfter)
            {
                _frequentWords = FrequentWords.Choose(reader);
            }
            else
            {
                Interlocked.Exchange(ref _documents, reader.NumDocs);
                Volatile.Write(ref _choosing, 0);
            }
        }
        return _frequentWords;
    }

    /// <summary>
    /// <paramref name="query"/> as it is run on <paramref name="searcher"/>: each phrase typed without a field is checked
    /// rarest word first, and with word pairs one made of frequent words is narrowed by their pairs
    /// (<see cref="WordPairs"/>), as the searcher's documents were indexed.
    /// </summary>
    public Query AsRunOn(Query query, IndexSearcher searcher) =>
        Archive.WordPairs.Rewrite(query, WordPairs ? FrequentWordsOf(searcher.IndexReader) : null, pairsIndexed: WordPairs);

    /// <summary>In the process that writes, its writer's choice, which is made before documents use it; elsewhere the
    /// choice in the commit the reader reads.</summary>
    private FrequentWords? FrequentWordsOf(IndexReader reader)
    {
        lock (_gate)
        {
            if (_writer is not null)
            {
                return _frequentWords;
            }
        }
        return CheckOf(reader).FrequentWords;
    }

    /// <summary>Empties the index for a rebuild. A choice of frequent words stays: it is valid for any documents.</summary>
    public void DeleteAll()
    {
        Writer.DeleteAll();
        Interlocked.Exchange(ref _documents, 0);
    }

    /// <summary>
    /// An import has read all of its input: from here the indexing threads write out what they hold while they index
    /// the last batches, each on its own core, instead of the final commit writing it all out on one thread while the
    /// other core idles. The next commit makes the buffer large again.
    /// </summary>
    public void InputEnded() => Writer.Config.RAMBufferSizeMB = InputEndedBufferMB;

    /// <summary>Blocks until the merges this process's writer started have finished (the benchmark times queries after).</summary>
    internal void WaitForMerges()
    {
        IndexWriter? writer;
        lock (_gate)
        {
            writer = _writer;
        }
        writer?.WaitForMerges();
    }

    /// <summary>Makes everything written so far durable and records which sources it reflects.</summary>
    public void Commit(long watermark)
    {
        var writer = Writer;
        var data = new Dictionary<string, string>
        {
            [WatermarkKey] = watermark.ToString(CultureInfo.InvariantCulture),
            [SchemaKey] = ArchiveDocuments.Schema.ToString(CultureInfo.InvariantCulture),
            [WordPairsKey] = WordPairs ? "true" : "false",
        };
        if (_frequentWords is { } frequent)
        {
            data[FrequentWordsKey] = frequent.ToString();
        }
        writer.SetCommitData(data);
        writer.Commit();
        writer.Config.RAMBufferSizeMB = BufferMB;
        _searchers?.MaybeRefresh();
    }

    /// <summary>Runs a search on a current searcher; <paramref name="whenEmpty"/> when no index exists yet.</summary>
    /// <exception cref="ArchiveIndexOutdatedException">The index was built with an earlier document layout.</exception>
    public T Search<T>(Func<IndexSearcher, T> search, T whenEmpty)
    {
        var searchers = Searchers;
        if (searchers is null)
        {
            return whenEmpty;
        }
        searchers.MaybeRefreshBlocking();
        var searcher = searchers.Acquire();
        try
        {
            if (CheckOf(searcher.IndexReader).Outdated)
            {
                throw new ArchiveIndexOutdatedException();
            }
            return search(searcher);
        }
        finally
        {
            searchers.Release(searcher);
        }
    }

    private IndexWriter Writer
    {
        get
        {
            lock (_gate)
            {
                if (_writer is null)
                {
                    var config = new IndexWriterConfig(ArchiveAnalyzer.Version, IndexAnalyzer)
                    {
                        OpenMode = OpenMode.CREATE_OR_APPEND,
                        RAMBufferSizeMB = BufferMB,
                        Codec = new ArchiveCodec(),
                        // A flushed segment stays as the files it was written as. Copying them into one compound file
                        // cost the final commit of 50,000 Enron messages seconds on one core, for a saving of file handles
                        // an archive's few large segments do not need.
                        UseCompoundFile = false,
                    };
                    _writer = new IndexWriter(_directory, config);
                    _frequentWords = FrequentWordsIn(_writer.CommitData);
                    _documents = _writer.MaxDoc;
                    _searchers?.Dispose();
                    _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
                }
                return _writer;
            }
        }
    }

    private SearcherManager? Searchers
    {
        get
        {
            lock (_gate)
            {
                if (_searchers is null && DirectoryReader.IndexExists(_directory))
                {
                    _searchers = new SearcherManager(_directory, searcherFactory: null);
                }
                return _searchers;
            }
        }
    }

    private static int SchemaOf(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(SchemaKey, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : 1;

    private static bool HasWordPairs(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(WordPairsKey, out var value) && value == "true";

    private static FrequentWords? FrequentWordsIn(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(FrequentWordsKey, out var value) ? FrequentWords.Parse(value) : null;

    private static long ParseWatermark(IDictionary<string, string>? data) =>
        data is not null && data.TryGetValue(WatermarkKey, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    public void Dispose()
    {
        lock (_gate)
        {
            _searchers?.Dispose();
            _writer?.Dispose();
            _directory.Dispose();
        }
    }
}
