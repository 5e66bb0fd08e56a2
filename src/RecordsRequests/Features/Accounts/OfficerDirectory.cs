using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// The staff a request can be assigned to: records access officers and admins (who may act for them).
/// The queue and the request page show the list on every view, so it is kept for a short while
/// (<see cref="KeptFor"/>); a change made in this process (the admin's user page, a first district sign-on)
/// forgets it at once, and one made elsewhere (the CLI) shows within <see cref="KeptFor"/>.
/// Decisions (may this id be assigned?) read the database, never the kept list.
/// </summary>
public sealed class OfficerDirectory(TimeProvider clock)
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromSeconds(30);

    public sealed record Officer(string Id, string Name);

    private sealed record Kept(IReadOnlyList<Officer> Officers, DateTimeOffset Until);

    private volatile Kept? kept;

    /// <summary>The list to show on a page: at most <see cref="KeptFor"/> old.</summary>
    public async Task<IReadOnlyList<Officer>> ForDisplayAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        if (kept is { } current && current.Until > clock.GetUtcNow())
        {
            return current.Officers;
        }
        var officers = await ListAsync(db, cancellationToken);
        kept = new Kept(officers, clock.GetUtcNow() + KeptFor);
        return officers;
    }

    /// <summary>Called after a change to staff accounts or roles.</summary>
    public void Forget() => kept = null;

    /// <summary>The list as the database has it now.</summary>
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
