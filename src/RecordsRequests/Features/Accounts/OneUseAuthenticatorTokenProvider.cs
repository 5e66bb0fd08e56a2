using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Authenticator-app codes (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, six digits) that work once. Identity's own
/// provider accepts the same code again for as long as it is current, so a code seen over a shoulder or caught by a
/// phishing page signs in a second time; RFC 6238 §5.2 says a verifier must not accept a code twice. Here the time
/// step of each accepted code is stored per member, and only a later step is accepted after it. The window is
/// Identity's: two steps either side of now, for a phone whose clock is a little off.
/// </summary>
public sealed class OneUseAuthenticatorTokenProvider(AppDbContext db, TimeProvider clock) : IUserTwoFactorTokenProvider<StaffUser>
{
    private static readonly VerificationWindow ClockDrift = new(previous: 2, future: 2);

    public async Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<StaffUser> manager, StaffUser user) =>
        !string.IsNullOrWhiteSpace(await manager.GetAuthenticatorKeyAsync(user));

    /// <summary>The app makes the codes; the server never sends one.</summary>
    public Task<string> GenerateAsync(string purpose, UserManager<StaffUser> manager, StaffUser user) => Task.FromResult(string.Empty);

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<StaffUser> manager, StaffUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, token, out var step, ClockDrift))
        {
            return false;
        }
        // One statement decides, so two sign-ins racing with the same code cannot both pass: the row moves forward
        // only to a later step, and no row changes when this step (or a later one) was already used.
        var accepted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO authenticator_code_uses (user_id, last_time_step) VALUES ({user.Id}, {step})
            ON CONFLICT (user_id) DO UPDATE SET last_time_step = EXCLUDED.last_time_step
            WHERE authenticator_code_uses.last_time_step < EXCLUDED.last_time_step
            """);
        return accepted == 1;
    }
}
