using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Redactions;

/// <summary>
/// Reads dates the way people write them in English, Spanish and Portuguese: 3/14/2012, 14.03.12, 2012-03-14,
/// March 14th, 2012, Mar. 14 2012, 14 March 2012, 14-Mar-2012, 14 de marzo de 2012, 14 de março de 2012. The tolerant
/// reader, used right after a cue such as "DOB", also takes what OCR makes of a printed date: O or o for 0, l, I or |
/// for 1, a stray space around a separator. A month and a year alone ("born in March 2012", "the 1990s") are not a date.
/// </summary>
public static class WrittenDates
{
    private const string MonthNames =
        "january|february|march|april|may|june|july|august|september|october|november|december|sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec"
        + "|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|ene|abr|ago|dic"
        + "|janeiro|fevereiro|março|marco|maio|junho|julho|setembro|outubro|novembro|dezembro|fev|mai|set|out|dez";

    private static string Pattern(string digit) =>
        $$"""
        (?:
          (?<a>{{digit}}{1,2})\s?(?<s>[/.-])\s?(?<b>{{digit}}{1,2})\s?\k<s>\s?(?<y>{{digit}}{4}|{{digit}}{2})
        | (?<y>{{digit}}{4})\s?(?<s>[/.-])\s?(?<m>{{digit}}{1,2})\s?\k<s>\s?(?<d>{{digit}}{1,2})
        | (?<mn>{{MonthNames}})\.?\s?(?<d>{{digit}}{1,2})(?:st|nd|rd|th)?\s?,?\s?(?<y>{{digit}}{4})
        | (?<d>{{digit}}{1,2})(?:st|nd|rd|th|º|°)?\s?(?:of\s|de\s|-\s?)?(?<mn>{{MonthNames}})\.?(?:\s?,|\s+del?|\s?-)?\s?(?<y>{{digit}}{4})
        )(?![\p{L}\p{N}])
        """;

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.Compiled;

    // No match timeout: every quantifier is bounded ({1,2}, \s?) and the patterns are anchored, so a match costs a few
    // dozen steps whatever the input; a timeout would only fire on a loaded machine while the pattern is being JIT-compiled.

    /// <summary>Anchored (\G) at the position it is given, with OCR's letter-for-digit confusions.</summary>
    private static readonly Regex Tolerant = new(@"\G" + Pattern("[0-9OoIl|]"), Options, Regex.InfiniteMatchTimeout);

    /// <summary>Anchored (\G), digits only: a date found by its year, with no cue before it.</summary>
    private static readonly Regex Strict = new(@"\G(?<![\p{L}\p{N}])" + Pattern("[0-9]"), Options, Regex.InfiniteMatchTimeout);

    /// <summary>How far before its year a date may start: "September 30th, " is 16 characters.</summary>
    private const int LongestBeforeYear = 20;

    /// <summary>The date that starts exactly at <paramref name="index"/>, tolerating OCR noise, if there is one.</summary>
    public static bool TryReadAt(string text, int index, out int end, out WrittenDate date)
    {
        var match = Tolerant.Match(text, index);
        if (match.Success && TryInterpret(match, out date))
        {
            end = match.Index + match.Length;
            return true;
        }
        end = index;
        date = default;
        return false;
    }

    /// <summary>
    /// Every valid date in <paramref name="text"/> written with the year of <paramref name="day"/> (four digits, or two
    /// after a separator: "3/14/12"). The text is searched for the year, which is rare, and a date is read only around
    /// it: a pattern tried at every digit and month name of every record costs many times more.
    /// </summary>
    public static IEnumerable<(int Start, int End, WrittenDate Date)> FindInYearOf(string text, DateOnly day)
    {
        var year = day.Year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (needle, twoDigits) in new[] { (year, false), (year[2..], true) })
        {
            for (var at = text.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = text.IndexOf(needle, at + 1, StringComparison.Ordinal))
            {
                var end = at + needle.Length;
                if ((at > 0 && char.IsAsciiDigit(text[at - 1]) && !twoDigits) || (end < text.Length && char.IsAsciiDigit(text[end]))
                    || (twoDigits && !(at > 0 && text[at - 1] is '/' or '.' or '-')))
                {
                    continue;
                }
                // The year ends the date (3/14/2012, March 14, 2012) or starts it (2012-03-14).
                for (var start = Math.Max(0, at - LongestBeforeYear); start <= at; start++)
                {
                    var match = Strict.Match(text, start);
                    if (match.Success && (match.Index + match.Length == end || match.Index == at) && TryInterpret(match, out var date))
                    {
                        yield return (match.Index, match.Index + match.Length, date);
                        break;
                    }
                }
            }
        }
    }

    private static bool TryInterpret(Match match, out WrittenDate date)
    {
        var yearText = match.Groups["y"].ValueSpan;
        var year = Number(yearText);
        var twoDigits = yearText.Length == 2;
        if (match.Groups["mn"].Success)
        {
            date = new WrittenDate(year, MonthNumber(match.Groups["mn"].ValueSpan), Number(match.Groups["d"].ValueSpan), true, false);
        }
        else if (match.Groups["m"].Success)
        {
            date = new WrittenDate(year, Number(match.Groups["m"].ValueSpan), Number(match.Groups["d"].ValueSpan), true, false);
        }
        else
        {
            date = new WrittenDate(year, Number(match.Groups["a"].ValueSpan), Number(match.Groups["b"].ValueSpan), false, twoDigits);
        }
        return date.IsValid;
    }

    /// <summary>Digits, reading OCR's O and o as 0 and l, I and | as 1.</summary>
    private static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = value * 10 + c switch
            {
                'O' or 'o' => 0,
                'l' or 'I' or '|' => 1,
                _ => c - '0',
            };
        }
        return value;
    }

    /// <summary>The month of an English, Spanish or Portuguese month name or abbreviation, by its first three letters.</summary>
    private static int MonthNumber(ReadOnlySpan<char> name)
    {
        Span<char> prefix = stackalloc char[3];
        name[..3].ToLowerInvariant(prefix);
        return prefix switch
        {
            "jan" or "ene" => 1,
            "feb" or "fev" => 2,
            "mar" => 3,
            "apr" or "abr" => 4,
            "may" or "mai" => 5,
            "jun" => 6,
            "jul" => 7,
            "aug" or "ago" => 8,
            "sep" or "set" => 9,
            "oct" or "out" => 10,
            "nov" => 11,
            "dec" or "dic" or "dez" => 12,
            _ => 0,
        };
    }
}
