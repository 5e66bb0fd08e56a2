using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// One text's words, replayed from what the catch-all field's analysis recorded for the same text: the same terms,
/// position increments and offsets, so the field's postings and norms are exactly what analysing the text would give.
/// </summary>
public sealed class RecordedWords : TokenStream
{
    private readonly CatchAllRecording _recording;
    private readonly int _textIndex;
    private readonly ICharTermAttribute _term;
    private readonly IPositionIncrementAttribute _position;
    private readonly IOffsetAttribute _offset;
    private CatchAllRecording.Text? _text;
    private int _next;

    /// <summary>The replay of one recording's n-th text, reused for the n-th text of every document the recording serves.</summary>
    internal RecordedWords(CatchAllRecording recording, int textIndex)
    {
        _recording = recording;
        _textIndex = textIndex;
        _term = AddAttribute<ICharTermAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
    }

    /// <summary>The field replaying the text in the current document (for the error when there is nothing to replay).</summary>
    internal string Field { get; set; } = "";

    public override void Reset()
    {
        base.Reset();
        _text = _recording.TextAt(_textIndex, Field);
        _next = 0;
    }

    public override bool IncrementToken()
    {
        if (_text is null || _next >= _text.WordCount)
        {
            return false;
        }
        ClearAttributes();
        var word = _recording.WordAt(_text.FirstWord + _next++);
        var letters = _recording.LettersOf(word);
        letters.CopyTo(_term.ResizeBuffer(letters.Length));
        _term.Length = letters.Length;
        _position.PositionIncrement = word.PositionIncrement;
        _offset.SetOffset(word.StartOffset, word.EndOffset);
        return true;
    }

    public override void End()
    {
        base.End();
        if (_text is not null)
        {
            _position.PositionIncrement = _text.EndPositionIncrement;
            _offset.SetOffset(_text.EndOffset, _text.EndOffset);
        }
    }
}
