using Lucene.Net.Index;
using Lucene.Net.Search;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Speeds up an exact phrase on the catch-all field with the word pairs of <see cref="ArchiveFields.Pairs"/>: the
/// phrase "bus transportation contract" can only match an item that holds the pairs "bus transportation" and
/// "transportation contract", and those pair lists are short even where each word is common. The shortest pair list
/// leads and word positions are checked only in the items holding every pair (<see cref="PhraseNarrowedByPairsQuery"/>);
/// the matches and their scores are the phrase's own. Proximity phrases ("a b"~5) and phrases on a named field are left
/// as they are.
/// </summary>
public static class WordPairs
{
    public static Query Rewrite(Query query)
    {
        switch (query)
        {
            case PhraseQuery phrase when IsExactPhraseOfAll(phrase):
                return WithPairs(phrase);
            case BooleanQuery boolean:
                var rewritten = new BooleanQuery(boolean.CoordDisabled) { Boost = boolean.Boost, MinimumNumberShouldMatch = boolean.MinimumNumberShouldMatch };
                foreach (var clause in boolean.Clauses)
                {
                    rewritten.Add(Rewrite(clause.Query), clause.Occur);
                }
                return rewritten;
            default:
                return query;
        }
    }

    private static bool IsExactPhraseOfAll(PhraseQuery phrase)
    {
        var terms = phrase.GetTerms();
        var positions = phrase.GetPositions();
        if (phrase.Slop != 0 || terms.Length < 2 || terms.Any(t => t.Field != ArchiveFields.All))
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

    /// <summary>The term <see cref="WordPairRecorder"/> notes for two words: separated by one space.</summary>
    private static Term Pair(Term first, Term second) => new(ArchiveFields.Pairs, WordPairRecorder.BucketTerm(first.Text, second.Text));
}
