namespace RecordsRequests.Features.Documents;

/// <summary>Whether words read in English are in fact Spanish or Portuguese, by the share of their short common words.</summary>
public static class OcrLanguage
{
    /// <summary>
    /// Articles, prepositions and conjunctions of Spanish and Portuguese that are not English words: on a page in either
    /// language they are a fifth or more of the words; an English page that quotes a line of Spanish stays well under.
    /// </summary>
    private static readonly HashSet<string> FunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "el", "la", "los", "las", "del", "de", "que", "y", "por", "para", "con", "una", "es", "se", "su", "sus", "al", "lo", "como",
        "pero", "muy", "este", "esta", "fue", "em", "um", "uma", "não", "nao", "com", "ao", "os", "da", "das", "dos", "nas", "nos",
        "pelo", "pela", "seu", "sua", "é", "são", "sao", "mais", "foi", "mi", "mis", "usted", "você", "voce", "le", "les",
    };

    /// <summary>The share of a page's words that must be such words for the page to be read again in those languages.</summary>
    public const double Share = 0.12;

    public static bool ReadsAsSpanishOrPortuguese(IReadOnlyList<PageWord> words)
    {
        var counted = 0;
        var foreign = 0;
        foreach (var word in words)
        {
            var text = word.Text.Trim('.', ',', ';', ':', '"', '\'', '(', ')', '¿', '?', '¡', '!');
            if (text.Length == 0 || !char.IsLetter(text[0]))
            {
                continue;
            }
            counted++;
            foreign += FunctionWords.Contains(text) ? 1 : 0;
        }
        return foreign >= 5 && foreign >= counted * Share;
    }
}
