using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Words are matched exactly, case-insensitively, with no stemming and no stop words: a records search must find
/// what the request names and nothing the officer cannot explain ("contract" does not silently match "contracting";
/// the requester can ask for contract* instead), and phrases such as "to be determined" must keep every word.
/// Identifiers (custodian, Message-ID, thread) are single lower-cased tokens.
/// <para>
/// Punctuation inside a word is forgiven: "Expedia.com" is indexed as itself and as the words "expedia" "com", and a
/// query is always split the same way, so an officer who types a subject from memory without its dots, apostrophes
/// or slashes finds it, and so does one who types it verbatim. The index keeps the joined word too, so a wildcard
/// such as expedia.c* still matches it. (Splitting only at punctuation: "McDonald" and "pdf2" stay one word.)
/// </para>
/// </summary>
public sealed partial class ArchiveAnalyzer : Analyzer
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly bool _forQueries;

    private ArchiveAnalyzer(bool forQueries) : base(PER_FIELD_REUSE_STRATEGY) => _forQueries = forQueries;

    /// <summary>Builds the index: each word, and a word with punctuation inside also as its parts.</summary>
    public static ArchiveAnalyzer ForIndexing() => new(forQueries: false);

    /// <summary>Reads what an officer typed: a word with punctuation inside becomes the phrase of its parts.</summary>
    public static ArchiveAnalyzer ForQueries() => new(forQueries: true);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        if (ArchiveFields.Keywords.Contains(fieldName))
        {
            var keyword = new KeywordTokenizer(reader);
            // Message-IDs are indexed without angle brackets; people paste them with or without.
            return new TokenStreamComponents(keyword, new PatternReplaceFilter(new LowerCaseFilter(Version, keyword), AngleBrackets(), "", all: true));
        }
        // Lucene's StandardTokenizer and LowerCaseFilter in one (its StandardFilter does nothing at this version).
        var tokenizer = new ArchiveTokenizer(reader);
        // The joined word stays at its position with its first part; the parts after it take the positions after it,
        // so the split form of "Expedia.com flight" is the phrase "expedia com flight".
        TokenStream split = new PunctuationSplitFilter(tokenizer, keepJoined: !_forQueries);
        if (fieldName == ArchiveFields.All && !_forQueries)
        {
            split = new CatchAllRecorder(split);
        }
        return new TokenStreamComponents(tokenizer, split);
    }

    /// <summary>Keeps a phrase from matching across two values of one field (the end of one attachment and the next).</summary>
    public override int GetPositionIncrementGap(string fieldName) => 100;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*<|>\s*$")]
    private static partial System.Text.RegularExpressions.Regex AngleBrackets();
}
