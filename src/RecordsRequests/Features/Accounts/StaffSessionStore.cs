using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

/// <summary>The cookie handler's session store (<see cref="CookieAuthenticationOptions.SessionStore"/>), in PostgreSQL.</summary>
/// <remarks>
/// A session ends when it has been left unused longer than the idle limit an admin set (<see cref="IdleTimeout"/>),
/// judged here on the server from the row's last use, so a change of the limit applies to sessions already open.
/// </remarks>
public sealed class StaffSessionStore(IServiceScopeFactory scopes, IDataProtectionProvider protection, TimeProvider clock, IdleTimeout idle) : ITicketStore
{
    /// <summary>Last use is written at most this often: a page view need not be a database write.</summary>
    private static readonly TimeSpan RecordUseEvery = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _protector = protection.CreateProtector("RecordsRequests.StaffSessions.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = WebEncoded(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Add(StaffSession.Start(Hash(key), UserIdOf(ticket), Protect(ticket), now, ticket.Properties.ExpiresUtc ?? now.AddHours(1)));
        await db.SaveChangesAsync();
        // Expired rows are of no use; each sign-in clears a few so the table does not grow without bound.
        await db.Set<StaffSession>().Where(s => s.ExpiresAt < now.AddDays(-1)).OrderBy(s => s.ExpiresAt).Take(100).ExecuteDeleteAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var session = await db.Set<StaffSession>().SingleOrDefaultAsync(s => s.KeyHash == Hash(key));
        if (session is null)
        {
            // Signed out meanwhile: a renewal must not bring the session back.
            return;
        }
        var now = clock.GetUtcNow();
        session.Renew(Protect(ticket), now, ticket.Properties.ExpiresUtc ?? now.AddHours(1));
        await db.SaveChangesAsync();
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow();
        var hash = Hash(key);
        var stored = await db.Set<StaffSession>().AsNoTracking().Where(s => s.KeyHash == hash && s.ExpiresAt > now)
            .Select(s => new { s.Ticket, s.LastSeenAt }).SingleOrDefaultAsync();
        if (stored is null)
        {
            return null;
        }
        if (now - stored.LastSeenAt > await idle.CurrentAsync())
        {
            await db.Set<StaffSession>().Where(s => s.KeyHash == hash).ExecuteDeleteAsync();
            return null;
        }
        if (now - stored.LastSeenAt > RecordUseEvery)
        {
            await db.Set<StaffSession>().Where(s => s.KeyHash == hash).ExecuteUpdateAsync(s => s.SetProperty(x => x.LastSeenAt, now));
        }
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(stored.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Set<StaffSession>().Where(s => s.KeyHash == Hash(key)).ExecuteDeleteAsync();
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static string UserIdOf(AuthenticationTicket ticket) =>
        ticket.Principal.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "";

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string WebEncoded(byte[] bytes) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(bytes);
}
