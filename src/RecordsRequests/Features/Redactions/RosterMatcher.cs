using System.Globalization;
using System.Numerics;
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

    private const sbyte NoCategory = -1;

    // Build-time forms, frozen into the flat tables below when the constructor ends.
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly Dictionary<long, int> _edges = [];
    private readonly List<sbyte> _terminalList = [NoCategory];
    private readonly List<bool> _reviewTermList = [false];
    private readonly Dictionary<int, List<int>> _studentsAtNode = [];
    private int _maxDepth;

    // Scan-time tables, small enough to stay in cache: a bit filter over token hashes (most words of a text are in no
    // pattern and stop there), open-addressing tables at most half full, and the root's children by token id.
    private ulong[] _tokenFilter = [];
    private TokenSlot[] _tokenSlots = [];
    private string[] _tokenTexts = [];
    private int[] _rootChildren = [];
    private EdgeSlot[] _edgeSlots = [];
    private sbyte[] _terminal = [];
    private bool[] _reviewTerm = [];
    private int[][] _students = [];

    public RosterMatcher(Roster? roster)
    {
        roster ??= new Roster([]);
        _vocabulary[","] = CommaToken;
        // Street-type words and their abbreviations share one id, so "12 Elm St." matches a roster "12 Elm Street".
        foreach (var (full, abbreviations) in StreetTypes)
        {
            var tokenId = Intern(full);
            foreach (var abbreviation in abbreviations)
            {
                _vocabulary[abbreviation] = tokenId;
            }
        }
        for (var index = 0; index < roster.Students.Count; index++)
        {
            var student = roster.Students[index];
            AddPerson(student.FirstName, student.MiddleName, student.LastName, RedactionCategory.StudentName, index);
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
        Freeze();
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

    /// <summary>
    /// Reports each match once, in text order; overlapping matches are resolved by the caller. The tokens are read in
    /// place (no string per word): each word is folded into a small buffer while its hash is computed, and a word no
    /// pattern contains, which is most words, usually costs one bit test in <see cref="_tokenFilter"/>.
    /// </summary>
    public void Scan(string text, List<RosterHit> hits, List<ReviewFlag> flags)
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
        while (NextToken(text, ref position, buffer, out var start, out var end, out var length, out var hash))
        {
            int id;
            if (length < 0)
            {
                id = CommaToken;
            }
            else if (length == 0 || (id = TokenId(buffer[..length], hash)) == UnknownToken)
            {
                active = 0; // a word no roster pattern contains: every partial match ends here
                continue;
            }
            var next = 0;
            var bestStart = -1;
            var flagStart = -1;
            var bestCategory = NoCategory;
            var bestNode = 0;
            for (var k = -1; k < active && next < nextNodes.Length; k++)
            {
                var node = k < 0 ? 0 : nodes[k];
                var from = k < 0 ? start : starts[k];
                var child = k < 0 ? _rootChildren[id] : Child(node, id);
                if (child < 0)
                {
                    continue;
                }
                nextNodes[next] = child;
                nextStarts[next] = from;
                next++;
                var category = _terminal[child];
                if (category != NoCategory && (bestStart < 0 || from < bestStart))
                {
                    bestStart = from;
                    bestCategory = category;
                    bestNode = child;
                }
                if (_reviewTerm[child] && (flagStart < 0 || from < flagStart))
                {
                    flagStart = from;
                }
            }
            nextNodes[..next].CopyTo(nodes);
            nextStarts[..next].CopyTo(starts);
            active = next;
            if (bestStart >= 0)
            {
                hits.Add(new RosterHit(bestStart, end, (RedactionCategory)bestCategory, _students[bestNode]));
            }
            if (flagStart >= 0)
            {
                flags.Add(new ReviewFlag(flagStart, end, text[flagStart..end]));
            }
        }
    }

    /// <summary>The id of a folded word, or <see cref="UnknownToken"/>: the filter, then linear probing from the hash.</summary>
    private int TokenId(ReadOnlySpan<char> token, uint hash)
    {
        var bit = hash >> FilterShift;
        if ((_tokenFilter[bit >> 6] & (1UL << (int)(bit & 63))) == 0)
        {
            return UnknownToken;
        }
        var mask = _tokenSlots.Length - 1;
        for (var slot = (int)(hash & mask); _tokenSlots[slot].Id != UnknownToken; slot = (slot + 1) & mask)
        {
            var candidate = _tokenSlots[slot];
            if (candidate.Hash == hash && token.SequenceEqual(_tokenTexts[slot]))
            {
                return candidate.Id;
            }
        }
        return UnknownToken;
    }

    /// <summary>The trie node reached from <paramref name="node"/> (not the root) by token <paramref name="tokenId"/>, or -1.</summary>
    private int Child(int node, int tokenId)
    {
        var key = EdgeKey(node, tokenId);
        var mask = _edgeSlots.Length - 1;
        for (var slot = EdgeSlotOf(key, mask); _edgeSlots[slot].Child >= 0; slot = (slot + 1) & mask)
        {
            if (_edgeSlots[slot].Key == key)
            {
                return _edgeSlots[slot].Child;
            }
        }
        return -1;
    }

    private static long EdgeKey(int node, int tokenId) => ((long)node << 32) | (uint)tokenId;

    /// <summary>Fibonacci hashing: node and token ids are small, dense integers, which a plain XOR would pile up.</summary>
    private static int EdgeSlotOf(long key, int mask) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32) & mask;

    /// <summary>Copies the build-time dictionaries into the flat, power-of-two tables <see cref="Scan"/> probes.</summary>
    private void Freeze()
    {
        _tokenFilter = new ulong[(1 << (32 - FilterShift)) / 64];
        _tokenSlots = new TokenSlot[TableSize(_vocabulary.Count)];
        _tokenTexts = new string[_tokenSlots.Length];
        Array.Fill(_tokenSlots, new TokenSlot(0, UnknownToken));
        var tokenMask = _tokenSlots.Length - 1;
        foreach (var (word, id) in _vocabulary)
        {
            var hash = Hash(word);
            var bit = hash >> FilterShift;
            _tokenFilter[bit >> 6] |= 1UL << (int)(bit & 63);
            var slot = (int)(hash & tokenMask);
            while (_tokenSlots[slot].Id != UnknownToken)
            {
                slot = (slot + 1) & tokenMask;
            }
            _tokenSlots[slot] = new TokenSlot(hash, id);
            _tokenTexts[slot] = word; // by slot, not id: a street type and its abbreviations share one id
        }
        _rootChildren = new int[_vocabulary.Count + 1];
        Array.Fill(_rootChildren, -1);
        _edgeSlots = new EdgeSlot[TableSize(_edges.Count)];
        Array.Fill(_edgeSlots, new EdgeSlot(0, -1));
        var edgeMask = _edgeSlots.Length - 1;
        foreach (var (key, child) in _edges)
        {
            if (key >> 32 == 0)
            {
                _rootChildren[(int)key] = child;
                continue;
            }
            var slot = EdgeSlotOf(key, edgeMask);
            while (_edgeSlots[slot].Child >= 0)
            {
                slot = (slot + 1) & edgeMask;
            }
            _edgeSlots[slot] = new EdgeSlot(key, child);
        }
        _terminal = [.. _terminalList];
        _reviewTerm = [.. _reviewTermList];
        _students = new int[_terminalList.Count][];
        Array.Fill(_students, []);
        foreach (var (node, students) in _studentsAtNode)
        {
            _students[node] = [.. students];
        }
    }

    private readonly record struct TokenSlot(uint Hash, int Id);

    private readonly record struct EdgeSlot(long Key, int Child);

    /// <summary>A 2^17-bit (16 KB) filter: with a roster's tens of thousands of words, a few percent false hits.</summary>
    private const int FilterShift = 15;

    /// <summary>At most half full, so an absent key usually meets an empty slot within a probe or two.</summary>
    private static int TableSize(int count) => (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));

    /// <summary>FNV-1a over the folded characters, the same whether built from a roster word or read from text.</summary>
    private static uint Hash(ReadOnlySpan<char> word)
    {
        var hash = FnvOffset;
        foreach (var c in word)
        {
            hash = (hash ^ c) * FnvPrime;
        }
        return hash;
    }

    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <param name="student">The roster row a student's name belongs to; -1 for anyone else.</param>
    private void AddPerson(string first, string middle, string last, RedactionCategory category, int student = -1)
    {
        var f = Words(first);
        var m = Words(middle);
        var l = Words(last);
        if (f.Count == 0 || l.Count == 0)
        {
            return;
        }
        AddPattern([.. f, .. l], category, student);
        AddPattern([.. l, ",", .. f], category, student);
        if (m.Count > 0)
        {
            AddPattern([.. f, .. m, .. l], category, student);
            AddPattern([.. f, m[0][..1], .. l], category, student);
            AddPattern([.. l, ",", .. f, .. m], category, student);
            AddPattern([.. l, ",", .. f, m[0][..1]], category, student);
        }
    }

    private void AddPattern(IReadOnlyList<string> words, RedactionCategory? category, int student = -1)
    {
        var node = 0;
        foreach (var word in words)
        {
            var key = ((long)node << 32) | (uint)Intern(word);
            if (!_edges.TryGetValue(key, out var next))
            {
                next = _terminalList.Count;
                _terminalList.Add(NoCategory);
                _reviewTermList.Add(false);
                _edges[key] = next;
            }
            node = next;
        }
        if (category is null)
        {
            _reviewTermList[node] = true;
        }
        else if (_terminalList[node] == NoCategory)
        {
            _terminalList[node] = (sbyte)category.Value;
            PatternCount++;
        }
        // Two students may share a name; each keeps the pattern, so a date of birth is checked against both.
        if (student >= 0 && _terminalList[node] == (sbyte)RedactionCategory.StudentName)
        {
            if (!_studentsAtNode.TryGetValue(node, out var students))
            {
                _studentsAtNode[node] = students = [];
            }
            if (!students.Contains(student))
            {
                students.Add(student);
            }
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
        while (NextToken(value, ref position, buffer, out _, out _, out var length, out _))
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
    /// written folded into <paramref name="buffer"/> with its <see cref="Hash"/>, or a comma (length -1). Longer words
    /// get length 0 (never match).
    /// </summary>
    private static bool NextToken(string text, ref int position, Span<char> buffer, out int start, out int end, out int length, out uint hash)
    {
        var i = position;
        while (i < text.Length && !IsWordChar(text[i]) && text[i] != ',')
        {
            i++;
        }
        hash = FnvOffset;
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
                    var folded = Fold(c);
                    buffer[length] = folded;
                    hash = (hash ^ folded) * FnvPrime;
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
