using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Queries;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Util;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Runs Lucene classic-syntax queries (AND/OR/NOT, "phrases", "proximity"~5, wild*cards, field:value) over the archive.
/// Terms without a field search every text field at once; the default operator is AND, so "bus contract" means both words.
/// </summary>
public sealed class ArchiveSearch(ArchiveIndex index, DistrictTime time)
{
    public const int MaxPageSize = 1000;
    private const int HighlightedExpansions = 64;

    /// <summary>Only the fields a hit shows are read from stored fields (not the page counts, ids of other kinds, etc.).</summary>
    private static readonly ISet<string> HitFields = new HashSet<string>(StringComparer.Ordinal)
    {
        ArchiveFields.Id, ArchiveFields.MessageId, ArchiveFields.Subject, ArchiveFields.From, ArchiveFields.Date, ArchiveFields.Custodian,
        ArchiveFields.Body, ArchiveFields.AttachmentNames, ArchiveFields.AttachmentText,
    };

    /// <summary>Its phases (search, stored fields, highlight) run inside activities of <see cref="Tracing.ArchiveSearch"/>.</summary>
    public ArchiveResult Search(ArchiveQuery request)
    {
        var phase = Tracing.ArchiveSearch.StartActivity("search");
        var parsed = Parse(request);
        var pageSize = Math.Clamp(request.PageSize, 1, MaxPageSize);
        var page = Math.Max(request.Page, 1);
        try
        {
            return index.Search(searcher =>
            {
                var query = index.AsRunOn(parsed, searcher);
                // One pass collects the exact hit count, the fee figures and the top hits of the page together.
                var wanted = page * pageSize;
                var sort = request.Sort switch
                {
                    ArchiveSort.Relevance => null,
                    _ => new Sort(new SortField(ArchiveFields.Date, SortFieldType.INT64, request.Sort == ArchiveSort.NewestFirst), SortField.FIELD_SCORE),
                };
                var (topDocs, totals) = Collect(searcher, query, sort, wanted);
                var scoreDocs = topDocs.ScoreDocs;
                phase = Tracing.ArchiveSearch.Next(phase, "stored fields");
                // Reading and highlighting a page is per-hit work with nothing shared, spread over the cores like the search.
                var documents = scoreDocs.Skip((page - 1) * pageSize).AsParallel().AsOrdered()
                    .Select(d => (ScoreDoc: d, Document: searcher.Doc(d.Doc, HitFields))).ToList();
                phase = Tracing.ArchiveSearch.Next(phase, "highlight");
                // The highlighter is given the query rewritten against this index, so a wildcard arrives as the terms it
                // matched instead of being expanded again inside every snippet. The search itself counts every match of a
                // wildcard; its highlight shows the 64 expanded terms that score highest, which bounds the snippet cost.
                var highlightable = searcher.Rewrite(Parse(request, new MultiTermQuery.TopTermsScoringBooleanQueryRewrite(HighlightedExpansions)));
                var hits = documents.AsParallel().AsOrdered().Select(d => ToHit(d.Document, d.ScoreDoc, highlightable)).ToList();
                phase?.Dispose();
                var generation = searcher.IndexReader is DirectoryReader reader ? reader.Version : 0;
                return new ArchiveResult(totals.Hits, hits, totals, generation);
            }, new ArchiveResult(0, [], new FeeHelp(0, 0, 0), 0));
        }
        catch (BooleanQuery.TooManyClausesException e)
        {
            // Limited to a long-text field, a wildcard is checked word by word (WithinTextsQuery); Lucene caps the words.
            throw new ArchiveQueryException(
                $"The query names more than {BooleanQuery.MaxClauseCount:N0} different words within body: or attachmenttext:; make a wildcard there longer, or search without the field name.", e);
        }
        finally
        {
            // An empty index answers without running the phases; a pass still open ends here.
            phase?.Dispose();
        }
    }

