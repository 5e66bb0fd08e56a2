using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The <see cref="ArchiveFields.Pairs"/> field of one document: each pair bucket its catch-all words gave, once, read
/// when Lucene inverts the field, after the catch-all field was analysed.
/// </summary>
public sealed class PairBucketTokens : TokenStream
{
    /// <summary>Only which items hold a pair is needed (the phrase itself checks positions): no frequencies, positions or norms.</summary>
    internal static readonly FieldType FieldType = new FieldType
    {
        IsIndexed = true,
        IsTokenized = true,
        OmitNorms = true,
        IndexOptions = IndexOptions.DOCS_ONLY,
    }.Freeze();

    private readonly HashSet<uint> _buckets;
    private readonly ICharTermAttribute _term;
    private HashSet<uint>.Enumerator _next;

    internal PairBucketTokens(HashSet<uint> buckets)
    {
        _buckets = buckets;
        _term = AddAttribute<ICharTermAttribute>();
    }

    public override void Reset()
    {
        base.Reset();
        _next = _buckets.GetEnumerator();
    }

    public override bool IncrementToken()
    {
        if (!_next.MoveNext())
        {
            return false;
        }
        ClearAttributes();
        WordPairs.WriteBucket(_term.ResizeBuffer(WordPairs.BucketLetters), _next.Current);
        _term.Length = WordPairs.BucketLetters;
        return true;
    }
}
