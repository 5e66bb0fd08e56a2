using System.Text;
using System.Text.RegularExpressions;

namespace RecordsRequests.TestSupport;

/// <summary>
/// An mbox of any size made from the Enron sample in ../shared/corpora/enron (read in place, never copied into the
/// repository): its 2,407 messages repeated in a fixed order, each copy with a Message-ID of its own
/// (&lt;copy{round}.{index}@{domain}&gt;), body lines beginning "From " escaped as "&gt;From " (mboxrd), and a blank line
/// before each separator. The same recipe as the issue's benchmark input, so tests and benchmarks read alike.
/// </summary>
public static partial class EnronMbox
{
    /// <summary>The corpus folder beside the repository that holds the running binaries; writing fails with this path when it is missing.</summary>
    public static string Corpus()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "RecordsRequests.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "corpora", "enron", "maildir"));
            }
        }
        throw new InvalidOperationException($"No repository (RecordsRequests.sln) above {AppContext.BaseDirectory}.");
    }

    /// <summary>Writes the mbox and returns the Message-IDs in file order, as the archive keeps them (without brackets, lower case).</summary>
    /// <param name="crlf">Lines end in CR LF instead of LF, as in an export written on Windows.</param>
    public static IReadOnlyList<string> Write(string corpus, string path, int count, string domain, bool crlf = false)
    {
        if (!Directory.Exists(corpus))
        {
            throw new DirectoryNotFoundException($"The Enron sample is missing at {corpus} (../shared/corpora/enron beside the repository).");
        }
        var messages = Directory.EnumerateFiles(corpus, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => Encoding.Latin1.GetString(File.ReadAllBytes(f)).Replace("\r\n", "\n", StringComparison.Ordinal))
            .Select(Split)
            .ToList();
        var ids = new List<string>(count);
        using var output = new StreamWriter(path, append: false, Encoding.Latin1, 1 << 20);
        for (var i = 0; i < count; i++)
        {
            var (head, body) = messages[i % messages.Count];
            var id = $"copy{i / messages.Count}.{i % messages.Count}@{domain}";
            ids.Add(id.ToLowerInvariant());
            var text = new StringBuilder("From bench@bench.invalid Sat Jan  1 00:00:00 2000\n")
                .Append("Message-ID: <").Append(id).Append(">\n")
                .Append(head)
                .Append(body);
            if (body.Length == 0 || body[^1] != '\n')
            {
                text.Append('\n');
            }
            text.Append('\n');
            output.Write(crlf ? text.Replace("\n", "\r\n").ToString() : text.ToString());
        }
        return ids;
    }

    /// <summary>The header block without its Message-ID, and the body with "From " lines escaped.</summary>
    private static (string Head, string Body) Split(string message)
    {
        var end = message.IndexOf("\n\n", StringComparison.Ordinal);
        var (head, body) = end < 0 ? (message, "") : (message[..(end + 1)], message[(end + 1)..]);
        return (MessageIdLine().Replace(head, ""), FromLine().Replace(body, ">$1"));
    }

    [GeneratedRegex(@"^Message-ID:.*\n", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex MessageIdLine();

    [GeneratedRegex(@"^(>*From )", RegexOptions.Multiline)]
    private static partial Regex FromLine();
}
