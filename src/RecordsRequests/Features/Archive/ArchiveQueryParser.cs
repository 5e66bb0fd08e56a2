using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Spans;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Reads what an officer typed in Lucene's classic syntax. A term without a field searches the catch-all field, which
/// holds every text field's words; with AND as default operator, "bus contract" needs both words, each anywhere in the
/// item. A word typed with punctuation inside ("expedia.com") is analysed into its parts, which must be adjacent, as in
/// a phrase. A word, phrase, wildcard, fuzzy word or range limited to a long-text field (<c>body:</c>,
/// <c>attachmenttext:</c>) is asked of the catch-all and kept where it lies in a text of that field
/// (<see cref="WithinTextsQuery"/>): those fields have no postings of their own (<see cref="LocatedTexts"/>).
/// </summary>
internal sealed class ArchiveQueryParser : QueryParser
{
    private readonly bool _forHighlighting;

    private ArchiveQueryParser(bool forHighlighting) : base(ArchiveAnalyzer.Version, ArchiveFields.All, ArchiveIndex.QueryAnalyzer)
    {
        _forHighlighting = forHighlighting;
        DefaultOperator = Operator.AND;
        AllowLeadingWildcard = false;
        AutoGeneratePhraseQueries = true;
    }

    public static ArchiveQueryParser ForSearch() => new(forHighlighting: false);

    /// <summary>
    /// The query a highlighter marks words by: a word or phrase keeps its field (<c>body:budget</c> marks "budget" in the
    /// body, not in an attachment), and a wildcard, fuzzy word or range of a long-text field expands against the
    /// catch-all's words, the only list there is, with <paramref name="rewrite"/>.
    /// </summary>
    public static ArchiveQueryParser ForHighlighting(MultiTermQuery.RewriteMethod rewrite) => new(forHighlighting: true) { MultiTermRewriteMethod = rewrite };

    protected override Query? GetFieldQuery(string field, string queryText, bool quoted) =>
        Located(field) && !_forHighlighting
            ? Within(field, base.GetFieldQuery(ArchiveFields.All, queryText, quoted))
            : base.GetFieldQuery(field, queryText, quoted);

    protected override Query? GetFieldQuery(string field, string queryText, int slop) =>
        Located(field) && !_forHighlighting
            ? Within(field, base.GetFieldQuery(ArchiveFields.All, queryText, slop))
            : base.GetFieldQuery(field, queryText, slop);

    protected override Query? GetPrefixQuery(string field, string termStr) =>
        Located(field) ? Within(field, base.GetPrefixQuery(ArchiveFields.All, termStr)) : base.GetPrefixQuery(field, termStr);

    protected override Query? GetWildcardQuery(string field, string termStr) =>
        Located(field) ? Within(field, base.GetWildcardQuery(ArchiveFields.All, termStr)) : base.GetWildcardQuery(field, termStr);

    protected override Query? GetFuzzyQuery(string field, string termStr, float minSimilarity) =>
        Located(field) ? Within(field, base.GetFuzzyQuery(ArchiveFields.All, termStr, minSimilarity)) : base.GetFuzzyQuery(field, termStr, minSimilarity);

    protected override Query? GetRegexpQuery(string field, string termStr) =>
        Located(field) ? Within(field, base.GetRegexpQuery(ArchiveFields.All, termStr)) : base.GetRegexpQuery(field, termStr);

    protected override Query? GetRangeQuery(string field, string part1, string part2, bool startInclusive, bool endInclusive) =>
        Located(field)
            ? Within(field, base.GetRangeQuery(ArchiveFields.All, part1, part2, startInclusive, endInclusive))
            : base.GetRangeQuery(field, part1, part2, startInclusive, endInclusive);

    private static bool Located(string field) => LocatedTexts.Fields.Contains(field);

    /// <summary>For the search, the catch-all query kept inside the field's texts; for the highlighter, the catch-all query.</summary>
    private Query? Within(string field, Query? inCatchAll) => inCatchAll is null || _forHighlighting
        ? inCatchAll
        : new WithinTextsQuery(AsSpans(inCatchAll, field), field) { Boost = inCatchAll.Boost };

    /// <summary>The same matches as a span query, whose positions <see cref="WithinTextsQuery"/> can check.</summary>
    private static SpanQuery AsSpans(Query query, string field) => query switch
    {
        TermQuery term => new SpanTermQuery(term.Term),
        PhraseQuery phrase => Near(phrase.GetTerms().Select(term => (SpanQuery)new SpanTermQuery(term)).ToArray(), phrase.GetPositions(), phrase.Slop),
        MultiPhraseQuery phrase => Near(
            phrase.GetTermArrays().Select(terms => (SpanQuery)new SpanOrQuery(terms.Select(term => (SpanQuery)new SpanTermQuery(term)).ToArray())).ToArray(),
            phrase.GetPositions(), phrase.Slop),
        PrefixQuery prefix => new SpanMultiTermQueryWrapper<PrefixQuery>(prefix),
        WildcardQuery wildcard => new SpanMultiTermQueryWrapper<WildcardQuery>(wildcard),
        FuzzyQuery fuzzy => new SpanMultiTermQueryWrapper<FuzzyQuery>(fuzzy),
        RegexpQuery regexp => new SpanMultiTermQueryWrapper<RegexpQuery>(regexp),
        TermRangeQuery range => new SpanMultiTermQueryWrapper<TermRangeQuery>(range),
        BooleanQuery alternatives when alternatives.Clauses.All(clause => clause.Occur == Occur.SHOULD) =>
            new SpanOrQuery(alternatives.Clauses.Select(clause => AsSpans(clause.Query, field)).ToArray()),
        _ => throw new ParseException($"{field}:{query} cannot be limited to the {field} field; search it without the field name."),
    };

    /// <summary>
    /// A phrase as words near each other: in order and adjacent for an exact phrase (a gap the analyser left between two
    /// words is allowed for); "words near"~N as any order with at most N other positions between them, which is how a
    /// span counts nearness (a phrase counts moves instead, so the two can differ by a position or two at the edge).
    /// </summary>
    private static SpanQuery Near(SpanQuery[] words, int[] positions, int slop)
    {
        if (words.Length == 1)
        {
            return words[0];
        }
        var gaps = positions[^1] - positions[0] - (words.Length - 1);
        return new SpanNearQuery(words, slop + gaps, inOrder: slop == 0);
    }
}
