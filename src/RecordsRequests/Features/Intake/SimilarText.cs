using System.Text.RegularExpressions;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// Near-duplicate detection for request descriptions: Jaccard similarity of word 3-shingles. Resent or slightly
/// reworded requests score high; unrelated requests on the same topic score low.
/// </summary>
public static partial class SimilarText
{
    /// <summary>
    /// The text's word shingles, each as a 64-bit hash of its words: a mailbox catching up compares thousands of new
    /// requests with their senders' recent ones, and a string per word and per shingle made this the largest part of
    /// deciding a page. The hashes are this process's own (.NET randomizes string hashes per process), so they are
    /// compared within a process and never stored.
    /// </summary>
    public static HashSet<long> Shingles(string text, int size = 3)
    {
        // Words hashed ignoring case where they stand, not in a lower-cased copy of the text.
        var words = new List<int>(text.Length / 5);
        foreach (var match in Word().EnumerateMatches(text))
        {
            words.Add(string.GetHashCode(text.AsSpan(match.Index, match.Length), StringComparison.OrdinalIgnoreCase));
        }
        var shingles = new HashSet<long>(Math.Max(1, words.Count - size + 1));
        if (words.Count < size)
        {
            if (words.Count > 0)
            {
                shingles.Add(Fold(words, 0, words.Count));
            }
            return shingles;
        }
        for (var i = 0; i + size <= words.Count; i++)
        {
            shingles.Add(Fold(words, i, size));
        }
        return shingles;
    }

    /// <summary>FNV-1a over the words' 32-bit hashes, so a shingle is one value and word order counts.</summary>
    private static long Fold(List<int> words, int start, int count)
    {
        var hash = 0xcbf29ce484222325UL;
        for (var i = start; i < start + count; i++)
        {
            hash = unchecked((hash ^ (uint)words[i]) * 0x100000001b3UL);
        }
        return unchecked((long)hash);
    }

    public static double Jaccard(IReadOnlySet<long> a, IReadOnlySet<long> b)
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
