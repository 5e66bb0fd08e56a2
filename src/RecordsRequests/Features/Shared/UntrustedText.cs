using System.Buffers;
using System.Text;

namespace RecordsRequests.Features.Shared;

/// <summary>
/// Text from outside (mail, the public form, an uploaded file's name) made safe to store and show. PostgreSQL text
/// cannot hold a NUL character, and an unpaired UTF-16 surrogate (what broken UTF-8 or UTF-16 can decode to) cannot
/// be written as UTF-8 at all: either would fail the whole save. Control characters other than tab and line breaks
/// have no meaning on a page and can hide words. The original bytes are always kept elsewhere (the content store);
/// this is the readable copy.
/// </summary>
public static class UntrustedText
{
    public const char Replacement = '\uFFFD';

    public static bool NeedsCleaning(string? value)
    {
        if (value is null)
        {
            return false;
        }
        // Vectorized to the next suspect character; only a surrogate needs a second look (a pair is fine). Intake checks
        // every header and body it keeps, and a char-by-char loop was a measurable part of it.
        var rest = value.AsSpan();
        while (true)
        {
            var at = rest.IndexOfAny(Suspect);
            if (at < 0)
            {
                return false;
            }
            var c = rest[at];
            if (!char.IsHighSurrogate(c) || at + 1 >= rest.Length || !char.IsLowSurrogate(rest[at + 1]))
            {
                return true;
            }
            rest = rest[(at + 2)..];
        }
    }

    /// <summary>What <see cref="IsUnwantedControl"/> refuses, and the surrogates (unwanted unless paired).</summary>
    private static readonly SearchValues<char> Suspect = SearchValues.Create(
        [.. Enumerable.Range(0, 0xA0).Select(i => (char)i).Where(IsUnwantedControl), .. Enumerable.Range(0xD800, 0xDFFF - 0xD800 + 1).Select(i => (char)i)]);

    /// <summary>Drops NUL and other control characters (tab, CR and LF stay) and replaces unpaired surrogates with U+FFFD.</summary>
    public static string Clean(string value)
    {
        if (!NeedsCleaning(value))
        {
            return value;
        }
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnwantedControl(c))
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }
            text.Append(char.IsSurrogate(c) ? Replacement : c);
        }
        return text.ToString();
    }

    public static string? CleanOrNull(string? value) => value is null ? null : Clean(value);

    private static bool IsUnwantedControl(char c) => (c < ' ' && c is not ('\t' or '\n' or '\r')) || c is '\u007F' || (c >= '\u0080' && c <= '\u009F');
}
