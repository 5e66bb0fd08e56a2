using System.Globalization;
using System.Text;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Finds every roster name, student ID and home street address in a text in one left-to-right pass.
/// The text is cut into normalised word tokens (case and accents folded, apostrophes dropped, a trailing possessive
/// "'s" left outside the span, periods after initials ignored, any whitespace including line breaks between words);
/// each token is looked up once in the roster vocabulary and a trie over token ids (a word-level Aho-Corasick without
/// failure links: patterns are at most a few tokens long) recognises every name form: "First Last", "First Middle
/// Last", "First M. Last", "Last, First", "Last, First M.". The cost is one hash look-up per word of text whatever the
/// roster size, where one regular expression per name costs one scan of the text per name.
/// </summary>
public sealed class RosterMatcher
{
    private const int CommaToken = 0;
    private const int UnknownToken = -1;
    private const int MaxTokenLength = 64;

    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<RedactionCategory?> _terminal = [null];
    private int _maxDepth;

    public RosterMatcher(Roster roster)
    {
        _vocabulary[","] = CommaToken;
        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        // Street-type words and their abbreviations share one id, so "12 Elm St." matches a roster "12 Elm Street".
        foreach (var (full, abbreviations) in StreetTypes)
        {
            var tokenId = Intern(full);
            foreach (var abbreviation in abbreviations)
            {
                _vocabulary[abbreviation] = tokenId;
            }
        }
        foreach (var student in roster.Students)
        {
            AddPerson(student.FirstName, student.MiddleName, student.LastName, RedactionCategory.StudentName);
            if (student.StudentId.Length > 0)
            {
                AddPattern(Words(student.StudentId), RedactionCategory.StudentId);
            }
        }
        // Students first: a guardian who shares a student's name stays a student match.
        foreach (var student in roster.Students)
        {
            foreach (var guardian in student.Guardians)
            {
                var parts = Words(guardian);
                if (parts.Count >= 2)
                {
                    AddPerson(parts[0], string.Join(' ', parts.Skip(1).SkipLast(1)), parts[^1], RedactionCategory.GuardianName);
                }
            }
            var street = student.Address.Split(',')[0];
            var streetWords = Words(street);
            if (streetWords.Count >= 2)
            {
                AddPattern(streetWords, RedactionCategory.HomeAddress);
            }
        }
    }

    public int PatternCount { get; private set; }

    /// <summary>Reports each match once; overlapping matches are resolved by the caller.</summary>
    public void Scan(string text, List<RedactionSuggestion> found)
    {
        Span<char> buffer = stackalloc char[MaxTokenLength];
        // A ring of the most recent tokens: their ids, starts and ends.
        var depth = _maxDepth;
        var ids = new int[depth];
        var starts = new int[depth];
        var ends = new int[depth];
        var count = 0;
        var position = 0;
        while (NextToken(text, ref position, buffer, out var start, out var end, out var length))
        {
            int id;
            if (length < 0)
            {
                id = CommaToken;
            }
            else if (length == 0 || !_lookup.TryGetValue(buffer[..length], out id))
            {
                id = UnknownToken;
            }
            if (id == UnknownToken)
            {
                count = 0;
                continue;
            }
            var slot = count % depth;
            ids[slot] = id;
            starts[slot] = start;
            ends[slot] = end;
            count++;
            // Try every pattern that ends at this token, longest first; record the longest.
            var available = Math.Min(count, depth);
            for (var span = available; span >= 1; span--)
            {
                var node = 0;
                var matched = true;
                for (var k = count - span; k < count; k++)
                {
                    if (!_edges.TryGetValue(((long)node << 32) | (uint)ids[k % depth], out node))
                    {
                        matched = false;
                        break;
                    }
                }
                if (matched && _terminal[node] is { } category)
                {
                    var first = (count - span) % depth;
                    var matchStart = starts[first];
                    found.Add(new RedactionSuggestion(matchStart, end, category, "", text[matchStart..end], ""));
                    break;
                }
            }
        }
    }

    private void AddPerson(string first, string middle, string last, RedactionCategory category)
    {
        var f = Words(first);
        var m = Words(middle);
        var l = Words(last);
        if (f.Count == 0 || l.Count == 0)
        {
            return;
        }
        AddPattern([.. f, .. l], category);
        AddPattern([.. l, ",", .. f], category);
        if (m.Count > 0)
        {
            AddPattern([.. f, .. m, .. l], category);
            AddPattern([.. f, m[0][..1], .. l], category);
            AddPattern([.. l, ",", .. f, .. m], category);
            AddPattern([.. l, ",", .. f, m[0][..1]], category);
        }
    }

