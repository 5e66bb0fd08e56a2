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

    private readonly System.Threading.Lock _gate = new();
    private readonly Directory _directory;
    private IndexWriter? _writer;
    private SearcherManager? _searchers;

    public ArchiveIndex(IOptions<RecordsOptions> options)
    {
        Path = System.IO.Path.Combine(options.DataPath(), "archive-index");
        System.IO.Directory.CreateDirectory(Path);
        _directory = FSDirectory.Open(Path);
    }

    public string Path { get; }

    public static ArchiveAnalyzer Analyzer { get; } = new();

    /// <summary>The source watermark of the last commit, 0 for an empty or missing index.</summary>
    public long Watermark
    {
        get
        {
            lock (_gate)
            {
                if (_writer is not null)
                {
                    return ParseWatermark(_writer.CommitData);
                }
                if (!DirectoryReader.IndexExists(_directory))
                {
                    return 0;
                }
                var commit = new SegmentInfos();
                commit.Read(_directory);
                return ParseWatermark(commit.UserData);
            }
        }
    }

    public void Upsert(Guid itemId, Lucene.Net.Documents.Document document) =>
        Writer.UpdateDocument(new Term(ArchiveFields.Id, itemId.ToString("N")), document);

    /// <summary>Adds an item known not to be in the index yet: cheaper than <see cref="Upsert"/>, which must look it up.</summary>
    public void Add(Lucene.Net.Documents.Document document) => Writer.AddDocument(document);

    public void DeleteAll() => Writer.DeleteAll();

    /// <summary>Makes everything written so far durable and records which sources it reflects.</summary>
    public void Commit(long watermark)
    {
        var writer = Writer;
        writer.SetCommitData(new Dictionary<string, string> { [WatermarkKey] = watermark.ToString(CultureInfo.InvariantCulture) });
        writer.Commit();
        _searchers?.MaybeRefresh();
    }

    /// <summary>Runs a search on a current searcher; null when no index exists yet.</summary>
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
                    var config = new IndexWriterConfig(ArchiveAnalyzer.Version, Analyzer)
                    {
                        OpenMode = OpenMode.CREATE_OR_APPEND,
                        RAMBufferSizeMB = 256,
                    };
                    _writer = new IndexWriter(_directory, config);
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
