using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

/// <summary>The staff a request can be assigned to: records access officers and admins (who may act for them).</summary>
public static class OfficerDirectory
{
    public sealed record Officer(string Id, string Name);

    public static async Task<IReadOnlyList<Officer>> ListAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var roles = new[] { Roles.RecordsOfficer, Roles.Admin };
        var officers = await (
                from user in db.Users
                where db.UserRoles.Any(ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!)))
                select new { user.Id, user.DisplayName, user.Email })
            .ToListAsync(cancellationToken);
        return officers.Select(o => new Officer(o.Id, NameOf(o.DisplayName, o.Email)))
            .OrderBy(o => o.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
    }

    public static string NameOf(string? displayName, string? email) =>
        string.IsNullOrWhiteSpace(displayName) ? email ?? "(no name)" : email is null ? displayName : $"{displayName} <{email}>";
}
