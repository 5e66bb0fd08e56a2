using Microsoft.AspNetCore.Identity;

namespace RecordsRequests.Features.Accounts;

/// <summary>A district staff member who signs in to the dashboard. Requesters never have accounts.</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}

public static class Roles
{
    public const string RecordsOfficer = nameof(RecordsOfficer);
    public const string Counsel = nameof(Counsel);
    public const string Admin = nameof(Admin);

    public static readonly string[] All = [RecordsOfficer, Counsel, Admin];

    /// <summary>A staff role as people say it.</summary>
    public static string Label(string role) => role switch
    {
        RecordsOfficer => "Records access officer",
        Counsel => "Counsel",
        Admin => "Administrator",
        _ => Requests.Labels.Words(role),
    };
}

public static class Policies
{
    /// <summary>Any signed-in district staff member.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Records access officers work requests; admins may act for them.</summary>
    public const string Officers = nameof(Officers);
    public const string Counsel = nameof(Counsel);
    public const string Admins = nameof(Admins);
}
