using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Two-factor sign-in with an authenticator app (TOTP, RFC 6238, as ASP.NET Core Identity implements it). Required for
/// admins and counsel: they see and approve everything; offered to officers. Between the password and the code the
/// browser holds only Identity's short-lived "two-factor user" cookie, which opens no page but the code and setup pages.
/// </summary>
public static class TwoFactor
{
    public const string CodePage = "/account/two-factor";
    public const string SetupPage = "/account/two-factor/setup";

    /// <summary>The roles that may not work without a second factor.</summary>
    public static readonly string[] RequiredForRoles = [Roles.Admin, Roles.Counsel];

    public static bool IsRequiredFor(IEnumerable<string> roles) => roles.Any(r => RequiredForRoles.Contains(r, StringComparer.Ordinal));

    /// <summary>Remembers, for a few minutes, whose password was right; the code or the setup page finishes the sign-in.</summary>
    public static Task RememberPasswordStepAsync(HttpContext context, StaffUser user) =>
        context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Id)], IdentityConstants.TwoFactorUserIdScheme)));

    /// <summary>Ends the in-between step and gives the full staff session, marked as signed in with two factors.</summary>
    public static async Task CompleteAsync(HttpContext context, SignInManager<StaffUser> signIn, StaffUser user)
    {
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa");
    }

    /// <summary>The key as people type it: groups of four letters.</summary>
    public static string Grouped(string key)
    {
        var text = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            text.Append(text.Length > 0 ? " " : "").Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return text.ToString().ToLowerInvariant();
    }

    /// <summary>The otpauth:// address an authenticator app reads from the QR code (Key Uri Format).</summary>
    public static string AuthenticatorUri(string issuer, string account, string key) =>
        $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";

    /// <summary>A code as typed, without spaces; recovery codes keep their dash and are compared in capitals, as Identity makes them.</summary>
    public static string Normalize(string? code) => new string((code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
}
