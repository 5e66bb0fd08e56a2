using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// The archive's own word splitting must give exactly the words, positions and offsets Lucene's WordDelimiterFilter
/// gave (which it replaced for speed): an index built before the change stays searchable with queries after it, and
/// phrase and highlight positions do not move.
/// </summary>
public sealed class PunctuationSplitFilterTests
{
    private static readonly string[] Tricky =
    [
        "Expedia.com flight purchase confirmation",
        "O'Neil's budget/finance memo, revised 3.5 times on 10/23/2000 at 10:30",
        "john.doe@enron.com wrote: see http://www.enron.com/docs/a_b-c.pdf?x=1&y=2",
        "_leading trailing_ __both__ a__b ... ''' 1,000,000 $2.50 -3.5e10 U.S.A. e.g. i.e.",
        "McDonald pdf2 2pdf iPhone4S x86_64 C++ C# .NET foo..bar foo.-.bar",
        "naïve café coöperate Zürich façade ½ ² Ⅻ ٣.٤ 東京.大阪 한국어.텍스트",
        "emoji 😀.test 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.word tab\tseparated",
        "",
        "a",
        "'",
    ];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SplitsTrickyWords_AsWordDelimiterFilterDid(bool forIndex)
    {
        foreach (var text in Tricky)
        {
            Assert.Equal(Reference(text, forIndex), Ours(text, forIndex));
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SplitsEveryWordOfTheEnronMail_AsWordDelimiterFilterDid(bool forIndex)
    {
        var corpus = EnronFolder();
        var files = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count > 2000, $"expected the shared Enron mail in {corpus}");
        var punctuated = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var reference = Reference(text, forIndex);
            Assert.Equal(reference, Ours(text, forIndex));
            punctuated += reference.Count(t => t.Term.Any(c => !char.IsLetterOrDigit(c)));
        }
        // The comparison means something only if the mail is full of punctuated words (addresses, dates, numbers).
        Assert.True(!forIndex || punctuated > 10_000, $"only {punctuated} punctuated words");
    }

    private static List<(string Term, int Increment, int Start, int End)> Ours(string text, bool forIndex) =>
        Tokens(text, words => new PunctuationSplitFilter(words, keepJoined: forIndex));

    private static List<(string Term, int Increment, int Start, int End)> Reference(string text, bool forIndex)
    {
        var flags = WordDelimiterFlags.GENERATE_WORD_PARTS | WordDelimiterFlags.GENERATE_NUMBER_PARTS;
        if (forIndex)
        {
            flags |= WordDelimiterFlags.PRESERVE_ORIGINAL;
        }
        return Tokens(text, words => new WordDelimiterFilter(ArchiveAnalyzer.Version, words, flags, null));
    }

    /// <summary>The archive's words (StandardTokenizer's in lower case, which <see cref="ArchiveTokenizer"/> gives the index
    /// faster: <see cref="ArchiveTokenizerTests"/> holds the two equal) ending in the given splitter.</summary>
    private static List<(string Term, int Increment, int Start, int End)> Tokens(string text, Func<TokenStream, TokenStream> splitter)
    {
        var tokenizer = new StandardTokenizer(ArchiveAnalyzer.Version, new StringReader(text)) { MaxTokenLength = 255 };
        using var stream = splitter(new LowerCaseFilter(ArchiveAnalyzer.Version, new StandardFilter(ArchiveAnalyzer.Version, tokenizer)));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var tokens = new List<(string, int, int, int)>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add((term.ToString(), increment.PositionIncrement, offset.StartOffset, offset.EndOffset));
        }
        stream.End();
        return tokens;
    }

    internal static string EnronFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpora", "enron", "maildir");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException("The shared Enron mail (../shared/corpora/enron/maildir beside the repository) was not found above " + AppContext.BaseDirectory);
    }
}
