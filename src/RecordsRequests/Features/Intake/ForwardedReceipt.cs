using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MimeKit.Utils;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Messages;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// For a request that came as a forward (a principal passing on a parent's e-mail, an uploaded .eml), proposes the
/// original message's date as the receipt: the forward's own arrival, which the request was stamped with, is later
/// than when the district first had it. Read from the stored original, so it works for requests opened before this.
/// </summary>
public sealed partial class ForwardedReceipt(AppDbContext db, DistrictTime time) : IReceiptEvidence
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public async Task<ProposedReceipt?> ProposeAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var raw = await db.Messages.AsNoTracking().Where(m => m.RequestId == requestId && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.RecordedAt).Select(m => m.RawContent).FirstOrDefaultAsync(cancellationToken);
        if (raw is null || raw.Length == 0)
        {
            return null;
        }
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw);
            message = await MimeMessage.LoadAsync(stream, cancellationToken);
        }
        catch (FormatException)
        {
            return null;
        }
        var forwarded = MailContent.FindForwarded(message, MailContent.BodyText(message));
        if (forwarded?.AttachedSent is { } attached)
        {
            return new ProposedReceipt(attached, $"the Date of the message from {forwarded.SenderAddress} attached to the forward");
        }
        return forwarded?.QuotedSent is { } quoted && Parse(quoted, time.Zone) is { } sent
            ? new ProposedReceipt(sent, $"the forward's quoted header for {forwarded.SenderAddress}: “{quoted}”")
            : null;
    }

    /// <summary>
    /// A date as mail programs quote it in a forward: Thunderbird's RFC 5322 form ("Mon, 2 Mar 2026 09:14:05 -0500"),
    /// Gmail's ("Mon, Mar 2, 2026 at 9:14 AM"), Outlook's ("Monday, March 2, 2026 9:14 AM") or Apple Mail's
    /// ("March 2, 2026 at 9:14:05 AM EST"). Without a zone it is read as the district's time.
    /// </summary>
    public static DateTimeOffset? Parse(string quoted, TimeZoneInfo zone)
    {
        var text = Whitespace().Replace(quoted.Trim(), " ");
        if (NumericZone().IsMatch(text) && DateUtils.TryParse(text, out var rfc))
        {
            return rfc;
        }
        text = At().Replace(text, " ");
        TimeSpan? offset = null;
        var named = NamedZone().Match(text);
        if (named.Success)
        {
            offset = named.Groups[1].Value.ToUpperInvariant() switch
            {
                "EST" => TimeSpan.FromHours(-5),
                "EDT" => TimeSpan.FromHours(-4),
                _ => TimeSpan.Zero,
            };
            text = text[..named.Index];
        }
        text = Weekday().Replace(text, "");
        if (!DateTime.TryParse(text, English, DateTimeStyles.AllowWhiteSpaces, out var written))
        {
            return null;
        }
        var local = DateTime.SpecifyKind(written, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, offset ?? zone.GetUtcOffset(local));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"[+-]\d{4}(\s*\([^)]*\))?$")]
    private static partial Regex NumericZone();

    [GeneratedRegex(@"\s+at\s+", RegexOptions.IgnoreCase)]
    private static partial Regex At();

    [GeneratedRegex(@"\s+(EST|EDT|UTC|GMT)$", RegexOptions.IgnoreCase)]
    private static partial Regex NamedZone();

    [GeneratedRegex(@"^[A-Za-z]+,\s*")]
    private static partial Regex Weekday();
}
