using System.Globalization;
using System.Text;

namespace RecordsRequests.Features.Mail;

/// <summary>
/// The name in "Dear …," of a letter the district sends. It is the only requester-written text in an automatic
/// letter, so it is cleaned: no line breaks, control or direction-override characters, no addresses or links, at most
/// <see cref="MaxLength"/> characters. Anything else gets "Dear requester,": the district never relays a stranger's
/// text in its own name.
/// </summary>
public static class Greeting
{
    public const int MaxLength = 60;
    public const string Fallback = "requester";

    public static string NameFor(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return Fallback;
        }
        var clean = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormC))
        {
            var category = char.GetUnicodeCategory(c);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                clean.Append(' ');
                continue;
            }
            clean.Append(char.IsWhiteSpace(c) ? ' ' : c);
        }
        var text = string.Join(' ', clean.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var looksLikeMore = text.Contains('@', StringComparison.Ordinal) || text.Contains("://", StringComparison.Ordinal)
            || text.Contains("www.", StringComparison.OrdinalIgnoreCase) || text.Any(c => c is '<' or '>' or '[' or ']' or '{' or '}');
        return text.Length is 0 or > MaxLength || looksLikeMore ? Fallback : text;
    }
}
