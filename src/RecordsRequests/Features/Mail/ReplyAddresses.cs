using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Mail;

/// <summary>Issues reply addresses for outbound mail and finds the tokens an inbound message was addressed to.</summary>
public sealed class ReplyAddresses(AppDbContext db, TimeProvider clock, IOptions<MailOptions> mail)
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    private const int TokenLength = 26;

    /// <summary>The request's reply address, issuing its token on first use.</summary>
    public async Task<MailboxAddress> ForRequestAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var token = await db.Set<ReplyToken>().AsNoTracking().Where(t => t.RequestId == requestId).Select(t => t.Token).SingleOrDefaultAsync(cancellationToken);
        if (token is null)
        {
            var issued = ReplyToken.Issue(requestId, clock.GetUtcNow());
            // Two dispatchers composing mail for one request at once: the first token wins and both use it.
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO reply_tokens (request_id, token, created_at) VALUES ({issued.RequestId}, {issued.Token}, {issued.CreatedAt}) ON CONFLICT (request_id) DO NOTHING",
                cancellationToken);
            token = await db.Set<ReplyToken>().AsNoTracking().Where(t => t.RequestId == requestId).Select(t => t.Token).SingleAsync(cancellationToken);
        }
        var from = MailboxAddress.Parse(mail.Value.FromAddress);
        return new MailboxAddress(mail.Value.FromName, $"{LocalPart(from.Address)}+{token}@{from.Domain}");
    }

    internal static string NewToken() => string.Create(TokenLength, 0, (chars, _) =>
    {
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
    });

    /// <summary>
    /// Tokens in the addresses this message was delivered to: the envelope recipients of the SMTP conversation and the
    /// To, Cc, Delivered-To, X-Original-To and Envelope-To headers (a mailbox keeps the plus address in one of them).
    /// Only well-formed tokens are returned, so nothing else is looked up.
    /// </summary>
    public static IReadOnlyList<string> TokensIn(MimeMessage message, IReadOnlyList<string>? envelopeRecipients)
    {
        var addresses = new List<string>(envelopeRecipients ?? []);
        // A token follows a "+" in an address, and an address's "+" is a "+" in the header as written: a header without
        // one is not parsed into addresses to look (To and Cc name dozens of people in much mail; most of it has none).
        if (message.Headers.Any(h => h.Id is HeaderId.To or HeaderId.Cc && MayHoldToken(h)))
        {
            addresses.AddRange(message.To.Mailboxes.Concat(message.Cc.Mailboxes).Select(m => m.Address));
        }
        foreach (var header in message.Headers.Where(h => h.Field is "Delivered-To" or "X-Original-To" or "Envelope-To" && MayHoldToken(h)))
        {
            if (InternetAddressList.TryParse(header.Value, out var list))
            {
                addresses.AddRange(list.Mailboxes.Select(m => m.Address));
            }
        }
        return addresses.Select(TokenOf).OfType<string>().Distinct(StringComparer.Ordinal).Take(10).ToList();
    }

    private static bool MayHoldToken(Header header) => header.RawValue.AsSpan().Contains((byte)'+');

    private static string? TokenOf(string address)
    {
        var at = address.LastIndexOf('@');
        var plus = at < 0 ? -1 : address.LastIndexOf('+', at);
        if (plus < 0)
        {
            return null;
        }
        var token = address[(plus + 1)..at].ToLowerInvariant();
        return token.Length == TokenLength && token.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? token : null;
    }

    private static string LocalPart(string address) => address[..address.LastIndexOf('@')];
}