    /// <summary>
    /// Scores the index in contiguous slices of documents, one per core, and merges their top hits; ties keep index
    /// order, as a single pass would. Every hit is visited (exact counts and fee figures), so a common word costs time
    /// in proportion to the archive; splitting the documents is what lets a query use both cores of a small server.
    /// A slice may end inside a segment: a merged archive is mostly one large segment (at 1,000,000 generated messages,
    /// 723,268 of them in one of five), and slicing whole segments left one core with nearly three quarters of the work.
    /// </summary>
    internal static (TopDocs Top, FeeHelp Totals) Collect(IndexSearcher searcher, Query query, Sort? sort, int wanted,
        int minimumSliceDocuments = MinimumSliceDocuments)
    {
        var weight = searcher.CreateNormalizedWeight(query);
        // A part of a segment is scored in document order; a query whose fastest scorer takes documents out of order (a
        // disjunction of words alone) is split at segments only, so it keeps that scorer and its scores.
        var slices = Slices(searcher.IndexReader.Leaves, Environment.ProcessorCount, minimumSliceDocuments, splitSegments: !weight.ScoresDocsOutOfOrder);
        var tops = new TopDocs[slices.Count];
        var fees = new FeeCollector[slices.Count];
        void CollectSlice(int slice)
        {
            ITopDocsCollector top = sort is null
                ? TopScoreDocCollector.Create(wanted, docsScoredInOrder: false)
                : TopFieldCollector.Create(sort, wanted, fillFields: true, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
            var fee = new FeeCollector();
            var both = MultiCollector.Wrap(top, fee);
            foreach (var part in slices[slice])
            {
                part.Score(weight, both);
            }
            tops[slice] = top.GetTopDocs();
            fees[slice] = fee;
        }
        if (slices.Count == 1)
        {
            CollectSlice(0);
        }
        else
        {
            Parallel.For(0, slices.Count, CollectSlice);
        }
        var merged = TopDocs.Merge(sort, wanted, tops);
        return (merged, new FeeHelp(fees.Sum(f => f.Hits), fees.Sum(f => f.Pages), fees.Sum(f => f.Attachments)));
    }

    /// <summary>Below this many documents a slice is not worth a second thread.</summary>
    private const int MinimumSliceDocuments = 50_000;

    /// <summary>Documents <see cref="From"/> to <see cref="To"/> (exclusive) of one segment.</summary>
    private readonly record struct SegmentPart(AtomicReaderContext Leaf, int From, int To)
    {
        private bool IsWhole => From == 0 && To == Leaf.AtomicReader.MaxDoc;

        public void Score(Weight weight, ICollector collector)
        {
            collector.SetNextReader(Leaf);
            if (IsWhole)
            {
                weight.GetBulkScorer(Leaf, !collector.AcceptsDocsOutOfOrder, Leaf.AtomicReader.LiveDocs)?.Score(collector);
                return;
            }
            // What Lucene's bulk scorer does for an in-order scorer, from the first document of the part to its last.
            // A scorer asked for its next match searches on until it finds one (a phrase of common words that is nowhere
            // checks the words' positions in every item holding them all), so the documents after the part count as
            // deleted: it passes over them without checking anything. From the first, it would have done half of the
            // other part's work again (measured: 49 ms of CPU for such a phrase, against 38 in one pass).
            var maxDoc = Leaf.AtomicReader.MaxDoc;
            var live = Leaf.AtomicReader.LiveDocs;
            if (weight.GetScorer(Leaf, To < maxDoc ? new LiveBelow(live, To, maxDoc) : live) is not { } scorer)
            {
                return;
            }
            collector.SetScorer(scorer);
            for (var doc = From == 0 ? scorer.NextDoc() : scorer.Advance(From); doc < To; doc = scorer.NextDoc())
            {
                collector.Collect(doc);
            }
        }
    }

    /// <summary>The live documents of a segment that come before <paramref name="end"/>.</summary>
    private sealed class LiveBelow(IBits? live, int end, int maxDoc) : IBits
    {
        public int Length => maxDoc;

        public bool Get(int index) => index < end && (live is null || live.Get(index));
    }

    /// <summary>Splits the documents into up to <paramref name="count"/> runs of about equal size, in index order,
    /// cutting inside a segment where <paramref name="splitSegments"/> allows.</summary>
    private static List<List<SegmentPart>> Slices(IList<AtomicReaderContext> leaves, int count, int minimumSliceDocuments, bool splitSegments)
    {
        var total = leaves.Sum(l => (long)l.AtomicReader.MaxDoc);
        var target = Math.Max(minimumSliceDocuments, (total + count - 1) / Math.Max(count, 1));
        var slices = new List<List<SegmentPart>> { new() };
        long inSlice = 0;
        foreach (var leaf in leaves)
        {
            var maxDoc = leaf.AtomicReader.MaxDoc;
            var from = 0;
            while (from < maxDoc)
            {
                if (inSlice >= target && slices.Count < count)
                {
                    slices.Add([]);
                    inSlice = 0;
                }
                var to = splitSegments && slices.Count < count ? (int)Math.Min(maxDoc, from + (target - inSlice)) : maxDoc;
                slices[^1].Add(new SegmentPart(leaf, from, to));
                inSlice += to - from;
                from = to;
            }
        }
        return slices;
    }

    /// <summary>The ids of every item the query finds, for "attach all hits to a request".</summary>
    public IReadOnlyList<Guid> AllIds(ArchiveQuery request)
    {
        var parsed = Parse(request);
        var idOnly = new HashSet<string>(StringComparer.Ordinal) { ArchiveFields.Id };
        return index.Search(searcher =>
        {
            var query = index.AsRunOn(parsed, searcher);
            var count = new TotalHitCountCollector();
            searcher.Search(query, count);
            if (count.TotalHits == 0)
            {
                return [];
            }
            var top = searcher.Search(query, count.TotalHits);
            return top.ScoreDocs.Select(d => Guid.ParseExact(searcher.Doc(d.Doc, idOnly).Get(ArchiveFields.Id, CultureInfo.InvariantCulture), "N")).ToList();
        }, (IReadOnlyList<Guid>)[]);
    }

    /// <summary>What the officer typed as a query of words. A search narrows its phrases by word pairs as the searched
    /// index holds them (<see cref="ArchiveIndex.AsRunOn"/>); the highlighter is given the words alone: it marks
    /// words in the text, which has no pair terms.</summary>
    /// <param name="highlighting">For the highlighter's query: how it expands a wildcard; null for the search's.</param>
    private Query Parse(ArchiveQuery request, MultiTermQuery.RewriteMethod? highlighting = null)
    {
        if (string.IsNullOrWhiteSpace(request.Text))
        {
            throw new ArchiveQueryException("Type what to search for.", new ArgumentException("empty query"));
        }
        var parser = highlighting is null ? ArchiveQueryParser.ForSearch() : ArchiveQueryParser.ForHighlighting(highlighting);
        Query query;
        try
        {
            query = parser.Parse(request.Text);
        }
        catch (ParseException e)
        {
            throw new ArchiveQueryException($"The query could not be read: {FirstLine(e.Message)}", e);
        }
        var filters = new List<Filter>();
        if (request.From is not null || request.To is not null)
        {
            long? from = request.From is { } f ? StartOf(f).ToUnixTimeMilliseconds() : null;
            long? to = request.To is { } t ? StartOf(t.AddDays(1)).ToUnixTimeMilliseconds() - 1 : null;
            filters.Add(NumericRangeFilter.NewInt64Range(ArchiveFields.Date, from, to, true, true));
        }
        if (!string.IsNullOrWhiteSpace(request.Custodian))
        {
            filters.Add(new TermsFilter(new Term(ArchiveFields.Custodian, request.Custodian.Trim().ToLowerInvariant())));
        }
        foreach (var filter in filters)
        {
            query = new FilteredQuery(query, filter);
        }
        return query;
    }

    private DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, time.Zone.GetUtcOffset(local));
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static ArchiveHit ToHit(Lucene.Net.Documents.Document document, ScoreDoc scoreDoc, Query query)
    {
        var date = document.GetField(ArchiveFields.Date)?.GetInt64Value();
        var subject = document.Get(ArchiveFields.Subject, CultureInfo.InvariantCulture) ?? "";
        return new ArchiveHit(
            Guid.ParseExact(document.Get(ArchiveFields.Id, CultureInfo.InvariantCulture), "N"),
            document.Get(ArchiveFields.MessageId, CultureInfo.InvariantCulture),
            subject,
            document.Get(ArchiveFields.From, CultureInfo.InvariantCulture) ?? "",
            date is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null,
            document.GetValues(ArchiveFields.Custodian, CultureInfo.InvariantCulture),
            float.IsNaN(scoreDoc.Score) ? 0 : scoreDoc.Score,
            Snippet(document, query),
            document.GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture));
    }

    /// <summary>Best fragments of the body and of each attachment (named, so the officer sees where a word was found),
    /// else the subject; the text around each highlight is HTML-encoded by the highlighter, so the snippet is safe to
    /// write into a page as it is. Only the stored opening of each text (ArchiveDocuments.SnippetSourceChars) is
    /// highlighted: a match further in still counts as a hit, it just gets the plain opening text as its snippet.</summary>
    private static string Snippet(Lucene.Net.Documents.Document document, Query query)
    {
        var parts = new List<string>();
        foreach (var body in document.GetValues(ArchiveFields.Body, CultureInfo.InvariantCulture))
        {
            AddFragments(parts, query, ArchiveFields.Body, body, 2, prefix: "");
        }
        var names = document.GetValues(ArchiveFields.AttachmentNames, CultureInfo.InvariantCulture);
        var texts = document.GetValues(ArchiveFields.AttachmentText, CultureInfo.InvariantCulture);
        for (var i = 0; i < texts.Length && parts.Count < 4; i++)
        {
            var name = i < names.Length ? names[i] : "attachment";
            AddFragments(parts, query, ArchiveFields.AttachmentText, texts[i], 1, $"[{System.Net.WebUtility.HtmlEncode(name)}] ");
        }
        if (parts.Count == 0)
        {
            var subject = document.Get(ArchiveFields.Subject, CultureInfo.InvariantCulture) ?? "";
            AddFragments(parts, query, ArchiveFields.Subject, subject, 1, prefix: "");
        }
        if (parts.Count > 0)
        {
            return string.Join(" … ", parts);
        }
        var text = document.Get(ArchiveFields.Body, CultureInfo.InvariantCulture) ?? "";
        return System.Net.WebUtility.HtmlEncode(text.Length > 240 ? text[..240] + "…" : text);
    }

    private static void AddFragments(List<string> parts, Query query, string field, string text, int count, string prefix)
    {
        if (text.Length == 0)
        {
            return;
        }
        // Scored against this field's terms and the catch-all's (a word typed without a field is wanted anywhere), not
        // other fields': subject:budget does not highlight "budget" in the body. Every occurrence of a query term is marked (QueryTermScorer), not only those that form the phrase: checking
        // positions (QueryScorer) indexes each text again in memory and cost most of the time a page of results took.
        var highlighter = new Highlighter(new SimpleHTMLFormatter("<mark>", "</mark>"), new SimpleHTMLEncoder(), new QueryTermScorer(
            [.. QueryTermExtractor.GetTerms(query, prohibited: false, field), .. QueryTermExtractor.GetTerms(query, prohibited: false, ArchiveFields.All)]))
        {
            TextFragmenter = new SimpleFragmenter(160),
            MaxDocCharsToAnalyze = ArchiveDocuments.SnippetSourceChars,
        };
        var fragments = highlighter.GetBestFragments(ArchiveIndex.IndexAnalyzer.GetTokenStream(field, text), text, count);
        parts.AddRange(fragments.Where(f => f.Contains("<mark>", StringComparison.Ordinal)).Select(f => prefix + f.Trim()));
    }

    private sealed class FeeCollector : ICollector
    {
        private SegmentFeeFigures? _figures;

        public int Hits { get; private set; }
        public long Pages { get; private set; }
        public long Attachments { get; private set; }
        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer)
        {
        }

        public void SetNextReader(AtomicReaderContext context) => _figures = SegmentFeeFigures.Of(context.AtomicReader);

        public void Collect(int doc)
        {
            Hits++;
            Pages += _figures!.PagesOf(doc);
            Attachments += _figures.AttachmentsOf(doc);
        }
    }
}
