namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Optional district single sign-on by OpenID Connect (Authentication:Oidc). Unset Authority or ClientId means the
/// scheme is not registered and only password sign-in exists.
/// </summary>
public sealed class OidcOptions
{
    public const string SectionName = "Authentication:Oidc";
    public const string Scheme = "oidc";

    /// <summary>The district identity provider, e.g. https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }

    /// <summary>The button text on the sign-in page.</summary>
    public string DisplayName { get; set; } = "District account";

    /// <summary>The claim in the ID token that carries the user's groups or app roles.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Our role name (RecordsOfficer, Counsel, Admin) to the claim value that grants it, e.g. RecordsOfficer = "records-officers".</summary>
    public Dictionary<string, string> Roles { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
