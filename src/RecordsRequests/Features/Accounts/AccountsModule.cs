using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

public static class AccountsModule
{
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
}
