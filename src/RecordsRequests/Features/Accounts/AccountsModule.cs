using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

public static class AccountsModule
{
    /// <summary>Staff accounts, roles, sessions and key protection: what the web host and the command line share.</summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IdleTimeout>();
        services.AddSingleton<StaffSessionStore>();
        services.AddDataProtection().SetApplicationName("RecordsRequests").PersistKeysToDbContext<AppDbContext>();
        services.AddKeyProtection();
        services.AddIdentityCore<StaffUser>(identity =>
            {
                identity.Password.RequiredLength = 12;
                identity.Password.RequireNonAlphanumeric = false;
                identity.Lockout.MaxFailedAccessAttempts = 5;
                identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                identity.Lockout.AllowedForNewUsers = true;
                identity.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders()
            // After the defaults, so it replaces Identity's authenticator provider, which accepts a code more than once.
            .AddTokenProvider<OneUseAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider);
        // A signed-in cookie is checked against the account every minute (Identity's default is 30): a role change or a
        // removed account then takes effect within a minute instead of lasting the rest of a working day.
        services.AddSingleton<OfficerDirectory>();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        // A reset link sits in a mailbox and in the outbox table: keep its useful life short (the default is a day).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(2));
        return services;
    }

    /// <summary>
    /// The web host's staff sign-in: Identity's cookies (the session, and the step between password and code), the
    /// district's own sign-on when configured, the role policies pages and endpoints are authorized by, and the account
    /// pages a visitor must reach before signing in.
    /// </summary>
    public static IServiceCollection AddStaffSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddAuthentication().AddDistrictSignOn(configuration);
        services.AddIdentityCore<StaffUser>().AddSignInManager();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.LoginPath = "/account/sign-in";
            cookie.LogoutPath = "/account/sign-out";
            cookie.AccessDeniedPath = "/account/denied";
            cookie.Cookie.Name = "records.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the request came over HTTPS (directly or through the configured proxy).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.SlidingExpiration = true;
        });
        // The step between password and code: ten minutes to find the phone or scan the QR code, then start again.
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, cookie =>
        {
            cookie.Cookie.Name = "records.2fa";
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(10);
        });
        // The session lives on the server: signing out deletes it, so a copied cookie is worthless at once. The store ends
        // a session left idle longer than the limit an admin set; the cookie itself lasts at most the longest such limit.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<StaffSessionStore>((cookie, store) =>
            {
                cookie.SessionStore = store;
                cookie.ExpireTimeSpan = IdleTimeout.Longest;
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Staff, p => p.RequireRole(Roles.All))
            .AddPolicy(Policies.Officers, p => p.RequireRole(Roles.RecordsOfficer, Roles.Admin))
            .AddPolicy(Policies.Counsel, p => p.RequireRole(Roles.Counsel))
            .AddPolicy(Policies.Admins, p => p.RequireRole(Roles.Admin));
        services.Configure<RazorPagesOptions>(pages =>
        {
            pages.Conventions.AllowAnonymousToPage("/Accounts/SignIn");
            pages.Conventions.AllowAnonymousToPage("/Accounts/Denied");
            // Between password and code there is no session yet; these pages read Identity's two-factor cookie themselves.
            pages.Conventions.AllowAnonymousToPage("/Accounts/TwoFactorCode");
            pages.Conventions.AllowAnonymousToPage("/Accounts/TwoFactorSetup");
        });
        return services;
    }
}
