using System.Buffers;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// The words of Lucene's StandardTokenizer (the Unicode word boundaries of UAX #29, as Lucene 4.8 reads them) in lower
/// case, as its LowerCaseFilter gives them: the same terms, types, offsets and positions, found faster in plain ASCII
/// text. StandardTokenizer's generated scanner looks up every character in its tables: in a profile of importing the
/// Enron mail, it and the filter took 12 % of the indexing's processor time, this tokenizer 5.5 %. A text is
/// cut at ASCII white space, which never joins two characters into one word and is never part of one; a run of
/// characters between white space that is all ASCII is read here, by the few word-boundary rules that apply to ASCII
/// (below), and any other run is given to StandardTokenizer's own scanner. A test holds the two to each other on every
/// text of the shared Enron mail and on random text mixing the characters those rules name with others.
/// <para>
/// The rules for ASCII: letters, digits and the underscore join one another (UAX #29 WB5, WB8–WB10, WB13a, WB13b); a
/// full stop, apostrophe or colon between two letters joins them (WB6, WB7), and a full stop, apostrophe, comma or
/// semicolon between two digits (WB11, WB12); every other character breaks. A word of underscores alone is no word.
/// A word with a letter is &lt;ALPHANUM&gt;, one without is &lt;NUM&gt;. A word longer than <see cref="MaxTokenLength"/>
/// is skipped, its position kept, as StandardTokenizer does.
/// </para>
/// </summary>
public sealed class ArchiveTokenizer : Tokenizer
{
    /// <summary>Longer words (a base64 line, a run of digits) are skipped: no one searches for them.</summary>
    public const int MaxTokenLength = 255;

