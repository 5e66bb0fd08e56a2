using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// A small client of spamd's SPAMC protocol (spamd/PROTOCOL in SpamAssassin's sources): one TCP connection per message,
/// a REPORT request, and the answer's score and rule table. Any failure (no daemon, a time-out, an answer it cannot
/// read) is a <see cref="SpamScore.NotScored"/> result, never an exception: mail is never lost because the filter is down.
/// </summary>
public sealed partial class SpamAssassinClient(IOptions<IntakeOptions> options, ILogger<SpamAssassinClient> log)
{
    /// <summary>The report's rule table cannot be longer than this; a longer answer is not from spamd.</summary>
    private const int MaxAnswerBytes = 1024 * 1024;

    public async Task<SpamScore> ScoreAsync(byte[] raw, CancellationToken cancellationToken)
    {
        var settings = options.Value.Spam;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            return SpamScore.NotScored("no spam filter is set up (Intake:Spam:Host is empty)");
        }
        if (raw.LongLength > settings.MaxMessageBytes)
        {
            return SpamScore.NotScored($"larger than the {settings.MaxMessageBytes / 1024} KB the spam filter reads");
        }
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.TimeLimit);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(settings.Host, settings.Port, limit.Token);
            var stream = client.GetStream();
            var header = Encoding.ASCII.GetBytes($"REPORT SPAMC/1.5\r\nContent-length: {raw.Length.ToString(CultureInfo.InvariantCulture)}\r\n\r\n");
            await stream.WriteAsync(header, limit.Token);
            await stream.WriteAsync(raw, limit.Token);
            await stream.FlushAsync(limit.Token);
            client.Client.Shutdown(SocketShutdown.Send);
            var answer = await ReadToEndAsync(stream, limit.Token);
            var score = Parse(answer);
            if (score.NotScoredBecause is { } problem)
            {
                log.LogWarning("spamd at {Host}:{Port} did not score a message: {Problem}", settings.Host, settings.Port, problem);
            }
            return score;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            log.LogWarning("spamd at {Host}:{Port} did not answer within {Limit}", settings.Host, settings.Port, settings.TimeLimit);
            return SpamScore.NotScored($"the spam filter did not answer within {settings.TimeLimit.TotalSeconds:0} seconds");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            log.LogWarning("spamd at {Host}:{Port} could not be reached: {Problem}", settings.Host, settings.Port, e.Message);
            return SpamScore.NotScored($"the spam filter could not be reached ({e.Message})");
        }
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxAnswerBytes)
            {
                throw new IOException("the answer is larger than spamd ever sends");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads "SPAMD/1.1 0 EX_OK", the "Spam: True ; 7.3 / 5.0" header and, after the blank line, the report whose rule
    /// table ("pts rule name description", a line of dashes, then one line per rule) names what matched.
    /// </summary>
    public static SpamScore Parse(byte[] answer)
    {
        var text = Encoding.UTF8.GetString(answer);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = (split < 0 ? text : text[..split]).Split("\r\n");
        var status = StatusLine().Match(head[0]);
        if (!status.Success)
        {
            return SpamScore.NotScored("the spam filter's answer could not be read");
        }
        if (status.Groups["code"].Value != "0")
        {
            return SpamScore.NotScored($"the spam filter answered {status.Groups["message"].Value.Trim()}");
        }
        var verdict = head.Skip(1).Select(line => SpamHeader().Match(line)).FirstOrDefault(m => m.Success);
        if (verdict is null)
        {
            return SpamScore.NotScored("the spam filter's answer has no score");
        }
        var points = double.Parse(verdict.Groups["score"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new SpamScore(points, split < 0 ? [] : RulesIn(text[(split + 4)..]), null);
    }

    private static List<SpamRule> RulesIn(string report)
    {
        var rules = new List<SpamRule>();
        var lines = report.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        // The last line of dashes: the content preview above the table quotes the sender's text, which could hold one.
        var table = lines.FindLastIndex(l => TableRule().IsMatch(l));
        if (table < 0)
        {
            return rules;
        }
        foreach (var line in lines.Skip(table + 1))
        {
            if (RuleLine().Match(line) is { Success: true } rule)
            {
                rules.Add(new SpamRule(rule.Groups["name"].Value,
                    double.Parse(rule.Groups["points"].Value, NumberStyles.Float, CultureInfo.InvariantCulture), rule.Groups["description"].Value.Trim()));
            }
            else if (rules.Count > 0 && line.StartsWith(' ') && line.Trim().Length > 0)
            {
                // A long description continues on the next line, indented under the first.
                var last = rules[^1];
                rules[^1] = last with { Description = $"{last.Description} {line.Trim()}" };
            }
            else if (line.Trim().Length == 0)
            {
                break;
            }
        }
        return rules;
    }

    [GeneratedRegex(@"^SPAMD/\d+\.\d+\s+(?<code>\d+)\s+(?<message>.*)$")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^Spam:\s*(True|False|Yes|No)\s*;\s*(?<score>-?\d+(\.\d+)?)\s*/\s*-?\d+(\.\d+)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex SpamHeader();

    [GeneratedRegex(@"^\s*-{4} -{22} -{10,}\s*$")]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^\s*(?<points>-?\d+(\.\d+)?)\s+(?<name>[A-Za-z0-9_]+)\s+(?<description>.*)$")]
    private static partial Regex RuleLine();
}
