using System.Globalization;
using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Splits a word at the punctuation inside it into its parts, the runs of letters and digits: "Expedia.com" gives
/// "expedia" "com", "O'Neil's" gives "o" "neil" "s", "3.5" gives "3" "5"; a word without punctuation passes unchanged.
/// When indexing, the joined word is kept too, at its own position together with its first part; later parts take the
/// positions after it, so the split form is a phrase. Parts are never split further (not at case changes, not between
/// letters and digits: "McDonald" and "pdf2" stay one word).
/// <para>
/// These are the words Lucene's WordDelimiterFilter makes with GENERATE_WORD_PARTS, GENERATE_NUMBER_PARTS and, when
/// indexing, PRESERVE_ORIGINAL, with the same positions and offsets (a test holds the two to each other on every
/// word of the shared Enron mail). That filter saved and restored every attribute of the token for each part, cloning
/// the term each time: 40 % of an import's indexing time on the Enron mail. This one copies a punctuated word once and
/// writes each part into the term in turn.
/// </para>
/// </summary>
public sealed class PunctuationSplitFilter : TokenFilter
{
    /// <summary>The token type of the joined form of a punctuated word, which is kept beside its parts when indexing
    /// (<see cref="CatchAllRecorder"/> leaves it out of the word pairs).</summary>
    public const string JoinedType = "<JOINED>";

    private readonly bool _keepJoined;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _position;
    private readonly ITypeAttribute _type;
    private string _partType = TypeAttribute.DEFAULT_TYPE;

    private char[] _word = new char[64];
    private readonly List<(int Start, int Length)> _parts = [];
    private int _nextPart;
    private int _firstPartIncrement;
    private int _startOffset;
    private int _endOffset;
    private bool _offsetsFitWord;

    /// <param name="keepJoined">Also emit the word as typed (for the index, so a wildcard over the joined word matches).</param>
    public PunctuationSplitFilter(TokenStream input, bool keepJoined) : base(input)
    {
        _keepJoined = keepJoined;
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
        _type = AddAttribute<ITypeAttribute>();
    }

    public override bool IncrementToken()
    {
        if (_nextPart < _parts.Count)
        {
            WriteNextPart();
            return true;
        }
        // Positions of dropped words (punctuation alone) carry over to the next word, so phrases keep their gaps.
        var carried = 0;
        while (m_input.IncrementToken())
        {
            var length = _term.Length;
            if (!FindParts(_term.Buffer, length))
            {
                _position.PositionIncrement += carried;
                return true;
            }
            var increment = _position.PositionIncrement + carried;
            if (_parts.Count == 0)
            {
                if (_keepJoined)
                {
                    _position.PositionIncrement = increment;
                    _type.Type = JoinedType;
                    return true;
                }
                carried = increment;
                continue;
            }
            if (_word.Length < length)
            {
                _word = new char[Math.Max(length, 2 * _word.Length)];
            }
            Array.Copy(_term.Buffer, _word, length);
            _startOffset = _offset.StartOffset;
            _endOffset = _offset.EndOffset;
            // A filter before this one may have changed the word's length; its parts then take the whole word's offsets.
            _offsetsFitWord = _endOffset - _startOffset == length;
            _nextPart = 0;
            _partType = _type.Type;
            if (_keepJoined)
            {
                _position.PositionIncrement = increment;
                _type.Type = JoinedType;
                _firstPartIncrement = 0;
                return true;
            }
            _firstPartIncrement = increment;
            WriteNextPart();
            return true;
        }
        return false;
    }

    public override void Reset()
    {
        base.Reset();
        _parts.Clear();
        _nextPart = 0;
    }

    private void WriteNextPart()
    {
        var (start, length) = _parts[_nextPart];
        _term.CopyBuffer(_word, start, length);
        _type.Type = _partType;
        _position.PositionIncrement = _nextPart == 0 ? _firstPartIncrement : 1;
        if (_offsetsFitWord)
        {
            _offset.SetOffset(_startOffset + start, _startOffset + start + length);
        }
        else
        {
            _offset.SetOffset(_startOffset, _endOffset);
        }
        _nextPart++;
    }

    /// <summary>
    /// Whether the word holds any character other than a letter, mark or digit; if so, <see cref="_parts"/> becomes its
    /// runs of letters, marks and digits (none for a word of punctuation alone).
    /// </summary>
    private bool FindParts(char[] buffer, int length)
    {
        var index = 0;
        while (index < length && IsWordCharacter(buffer, index, length, out var width))
        {
            index += width;
        }
        if (index == length)
        {
            return false;
        }
        _parts.Clear();
        _nextPart = 0;
        var partStart = -1;
        for (index = 0; index < length;)
        {
            var isWord = IsWordCharacter(buffer, index, length, out var width);
            if (isWord && partStart < 0)
            {
                partStart = index;
            }
            else if (!isWord && partStart >= 0)
            {
                _parts.Add((partStart, index - partStart));
                partStart = -1;
            }
            index += width;
        }
        if (partStart >= 0)
        {
            _parts.Add((partStart, length - partStart));
        }
        return true;
    }

    /// <summary>Letters, marks and digits of any script are word characters, everything else separates (the categories
    /// WordDelimiterFilter uses); a lone surrogate counts as a word character, as there.</summary>
    private static bool IsWordCharacter(char[] buffer, int index, int length, out int width)
    {
        var c = buffer[index];
        width = 1;
        if (c < 128)
        {
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
        }
        UnicodeCategory category;
        if (char.IsHighSurrogate(c) && index + 1 < length && char.IsLowSurrogate(buffer[index + 1]))
        {
            width = 2;
            category = Rune.GetUnicodeCategory(new Rune(c, buffer[index + 1]));
        }
        else
        {
            category = CharUnicodeInfo.GetUnicodeCategory(c);
        }
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.Surrogate;
    }
}