    private static readonly string AlphanumType = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.ALPHANUM];
    private static readonly string NumType = StandardTokenizer.TOKEN_TYPES[StandardTokenizer.NUM];

    /// <summary>Characters that end a run: ASCII white space, a break before and after under every rule (WB3a, WB3b, WB14).</summary>
    private static readonly SearchValues<char> WhiteSpace = SearchValues.Create(" \t\n\r\f\v");

    /// <summary>The most a tokenizer keeps for its next text (2 MB): a long message's body fits without being grown
    /// again each time, and one huge attachment's text does not hold its size for the life of the indexing thread.</summary>
    private const int KeptBufferChars = 1 << 20;

    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly IPositionIncrementAttribute _position;
    private readonly ITypeAttribute _type;

    /// <summary>StandardTokenizer's scanner, for the runs that are not all ASCII.</summary>
    private readonly StandardTokenizerImpl _scanner;
    private readonly CharacterUtils _lowerCase = CharacterUtils.GetInstance(ArchiveAnalyzer.Version);
    private readonly RunReader _run = new();

    private char[] _text = new char[4096];
    private int _length = -1;

    /// <summary>Where the next word is looked for.</summary>
    private int _next;

    /// <summary>Where the next run that is not all ASCII starts (or the text's end): words before it are read here.</summary>
    private int _asciiUntil;

    /// <summary>While the scanner reads a run: where the run starts; otherwise -1.</summary>
    private int _runStart = -1;

    private int _skipped;

    public ArchiveTokenizer(TextReader input) : base(input)
    {
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _position = AddAttribute<IPositionIncrementAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _scanner = new StandardTokenizerImpl(_run);
    }

    public override void Reset()
    {
        base.Reset();
        _length = -1;
        _next = 0;
        _runStart = -1;
        _skipped = 0;
    }

    public override bool IncrementToken()
    {
        ClearAttributes();
        _skipped = 0;
        ReadText();
        while (true)
        {
            if (_runStart >= 0)
            {
                if (NextScannedWord())
                {
                    return true;
                }
                continue;
            }
            if (_next >= _asciiUntil)
            {
                if (_next >= _length)
                {
                    return false;
                }
                StartScannedRun();
                continue;
            }
            if (NextAsciiWord())
            {
                return true;
            }
        }
    }

    public override void End()
    {
        base.End();
        ReadText();
        var finalOffset = CorrectOffset(_length);
        _offset.SetOffset(finalOffset, finalOffset);
        _position.PositionIncrement += _skipped;
        if (_text.Length > KeptBufferChars)
        {
            _text = new char[KeptBufferChars];
            _length = 0;
        }
    }

    /// <summary>Reads the whole text once, at the first call after <see cref="Reset"/>.</summary>
    private void ReadText()
    {
        if (_length >= 0)
        {
            return;
        }
        var length = 0;
        int read;
        while ((read = m_input.Read(_text, length, _text.Length - length)) > 0)
        {
            length += read;
            if (length == _text.Length)
            {
                Array.Resize(ref _text, _text.Length * 2);
            }
        }
        _length = length;
        _asciiUntil = AsciiRunsEnd(0);
    }

    /// <summary>From <paramref name="from"/> (the start of a run), where the first run holding a character outside ASCII starts, or the text's end.</summary>
    private int AsciiRunsEnd(int from)
    {
        var text = _text.AsSpan(from, _length - from);
        var other = text.IndexOfAnyExceptInRange('\0', '\x7f');
        if (other < 0)
        {
            return _length;
        }
        var whiteSpaceBefore = text[..other].LastIndexOfAny(WhiteSpace);
        return from + whiteSpaceBefore + 1;
    }

    /// <summary>Hands the run at <see cref="_next"/>, which holds a character outside ASCII, to the scanner.</summary>
    private void StartScannedRun()
    {
        var end = _text.AsSpan(_next, _length - _next).IndexOfAny(WhiteSpace);
        var runEnd = end < 0 ? _length : _next + end;
        _run.Set(_text, _next, runEnd - _next);
        _scanner.YyReset(_run);
        _runStart = _next;
        _next = runEnd;
    }

    private bool NextScannedWord()
    {
        var type = _scanner.GetNextToken();
        if (type == StandardTokenizerInterface.YYEOF)
        {
            _runStart = -1;
            _asciiUntil = AsciiRunsEnd(_next);
            return false;
        }
        if (_scanner.YyLength > MaxTokenLength)
        {
            _skipped++;
            return false;
        }
        _scanner.GetText(_term);
        _lowerCase.ToLower(_term.Buffer, 0, _term.Length);
        var start = _runStart + _scanner.YyChar;
        Give(start, start + _term.Length, StandardTokenizer.TOKEN_TYPES[type]);
        return true;
    }

    /// <summary>The next word in the ASCII runs before <see cref="_asciiUntil"/>, if any; moves <see cref="_next"/> past what it read.</summary>
    private bool NextAsciiWord()
    {
        var text = _text;
        var limit = _asciiUntil;
        var i = _next;
        while (i < limit && Kind(text[i]) > Underscore)
        {
            i++;
        }
        if (i == limit)
        {
            _next = i;
            return false;
        }
        var start = i;
        var letters = false;
        var digits = false;
        while (i < limit)
        {
            var kind = Kind(text[i]);
            if (kind <= Underscore)
            {
                letters |= kind == Letter;
                digits |= kind == Digit;
                i++;
                continue;
            }
            // A mid-word character joins only the same kind on both sides (WB6, WB7, WB11, WB12).
            var before = Kind(text[i - 1]);
            var after = i + 1 < limit ? Kind(text[i + 1]) : Other;
            var joins = (before == Letter && after == Letter && (kind & JoinsLetters) != 0)
                || (before == Digit && after == Digit && (kind & JoinsDigits) != 0);
            if (!joins)
            {
                break;
            }
            i += 2;
        }
        _next = i;
        if (!letters && !digits)
        {
            return false;
        }
        if (i - start > MaxTokenLength)
        {
            _skipped++;
            return false;
        }
        var term = _term.ResizeBuffer(i - start);
        for (var c = start; c < i; c++)
        {
            term[c - start] = (char)(text[c] | (Kind(text[c]) == Letter ? 0x20 : 0));
        }
        _term.Length = i - start;
        Give(start, i, letters ? AlphanumType : NumType);
        return true;
    }

    private void Give(int start, int end, string type)
    {
        _position.PositionIncrement = _skipped + 1;
        _offset.SetOffset(CorrectOffset(start), CorrectOffset(end));
        _type.Type = type;
    }

    private const byte Letter = 1;
    private const byte Digit = 2;
    private const byte Underscore = 3;
    private const byte Other = 4;
    private const byte JoinsLetters = 8;
    private const byte JoinsDigits = 16;

    /// <summary>What an ASCII character is to the rules: a word character (at most <see cref="Underscore"/>), or
    /// <see cref="Other"/> with the flags of the words it may join when between two letters or two digits.</summary>
    private static readonly byte[] Kinds = BuildKinds();

    private static byte Kind(char c) => Kinds[c];

    private static byte[] BuildKinds()
    {
        var kinds = new byte[128];
        Array.Fill(kinds, Other);
        for (var c = 'a'; c <= 'z'; c++)
        {
            kinds[c] = Letter;
            kinds[char.ToUpperInvariant(c)] = Letter;
        }
        for (var c = '0'; c <= '9'; c++)
        {
            kinds[c] = Digit;
        }
        kinds['_'] = Underscore;
        kinds['.'] = Other | JoinsLetters | JoinsDigits;
        kinds['\''] = Other | JoinsLetters | JoinsDigits;
        kinds[':'] = Other | JoinsLetters;
        kinds[','] = Other | JoinsDigits;
        kinds[';'] = Other | JoinsDigits;
        return kinds;
    }

    /// <summary>A reader over one run of the text, for the scanner; reused for every run.</summary>
    private sealed class RunReader : TextReader
    {
        private char[] _text = [];
        private int _position;
        private int _end;

        public void Set(char[] text, int start, int length)
        {
            _text = text;
            _position = start;
            _end = start + length;
        }

        public override int Read(char[] buffer, int index, int count)
        {
            var n = Math.Min(count, _end - _position);
            if (n <= 0)
            {
                return 0;
            }
            Array.Copy(_text, _position, buffer, index, n);
            _position += n;
            return n;
        }

        public override int Read() => _position < _end ? _text[_position++] : -1;

        public override int Peek() => _position < _end ? _text[_position] : -1;
    }
}
