namespace RecordsRequests.Features.Accounts;

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
