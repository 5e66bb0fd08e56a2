using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Admin;

/// <summary>
/// What happened at the public doors in the last day: failed sign-ins by account and client, refused and throttled
/// attempts, held form submissions, deferred SMTP deliveries, password-reset requests. A flood or a guessing campaign
/// shows here as a burst, with the limits in force beside it.
/// </summary>
[Authorize(Policy = Policies.Admins)]
public sealed class AbuseModel(AppDbContext db, TimeProvider clock, IOptions<RateLimitOptions> limits, IOptions<AccountOptions> accounts) : PageModel
{
    public sealed record Tally(AbuseChannel Channel, string Outcome, int Count, DateTimeOffset Last);

    public sealed record Burst(AbuseChannel Channel, string Outcome, string Client, string? Account, int Count, DateTimeOffset First, DateTimeOffset Last);

    public IReadOnlyList<Tally> Tallies { get; private set; } = [];
    public IReadOnlyList<Burst> Bursts { get; private set; } = [];
    public RateLimitOptions Limits => limits.Value;
    public AccountOptions Accounts => accounts.Value;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().AddDays(-1);
        var recent = db.Set<AbuseEvent>().AsNoTracking().Where(e => e.At >= since);
        Tallies = (await recent.GroupBy(e => new { e.Channel, e.Outcome })
                .Select(g => new { g.Key.Channel, g.Key.Outcome, Count = g.Count(), Last = g.Max(e => e.At) }).ToListAsync(cancellationToken))
            .Select(t => new Tally(t.Channel, t.Outcome, t.Count, t.Last)).OrderBy(t => t.Channel).ThenByDescending(t => t.Count).ToList();
        Bursts = (await recent.GroupBy(e => new { e.Channel, e.Outcome, e.Client, e.Account })
                .Select(g => new { g.Key.Channel, g.Key.Outcome, g.Key.Client, g.Key.Account, Count = g.Count(), First = g.Min(e => e.At), Last = g.Max(e => e.At) })
                .Where(b => b.Count >= 3).OrderByDescending(b => b.Count).Take(50).ToListAsync(cancellationToken))
            .Select(b => new Burst(b.Channel, b.Outcome, b.Client, b.Account, b.Count, b.First, b.Last)).ToList();
    }

    public static string Door(AbuseChannel channel) => channel switch
    {
        AbuseChannel.SignIn => "Staff sign-in",
        AbuseChannel.PasswordReset => "Password reset",
        AbuseChannel.PublicForm => "Public request form",
        AbuseChannel.Smtp => "Mail listener (SMTP)",
        _ => channel.ToString(),
    };

    public static string Happened(string outcome) => outcome switch
    {
        "failed" => "wrong password or unknown account",
        "throttled" => "refused: over the limit",
        "replayed" => "refused: form sent twice",
        "honeypot" => "held: hidden field filled",
        "deferred" => "deferred (sender retries later)",
        "sent" => "reset e-mail sent",
        "suppressed" => "reset e-mail not sent: limit for the account",
        "unknown" => "reset asked for an unknown address",
        _ => outcome,
    };

    public static string Limit(RateLimit limit) => $"{limit.Permits} per {Span(limit.Window)}";

    public static string Span(TimeSpan span) => span.TotalHours >= 1 && span.TotalHours % 1 == 0
        ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? "" : "s")}"
        : $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}";
}
