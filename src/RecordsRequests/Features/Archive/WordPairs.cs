using Lucene.Net.Index;
using Lucene.Net.Search;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Speeds up an exact phrase on the catch-all field with the word pairs of <see cref="ArchiveFields.Pairs"/>: the
/// phrase "bus transportation contract" can only match an item that holds the pairs "bus transportation" and
/// "transportation contract", and those pair lists are short even where each word is common. The shortest pair list
/// leads and word positions are checked only in the items holding every pair (<see cref="PhraseNarrowedByPairsQuery"/>);
/// the matches and their scores are the phrase's own. Proximity phrases ("a b"~5), phrases on a named field and phrases
/// with a word that is not frequent (led by that word's short list, they need no pairs) are left as they are.
/// </summary>
public static class WordPairs
{
    /// <param name="frequent">The words whose pairs the index holds (<see cref="FrequentWords"/>); null when it holds every pair.</param>
    public static Query Rewrite(Query query, FrequentWords? frequent)
    {
        switch (query)
        {
            case PhraseQuery phrase when IsExactPhraseOfAll(phrase, frequent):
                return WithPairs(phrase);
            case BooleanQuery boolean:
                var rewritten = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost, MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch };
                foreach (var clause in boolean.Clauses)
                {
                    rewritten.Add(Rewrite(clause.Query, frequent), clause.Occur);
                }
                return rewritten;
            case FilteredQuery filtered:
                return new FilteredQuery(Rewrite(filtered.Query, frequent), filtered.Filter, filtered.Strategy) { Boost = filtered.Boost };
            default:
                return query;
        }
    }

    private static bool IsExactPhraseOfAll(PhraseQuery phrase, FrequentWords? frequent)
    {
        var terms = phrase.GetTerms();
        var positions = phrase.GetPositions();
        if (phrase.Slop != 0 || terms.Length < 2 || terms.Any(t => t.Field != ArchiveFields.All || frequent?.Contains(t.Text) == false))
        {
            return false;
        }
        // Words one position apart: a pair is two neighbouring words.
        return positions.Select((p, i) => p - i).Distinct().Count() == 1;
    }

    private static Query WithPairs(PhraseQuery phrase)
    {
        var terms = phrase.GetTerms();
        return new PhraseNarrowedByPairsQuery(phrase, [.. terms.Zip(terms.Skip(1), Pair).Distinct()]);
    }

    private static Term Pair(Term first, Term second) => new(ArchiveFields.Pairs, BucketTerm(first.Text, second.Text));

    internal const int BucketLetters = 4;

    /// <summary>The term for the pair of two words as the index holds it: 65,536 buckets keep the term dictionary small.</summary>
    public static string BucketTerm(string first, string second) =>
        string.Create(BucketLetters, Bucket(first, second), (letters, bucket) => WriteBucket(letters, bucket));

    /// <summary>FNV-1a over the two words and a space between them, folded to 16 bits.</summary>
    internal static uint Bucket(ReadOnlySpan<char> first, ReadOnlySpan<char> second)
    {
        var hash = 2166136261u;
        foreach (var c in first)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ ' ') * 16777619u;
        foreach (var c in second)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (hash ^ (hash >> 16)) & 0xFFFF;
    }

    internal static void WriteBucket(Span<char> letters, uint bucket)
    {
        for (var i = 0; i < BucketLetters; i++)
        {
            letters[i] = (char)('a' + ((bucket >> (4 * i)) & 0xF));
        }
    }
}
