using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace RecordsRequests.Features.Accounts;

public static class DistrictSignOn
{
    public static AuthenticationBuilder AddDistrictSignOn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        var settings = configuration.GetSection(OidcOptions.SectionName).Get<OidcOptions>() ?? new OidcOptions();
        authentication.Services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.SectionName)
            .Validate(o => o.Roles.Keys.All(r => Accounts.Roles.All.Contains(r)), $"{OidcOptions.SectionName}:Roles keys must be {string.Join(", ", Accounts.Roles.All)}.")
            .ValidateOnStart();
        if (!settings.IsConfigured)
        {
            return authentication;
        }
        return authentication.AddOpenIdConnect(OidcOptions.Scheme, settings.DisplayName, oidc =>
        {
            oidc.Authority = settings.Authority;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = settings.ClientSecret;
            oidc.ResponseType = OpenIdConnectResponseType.Code;
            oidc.UsePkce = true;
            oidc.Scope.Clear();
            foreach (var scope in new[] { "openid", "profile", "email" })
            {
                oidc.Scope.Add(scope);
            }
            oidc.MapInboundClaims = false;
            oidc.CallbackPath = "/account/sign-in-oidc";
            // The result is the same cookie a password sign-in gives, for a local staff account: the rest of the app
            // (audit actor, API tokens, assignments) sees no difference.
            oidc.SignInScheme = IdentityConstants.ApplicationScheme;
            oidc.Events.OnTokenValidated = ToStaffPrincipalAsync;
        });
    }

    /// <summary>
    /// Finds or creates the staff account for the token's e-mail and gives it exactly the roles the district's
    /// identity provider grants through the configured mapping; no mapped role, no entry.
    /// </summary>
    private static async Task ToStaffPrincipalAsync(TokenValidatedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OidcOptions>>().Value;
        var external = context.Principal!;
        var email = external.FindFirstValue("email") ?? external.FindFirstValue("preferred_username");
        var granted = options.Roles.Where(map => external.FindAll(options.RoleClaim).Any(c => string.Equals(c.Value, map.Value, StringComparison.Ordinal)))
            .Select(map => map.Key).ToHashSet(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(email) || granted.Count == 0)
        {
            context.Fail("The district account has no e-mail or no role in this application.");
            return;
        }
        var users = services.GetRequiredService<UserManager<StaffUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new StaffUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = external.FindFirstValue("name") ?? email };
            Check(await users.CreateAsync(user));
        }
        if (await users.IsLockedOutAsync(user))
        {
            context.Fail("This account is locked.");
            return;
        }
        var roles = services.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in granted.Where(r => !roles.Roles.Any(x => x.Name == r)))
        {
            Check(await roles.CreateAsync(new IdentityRole(role)));
        }
        var current = await users.GetRolesAsync(user);
        Check(await users.RemoveFromRolesAsync(user, current.Where(r => !granted.Contains(r))));
        Check(await users.AddToRolesAsync(user, granted.Where(r => !current.Contains(r))));
        services.GetRequiredService<OfficerDirectory>().Forget();
        context.Principal = await services.GetRequiredService<SignInManager<StaffUser>>().CreateUserPrincipalAsync(user);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
