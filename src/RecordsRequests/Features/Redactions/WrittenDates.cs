using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Redactions;

/// <summary>A calendar date as written: the year may have two digits, and 03/04 may be either day or month first.</summary>
public readonly record struct WrittenDate(int Year, int First, int Second, bool MonthFirstOnly, bool TwoDigitYear)
{
    /// <summary>Whether the written date can be <paramref name="date"/>: either order of day and month, any century for a two-digit year.</summary>
    public bool CanBe(DateOnly date) =>
        (TwoDigitYear ? date.Year % 100 == Year : date.Year == Year)
        && ((date.Month == First && date.Day == Second) || (!MonthFirstOnly && date.Month == Second && date.Day == First));

    /// <summary>Whether some reading of it is a real calendar day (no 31 April, no 29 February outside leap years).</summary>
    public bool IsValid => IsDay(First, Second) || (!MonthFirstOnly && IsDay(Second, First));

    private bool IsDay(int month, int day)
    {
        if (month is < 1 or > 12 || day < 1)
        {
            return false;
        }
        // A two-digit year is valid in either century; 2000 is a leap year, so 29 February is allowed for "00".
        var year = TwoDigitYear ? 2000 + Year : Year;
        return year is >= 1900 and <= 2100 && day <= DateTime.DaysInMonth(year, month);
    }
}

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

    /// <summary>Anchored (\G) at the position it is given, with OCR's letter-for-digit confusions.</summary>
    private static readonly Regex Tolerant = new(@"\G" + Pattern("[0-9OoIl|]"), Options, TimeSpan.FromSeconds(2));

    /// <summary>Every date in a text, digits only: used to find a named student's date of birth with no cue before it.</summary>
    private static readonly Regex Strict = new(@"(?<![\p{L}\p{N}])" + Pattern("[0-9]"), Options, TimeSpan.FromSeconds(2));

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

    /// <summary>Every valid date in <paramref name="text"/>, as spans.</summary>
    public static IEnumerable<(int Start, int End, WrittenDate Date)> FindAll(string text)
    {
        for (var match = Strict.Match(text); match.Success; match = match.NextMatch())
        {
            if (TryInterpret(match, out var date))
            {
                yield return (match.Index, match.Index + match.Length, date);
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
