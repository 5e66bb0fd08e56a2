using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Public;

/// <summary>
/// One-time tickets for the public form. The anti-forgery token proves a post came from our page but can be posted
/// again and again; this ticket, issued with each form and encrypted with the app's keys, is accepted once, so a bot
/// cannot replay one captured form to open request after request.
/// </summary>
public sealed class FormTickets(IDataProtectionProvider protection, AppDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(4);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("RecordsRequests.PublicForm.Ticket.v1").ToTimeLimitedDataProtector();

    public string Issue() =>
        _protector.Protect(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), clock.GetUtcNow() + Lifetime);

    public async Task<TicketCheck> RedeemAsync(string? ticket, CancellationToken cancellationToken)
    {
        string nonce;
        try
        {
            nonce = string.IsNullOrEmpty(ticket) ? throw new CryptographicException("no ticket") : _protector.Unprotect(ticket, out var expires);
            if (expires < clock.GetUtcNow())
            {
                return TicketCheck.Expired;
            }
        }
        catch (CryptographicException)
        {
            return TicketCheck.Expired;
        }
        var now = clock.GetUtcNow();
        var inserted = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO used_form_tickets (nonce, used_at) VALUES ({nonce}, {now}) ON CONFLICT (nonce) DO NOTHING", cancellationToken);
        // A used ticket is useless after its lifetime: forget old ones as new ones come in.
        await db.Set<UsedFormTicket>().Where(t => t.UsedAt < now - Lifetime - TimeSpan.FromHours(1)).ExecuteDeleteAsync(cancellationToken);
        return inserted == 1 ? TicketCheck.Valid : TicketCheck.Replayed;
    }
}
