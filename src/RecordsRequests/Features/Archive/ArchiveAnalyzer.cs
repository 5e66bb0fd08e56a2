using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Pattern;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace RecordsRequests.Features.Archive;

/// <summary>
/// Words are matched exactly, case-insensitively, with no stemming and no stop words: a records search must find
/// what the request names and nothing the officer cannot explain ("contract" does not silently match "contracting";
/// the requester can ask for contract* instead), and phrases such as "to be determined" must keep every word.
/// Identifiers (custodian, Message-ID, thread) are single lower-cased tokens.
/// </summary>
public sealed partial class ArchiveAnalyzer() : Analyzer(PER_FIELD_REUSE_STRATEGY)
{
    internal const LuceneVersion Version = LuceneVersion.LUCENE_48;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        if (ArchiveFields.Keywords.Contains(fieldName))
        {
            var keyword = new KeywordTokenizer(reader);
            // Message-IDs are indexed without angle brackets; people paste them with or without.
            return new TokenStreamComponents(keyword, new PatternReplaceFilter(new LowerCaseFilter(Version, keyword), AngleBrackets(), "", all: true));
        }
        var tokenizer = new StandardTokenizer(Version, reader) { MaxTokenLength = 255 };
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(Version, new StandardFilter(Version, tokenizer)));
    }

    /// <summary>Keeps a phrase from matching across two values of one field (the end of one attachment and the next).</summary>
    public override int GetPositionIncrementGap(string fieldName) => 100;

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*<|>\s*$")]
    private static partial System.Text.RegularExpressions.Regex AngleBrackets();
}

public static class ArchiveFields
{
    public const string Id = "id";
    public const string Kind = "kind";
    public const string Custodian = "custodian";
    public const string From = "from";
    public const string To = "to";
    public const string Cc = "cc";
    public const string Bcc = "bcc";
    public const string Subject = "subject";
    public const string Body = "body";
    public const string AttachmentNames = "attachment";
    public const string AttachmentText = "attachmenttext";
    public const string Date = "date";
    public const string MessageId = "messageid";
    public const string Thread = "thread";

    /// <summary>
    /// Every text field's words again, in one field: a term typed without a field name searches this one postings list
    /// instead of a disjunction over eight fields (that disjunction cost a common word over 100 ms at a million messages).
    /// Indexed only, never stored.
    /// </summary>
    public const string All = "all";

    public const string Attachments = "attachments";
    public const string Pages = "pages";

    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.Ordinal) { Custodian, MessageId, Thread, Kind, Id };
}
