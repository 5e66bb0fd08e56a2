using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Spans;
using Lucene.Net.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The matches of a span query on the catch-all field that lie inside a text of one long-text field (from the position of
/// one of the field's markers, at the text's first word, to that of the next, at its last word; <see cref="LocatedTexts"/>): <c>body:contract</c> is <c>contract</c> in the catch-all,
/// kept only where it is in a body. A match is scored as the catch-all scores it.
/// </summary>
public sealed class WithinTextsQuery : SpanQuery
{
    private readonly SpanQuery _match;
    private readonly string _textField;
    private readonly string _marker;

    /// <param name="match">A span query on <see cref="ArchiveFields.All"/>.</param>
    /// <param name="textField">One of <see cref="LocatedTexts.Fields"/>.</param>
    public WithinTextsQuery(SpanQuery match, string textField)
    {
        _match = match;
        _textField = textField;
        _marker = LocatedTexts.MarkerOf(textField) ?? throw new ArgumentException($"'{textField}' has postings of its own; query it directly.", nameof(textField));
    }

    public override string Field => _match.Field;

    public override void ExtractTerms(ISet<Term> terms) => _match.ExtractTerms(terms);

    public override Spans GetSpans(AtomicReaderContext context, IBits acceptDocs, IDictionary<Term, TermContext> termContexts)
    {
        var bounds = context.AtomicReader.GetTermPositionsEnum(new Term(ArchiveFields.All, _marker));
        return bounds is null ? TermSpans.EMPTY_TERM_SPANS : new WithinSpans(_match.GetSpans(context, acceptDocs, termContexts), bounds);
    }

    public override Query Rewrite(IndexReader reader)
    {
        var rewritten = (SpanQuery)_match.Rewrite(reader);
        return ReferenceEquals(rewritten, _match) ? this : new WithinTextsQuery(rewritten, _textField) { Boost = Boost };
    }

    public override string ToString(string field) => $"{_textField}:({_match.ToString(field)})";

    public override bool Equals(object? obj) =>
        obj is WithinTextsQuery other && other._textField == _textField && other._match.Equals(_match) && other.Boost == Boost;

    public override int GetHashCode() => HashCode.Combine(_match, _textField, Boost);

    /// <summary>The inner matches of each document that fall between an opening and a closing marker.</summary>
    private sealed class WithinSpans(Spans matches, DocsAndPositionsEnum bounds) : Spans
    {
        /// <summary>The marker positions of <see cref="_boundsDoc"/>: opening, closing, opening, closing, ...</summary>
        private int[] _positions = new int[8];
        private int _positionCount;
        private int _boundsDoc = -1;

        public override bool MoveNext() => matches.MoveNext() && NextInside();

        public override bool SkipTo(int target) => matches.SkipTo(target) && NextInside();

        /// <summary>From the current inner match on, moves to the first that is inside a text of the field.</summary>
        private bool NextInside()
        {
            while (true)
            {
                var doc = matches.Doc;
                ReadBounds(doc);
                if (_positionCount == 0)
                {
                    // No text of the field in this document: none of its matches can be inside one.
                    if (!matches.SkipTo(doc + 1))
                    {
                        return false;
                    }
                    continue;
                }
                if (Inside(matches.Start, matches.End))
                {
                    return true;
                }
                if (!matches.MoveNext())
                {
                    return false;
                }
            }
        }

        private void ReadBounds(int doc)
        {
            if (doc == _boundsDoc)
            {
                return;
            }
            _boundsDoc = doc;
            _positionCount = 0;
            if (bounds.DocID < doc && bounds.Advance(doc) != doc)
            {
                return;
            }
            if (bounds.DocID != doc)
            {
                return;
            }
            var count = bounds.Freq;
            if (_positions.Length < count)
            {
                _positions = new int[Math.Max(count, _positions.Length * 2)];
            }
            for (var i = 0; i < count; i++)
            {
                _positions[i] = bounds.NextPosition();
            }
            _positionCount = count;
        }

        /// <summary>Whether the match [start, end) lies within a text: from its first word's position to its last's.</summary>
        private bool Inside(int start, int end)
        {
            for (var i = 0; i + 1 < _positionCount; i += 2)
            {
                if (_positions[i] <= start && end - 1 <= _positions[i + 1])
                {
                    return true;
                }
            }
            return false;
        }

        public override int Doc => matches.Doc;

        public override int Start => matches.Start;

        public override int End => matches.End;

        public override ICollection<byte[]> GetPayload() => matches.GetPayload();

        public override bool IsPayloadAvailable => matches.IsPayloadAvailable;

        public override long GetCost() => matches.GetCost();
    }
}
