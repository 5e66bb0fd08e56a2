using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Intake;

/// <summary>Finds the PRR-YYYY-NNNN tracking number a requester keeps in the subject line of a reply.</summary>
public static partial class TrackingReference
{
    public static string? FindIn(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var match = Pattern().Match(text);
        return match.Success ? $"PRR-{match.Groups[1].Value}-{match.Groups[2].Value}" : null;
    }

    [GeneratedRegex(@"\bPRR[\s-]?(\d{4})[\s-](\d{4,6})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>A subject without Re:/Fwd: prefixes and bracketed tags, lower-cased, for matching a thread by subject.</summary>
    public static string NormalizeSubject(string? subject)
    {
        var value = subject ?? "";
        string previous;
        do
        {
            previous = value;
            value = ReplyPrefix().Replace(value, "");
        }
        while (value != previous);
        return Whitespace().Replace(value, " ").Trim().ToLowerInvariant();
    }

    [GeneratedRegex(@"^\s*((re|fw|fwd|aw|wg|sv|vs|antw|tr)(\[\d+\])?\s*:|\[[^\]]*\])\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReplyPrefix();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
