namespace RecordsRequests.Features.Accounts;

public static class Policies
{
    /// <summary>Any signed-in district staff member.</summary>
    public const string Staff = nameof(Staff);

    /// <summary>Records access officers work requests; admins may act for them.</summary>
    public const string Officers = nameof(Officers);
    public const string Counsel = nameof(Counsel);
    public const string Admins = nameof(Admins);
}
