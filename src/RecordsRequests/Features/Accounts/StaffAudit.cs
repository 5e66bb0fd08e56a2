using System.Text.Json;
using RecordsRequests.Data;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Accounts;

/// <summary>
/// Audit events for staff accounts. Identity's tables are not audited entities, so every change to an account (roles,
/// disabling, two-factor sign-in turned on or off or reset) adds its event here, saved with the caller's next save.
/// </summary>
public static class StaffAudit
{
    public const string TwoFactorOn = "StaffUser.TwoFactorOn";
    public const string TwoFactorOff = "StaffUser.TwoFactorOff";
    public const string RecoveryCodesReplaced = "StaffUser.RecoveryCodesReplaced";
    public const string TwoFactorReset = "StaffUser.TwoFactorReset";

    /// <param name="actor">Who acted: the member themselves, or the administrator.</param>
    public static void Add(AppDbContext db, DateTimeOffset now, string actor, string action, string userId, object? before, object after) =>
        db.AuditEvents.Add(AuditEvent.Create(now, actor, action, nameof(StaffUser), userId, null,
            before is null ? null : JsonSerializer.SerializeToDocument(before), JsonSerializer.SerializeToDocument(after)));
}
