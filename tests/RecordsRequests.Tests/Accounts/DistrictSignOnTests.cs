using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;

namespace RecordsRequests.Tests.Accounts;

public class DistrictSignOnTests
{
    [Fact]
    public async Task NoOidcSettings_RegistersNoScheme()
    {
        var schemes = Schemes(new Dictionary<string, string?>());

        Assert.Null(await schemes.GetSchemeAsync(OidcOptions.Scheme));
    }

    [Fact]
    public async Task OidcSettings_RegisterTheSchemeWithTheDistrictsProviderAndRoleMapping()
    {
        var provider = Services(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Authority"] = "https://login.district.example/",
            ["Authentication:Oidc:ClientId"] = "records",
            ["Authentication:Oidc:ClientSecret"] = "secret",
            ["Authentication:Oidc:DisplayName"] = "Westfield account",
            ["Authentication:Oidc:RoleClaim"] = "groups",
            ["Authentication:Oidc:Roles:RecordsOfficer"] = "records-officers",
            ["Authentication:Oidc:Roles:Counsel"] = "legal",
        });

        var scheme = await provider.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(OidcOptions.Scheme);

        Assert.NotNull(scheme);
        Assert.Equal("Westfield account", scheme.DisplayName);
        var oidc = provider.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(OidcOptions.Scheme);
        Assert.Equal(("https://login.district.example/", "records", "/account/sign-in-oidc"), (oidc.Authority, oidc.ClientId, oidc.CallbackPath.Value));
        var options = provider.GetRequiredService<IOptions<OidcOptions>>().Value;
        Assert.Equal("groups", options.RoleClaim);
        Assert.Equal("legal", options.Roles[Roles.Counsel]);
    }

    [Fact]
    public void RoleMapping_ToARoleWeDoNotHave_IsRejected()
    {
        var provider = Services(new Dictionary<string, string?>
        {
            ["Authentication:Oidc:Authority"] = "https://login.district.example/",
            ["Authentication:Oidc:ClientId"] = "records",
            ["Authentication:Oidc:Roles:Superuser"] = "everyone",
        });

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<OidcOptions>>().Value);
    }

    private static IAuthenticationSchemeProvider Schemes(Dictionary<string, string?> settings) =>
        Services(settings).GetRequiredService<IAuthenticationSchemeProvider>();

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddAuthentication().AddDistrictSignOn(configuration);
        return services.BuildServiceProvider();
    }
}
