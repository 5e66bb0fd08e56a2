using Microsoft.AspNetCore.Identity;

namespace RecordsRequests.Features.Accounts;

/// <summary>A district staff member who signs in to the dashboard. Requesters never have accounts.</summary>
public sealed class StaffUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
}
