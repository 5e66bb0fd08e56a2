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
    private readonly List<bool> _reviewTerm = [false];
    private int _maxDepth;

    public RosterMatcher(Roster? roster)
    {
        roster ??= new Roster([]);
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
        foreach (var term in ReviewTerms)
        {
            AddPattern(Words(term), null);
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

    /// <summary>
    /// Words that point to an education record (34 CFR 99.3; 603 CMR 23): matched in the same pass as the roster and
    /// reported for review, never redacted by themselves.
    /// </summary>
    private static readonly string[] ReviewTerms =
    [
        "IEP", "individualized education program", "individualized education plan", "individualised education program", "504 plan",
        "section 504", "special education", "SPED", "disability", "disabilities", "diagnosis", "diagnoses", "diagnosed", "discipline",
        "disciplinary", "suspension", "suspended", "expulsion", "expelled", "detention", "restraint", "bullying", "Title IX",
        "counseling", "psychological", "evaluation", "ADHD", "autism", "medication", "report card", "transcript", "grades",
    ];

    /// <summary>Reports each match once; overlapping matches are resolved by the caller.</summary>
    public void Scan(string text, List<RedactionSuggestion> found, List<ReviewFlag> flags)
    {
        Span<char> buffer = stackalloc char[MaxTokenLength];
        // The trie states reached by the token sequences ending at the current token, each with where it began
        // (the Aho-Corasick "active states"); at most one per pattern length, so a handful.
        Span<int> nodes = stackalloc int[_maxDepth + 1];
        Span<int> starts = stackalloc int[_maxDepth + 1];
        Span<int> nextNodes = stackalloc int[_maxDepth + 1];
        Span<int> nextStarts = stackalloc int[_maxDepth + 1];
        var active = 0;
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
                active = 0; // a word no roster pattern contains: every partial match ends here
                continue;
            }
            var next = 0;
            var bestStart = -1;
            var flagStart = -1;
            RedactionCategory bestCategory = default;
            for (var k = -1; k < active && next < nextNodes.Length; k++)
            {
                var (node, from) = k < 0 ? (0, start) : (nodes[k], starts[k]);
                if (_edges.TryGetValue(((long)node << 32) | (uint)id, out var child))
                {
                    nextNodes[next] = child;
                    nextStarts[next] = from;
                    next++;
                    if (_terminal[child] is { } category && (bestStart < 0 || from < bestStart))
                    {
                        bestStart = from;
                        bestCategory = category;
                    }
                    if (_reviewTerm[child] && (flagStart < 0 || from < flagStart))
                    {
                        flagStart = from;
                    }
                }
            }
            nextNodes[..next].CopyTo(nodes);
            nextStarts[..next].CopyTo(starts);
            active = next;
            if (bestStart >= 0)
            {
                found.Add(new RedactionSuggestion(bestStart, end, bestCategory, "", text[bestStart..end], ""));
            }
            if (flagStart >= 0)
            {
                flags.Add(new ReviewFlag(flagStart, end, text[flagStart..end]));
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

    private void AddPattern(IReadOnlyList<string> words, RedactionCategory? category)
    {
        var node = 0;
        foreach (var word in words)
        {
            var key = ((long)node << 32) | (uint)Intern(word);
            if (!_edges.TryGetValue(key, out var next))
            {
                next = _terminal.Count;
                _terminal.Add(null);
                _reviewTerm.Add(false);
                _edges[key] = next;
            }
            node = next;
        }
        if (category is null)
        {
            _reviewTerm[node] = true;
        }
        else if (_terminal[node] is null)
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
