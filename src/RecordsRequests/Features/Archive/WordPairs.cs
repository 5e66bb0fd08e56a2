using Lucene.Net.Index;
using Lucene.Net.Search;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Speeds up an exact phrase on the catch-all field with the word pairs of <see cref="ArchiveFields.Pairs"/>: the
/// phrase "bus transportation contract" can only match an item that holds the pairs "bus transportation" and
/// "transportation contract", and those pair lists are short even where each word is common. The shortest pair list
/// leads and word positions are checked only in the items holding every pair (<see cref="RarestWordFirstPhraseQuery"/>);
/// the matches and their scores are the phrase's own. A phrase with a word that is not frequent (led by that word's short
/// list, it needs no pairs), or any phrase where the index keeps no pairs, is checked rarest word first alone; proximity
/// phrases ("a b"~5) and phrases on a named field are left as they are.
/// </summary>
public static class WordPairs
{
    /// <param name="frequent">The words whose pairs the index holds (<see cref="FrequentWords"/>); null when it holds every pair.</param>
    /// <param name="pairsIndexed">Whether the index holds pairs at all (<see cref="ArchiveOptions.WordPairs"/>). Without
    /// them an exact phrase on the catch-all is still checked rarest word first (<see cref="RarestWordFirstPhraseQuery"/>).</param>
    public static Query Rewrite(Query query, FrequentWords? frequent, bool pairsIndexed = true)
    {
        switch (query)
        {
            case PhraseQuery phrase when IsExactPhraseOfAll(phrase):
                return pairsIndexed && HasPairs(phrase, frequent) ? WithPairs(phrase) : new RarestWordFirstPhraseQuery(phrase, []);
            case BooleanQuery boolean:
                var rewritten = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost, MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch };
                foreach (var clause in boolean.Clauses)
                {
                    rewritten.Add(Rewrite(clause.Query, frequent, pairsIndexed), clause.Occur);
                }
                return rewritten;
            case FilteredQuery filtered:
                return new FilteredQuery(Rewrite(filtered.Query, frequent, pairsIndexed), filtered.Filter, filtered.Strategy) { Boost = filtered.Boost };
            default:
                return query;
        }
    }

    private static bool IsExactPhraseOfAll(PhraseQuery phrase) =>
        phrase.Slop == 0 && phrase.GetTerms() is { Length: >= 2 } terms && terms.All(t => t.Field == ArchiveFields.All);

    /// <summary>Whether the index holds the phrase's pairs: every word frequent, one position apart (a pair is two neighbouring words).</summary>
    private static bool HasPairs(PhraseQuery phrase, FrequentWords? frequent) =>
        phrase.GetTerms().All(t => frequent?.Contains(t.Text) != false)
        && phrase.GetPositions().Select((p, i) => p - i).Distinct().Count() == 1;

    private static Query WithPairs(PhraseQuery phrase)
    {
        var terms = phrase.GetTerms();
        return new RarestWordFirstPhraseQuery(phrase, [.. terms.Zip(terms.Skip(1), Pair).Distinct()]);
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