    private void AddPattern(IReadOnlyList<string> words, RedactionCategory category)
    {
        var node = 0;
        foreach (var word in words)
        {
            var key = ((long)node << 32) | (uint)Intern(word);
            if (!_edges.TryGetValue(key, out var next))
            {
                next = _terminal.Count;
                _terminal.Add(null);
                _edges[key] = next;
            }
            node = next;
        }
        if (_terminal[node] is null)
        {
            _terminal[node] = category;
            PatternCount++;
        }
        _maxDepth = Math.Max(_maxDepth, words.Count);
    }

    private int Intern(string word)
    {
        if (!_vocabulary.TryGetValue(word, out var id))
        {
            id = _vocabulary.Count + 1;
            _vocabulary[word] = id;
        }
        return id;
    }

    /// <summary>The normalised tokens of a roster field, made exactly as <see cref="NextToken"/> makes them from text.</summary>
    private static List<string> Words(string value)
    {
        var words = new List<string>();
        Span<char> buffer = stackalloc char[MaxTokenLength];
        var position = 0;
        while (NextToken(value, ref position, buffer, out _, out _, out var length))
        {
            if (length > 0)
            {
                words.Add(new string(buffer[..length]));
            }
        }
        return words;
    }

    /// <summary>
    /// Reads the next token from <paramref name="position"/>: a word (letters and digits, with inner apostrophes)
    /// written folded into <paramref name="buffer"/>, or a comma (length -1). Longer words get length 0 (never match).
    /// </summary>
    private static bool NextToken(string text, ref int position, Span<char> buffer, out int start, out int end, out int length)
    {
        var i = position;
        while (i < text.Length && !IsWordChar(text[i]) && text[i] != ',')
        {
            i++;
        }
        if (i >= text.Length)
        {
            start = end = length = 0;
            position = i;
            return false;
        }
        start = i;
        if (text[i] == ',')
        {
            end = i + 1;
            length = -1;
            position = end;
            return true;
        }
        length = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsWordChar(c))
            {
                if (length < MaxTokenLength)
                {
                    buffer[length] = Fold(c);
                }
                length++;
                i++;
            }
            else if (IsApostrophe(c) && i + 1 < text.Length && char.IsLetter(text[i + 1]))
            {
                // Possessive: "Smith's" is the name "Smith"; the "'s" stays outside the span.
                if ((text[i + 1] is 's' or 'S') && (i + 2 >= text.Length || !IsWordChar(text[i + 2])))
                {
                    break;
                }
                i++; // O'Brien folds to obrien.
            }
            else
            {
                break;
            }
        }
        end = i;
        position = i;
        if (length > MaxTokenLength)
        {
            length = 0;
        }
        return true;
    }

    private static bool IsWordChar(char c) => c < 128 ? AsciiWord[c] : char.IsLetterOrDigit(c);

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019';

    private static char Fold(char c) => c < FoldTable.Length ? FoldTable[c] : char.ToLowerInvariant(c);

    private static readonly bool[] AsciiWord = Enumerable.Range(0, 128).Select(c => char.IsAsciiLetterOrDigit((char)c)).ToArray();

    /// <summary>Lower case without accents for Latin characters (é to e), so "José" in text matches "Jose" in the roster.</summary>
    private static readonly char[] FoldTable = Enumerable.Range(0, 0x250).Select(c =>
    {
        var decomposed = ((char)c).ToString().Normalize(NormalizationForm.FormD);
        var baseChar = decomposed.Length > 0 && CharUnicodeInfo.GetUnicodeCategory(decomposed[0]) != UnicodeCategory.NonSpacingMark ? decomposed[0] : (char)c;
        return char.ToLowerInvariant(baseChar);
    }).ToArray();

    private static readonly (string Full, string[] Abbreviations)[] StreetTypes =
    [
        ("street", ["st", "str"]), ("avenue", ["ave", "av"]), ("road", ["rd"]), ("drive", ["dr"]), ("lane", ["ln"]),
        ("court", ["ct"]), ("boulevard", ["blvd"]), ("place", ["pl"]), ("terrace", ["ter", "terr"]), ("circle", ["cir"]),
        ("parkway", ["pkwy"]), ("highway", ["hwy"]), ("square", ["sq"]),
    ];
}
