using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using RecordsRequests.Features.Archive;

namespace RecordsRequests.Tests.Archive;

/// <summary>
/// The archive's tokenizer must give exactly the words, types, offsets and positions of Lucene's StandardTokenizer
/// followed by its LowerCaseFilter, which it replaced for speed: an index built before the change stays searchable with queries after it, and phrase
/// and highlight positions do not move.
/// </summary>
public sealed class ArchiveTokenizerTests
{
    private static readonly string[] Tricky =
    [
        "Expedia.com flight purchase confirmation",
        "O'Neil's budget/finance memo, revised 3.5 times on 10/23/2000 at 10:30; 1,000;2 a:b 1:2 a,b a;b",
        "john.doe@enron.com wrote: see http://www.enron.com/docs/a_b-c.pdf?x=1&y=2",
        "_leading trailing_ __both__ a__b ... ''' 1,000,000 $2.50 -3.5e10 U.S.A. e.g. i.e. _ __ _. ._a a_.b 1_.2 1._2",
        "a.1 1.a a1.b 1.2a a.b1 a'1 1'2 a''b 1..2 a.'b 1.,2 a:'b 1_000 1_a _1_ a_1 1__a",
        "McDonald pdf2 2pdf iPhone4S x86_64 C++ C# .NET foo..bar foo.-.bar",
        "naïve café coöperate Zürich façade ½ ² Ⅻ ٣.٤ 東京.大阪 한국어.텍스트 don’t can’t it’s",
        "emoji 😀.test 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.word tab\tseparated\r\nnew line\fform\vfeed",
        "mixed abc-déf ghi\u00A0jkl soft\u00ADhyphen com\u0301bining אב\"ג アイ.ウ",
        new string('x', 255) + " " + new string('y', 256) + " tail " + new string('7', 300),
        "ends with a long word " + new string('z', 400),
        "  leading and trailing white space  ",
        "",
        "a",
        "'",
    ];

    [Fact]
    public void GivesStandardTokenizersWords_ForTrickyText()
    {
        var ours = new Reused(new ArchiveTokenizer(new StringReader("")));
        var reference = Reference();
        foreach (var text in Tricky)
        {
            Assert.Equal(reference.Words(text), ours.Words(text));
        }
    }

    [Fact]
    public void GivesStandardTokenizersWords_ForEveryTextOfTheEnronMail()
    {
        var files = Directory.EnumerateFiles(PunctuationSplitFilterTests.EnronFolder(), "*", SearchOption.AllDirectories).ToList();
        Assert.True(files.Count > 2000, "expected the shared Enron mail");
        // One tokenizer each for the whole corpus, as an indexing thread reuses its own: no text may see another's state.
        var ours = new Reused(new ArchiveTokenizer(new StringReader("")));
        var reference = Reference();
        long words = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var expected = reference.Words(text);
            Assert.Equal(expected, ours.Words(text));
            words += expected.Count;
        }
        Assert.True(words > 1_000_000, $"only {words} words compared");
    }

    /// <summary>Random text of the characters the rules name, white space, and characters outside ASCII that sit next to
    /// ASCII ones in real mail (curly apostrophes, no-break spaces, accents, combining marks, ideographs, emoji).</summary>
    [Fact]
    public void GivesStandardTokenizersWords_ForRandomText()
    {
        const string alphabet = "aZqQ09__..'':,;\"-@/#  \t\n\ré’\u00A0\u0301\u00AD中ア\u05D0😀";
        var random = new Random(20261207);
        var ours = new Reused(new ArchiveTokenizer(new StringReader("")));
        var reference = Reference();
        var text = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            text.Clear();
            var length = random.Next(1, 40);
            for (var c = 0; c < length; c++)
            {
                if (random.Next(200) == 0)
                {
                    text.Append(random.Next(2) == 0 ? 'w' : '5', 250 + random.Next(10));
                }
                else
                {
                    // The emoji is two chars (a surrogate pair): take both or neither.
                    var at = random.Next(alphabet.Length);
                    text.Append(char.IsSurrogate(alphabet[at]) ? "😀" : alphabet[at].ToString());
                }
            }
            var sample = text.ToString();
            Assert.True(reference.Words(sample).SequenceEqual(ours.Words(sample)), $"differs on \"{sample}\"");
        }
    }

    /// <summary>What the archive's analyzer used before: StandardTokenizer, StandardFilter and LowerCaseFilter.</summary>
    private static Reused Reference()
    {
        var tokenizer = new StandardTokenizer(ArchiveAnalyzer.Version, new StringReader("")) { MaxTokenLength = ArchiveTokenizer.MaxTokenLength };
        return new Reused(tokenizer, new LowerCaseFilter(ArchiveAnalyzer.Version, new StandardFilter(ArchiveAnalyzer.Version, tokenizer)));
    }

    /// <summary>A tokenizer (and the filters after it) given one text after another, as an analyzer reuses them.</summary>
    private sealed class Reused(Tokenizer tokenizer, TokenStream? filtered = null)
    {
        private readonly TokenStream _stream = filtered ?? tokenizer;
        private readonly ICharTermAttribute _term = tokenizer.AddAttribute<ICharTermAttribute>();
        private readonly IPositionIncrementAttribute _increment = tokenizer.AddAttribute<IPositionIncrementAttribute>();
        private readonly IOffsetAttribute _offset = tokenizer.AddAttribute<IOffsetAttribute>();
        private readonly ITypeAttribute _type = tokenizer.AddAttribute<ITypeAttribute>();

        /// <summary>Every word with its position increment, offsets and type, then what the end of the text gives (as "END").</summary>
        public List<(string Term, string Type, int Increment, int Start, int End)> Words(string text)
        {
            tokenizer.SetReader(new StringReader(text));
            _stream.Reset();
            var words = new List<(string, string, int, int, int)>();
            while (_stream.IncrementToken())
            {
                words.Add((_term.ToString(), _type.Type, _increment.PositionIncrement, _offset.StartOffset, _offset.EndOffset));
            }
            _stream.End();
            words.Add(("END", "", _increment.PositionIncrement, _offset.StartOffset, _offset.EndOffset));
            _stream.Dispose();
            return words;
        }
    }
}
