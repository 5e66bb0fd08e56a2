using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Near-duplicate detection for request descriptions: Jaccard similarity of word 3-shingles. Resent or slightly
/// reworded requests score high; unrelated requests on the same topic score low.
/// </summary>
public static partial class SimilarText
{
    public static HashSet<string> Shingles(string text, int size = 3)
    {
        var words = Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToArray();
        var shingles = new HashSet<string>(StringComparer.Ordinal);
        if (words.Length < size)
        {
            if (words.Length > 0)
            {
                shingles.Add(string.Join(' ', words));
            }
            return shingles;
        }
        for (var i = 0; i + size <= words.Length; i++)
        {
            shingles.Add(string.Join(' ', words, i, size));
        }
        return shingles;
    }

    public static double Jaccard(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
        {
            return 0;
        }
        var intersection = a.Count(b.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    public static double Similarity(string a, string b) => Jaccard(Shingles(a), Shingles(b));

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}
