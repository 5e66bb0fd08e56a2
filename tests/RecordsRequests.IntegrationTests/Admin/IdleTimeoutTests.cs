using System.Net;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Admin;

/// <summary>Issue 15, deliver 4: an admin sets how long an unused staff session lasts; the change is audited and applies to open sessions.</summary>
[Collection(Lanes.StaffPages)]
public sealed class IdleTimeoutTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AdminSetsTheIdleLimit_OnAPage_ItIsAudited_AndSessionsIdleLongerEnd()
    {
        using var admin = _app.CreateClient();
        var adminEmail = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        await WebSession.SignInAsync(admin, adminEmail);
        Assert.Contains("This is the default (30 minutes)", await admin.GetStringAsync("/admin/sessions"), StringComparison.Ordinal);
        using var early = _app.CreateClient();
        var earlyEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(early, earlyEmail);

        var refused = await WebSession.PostFormAsync(admin, "/admin/sessions", new() { ["IdleMinutes"] = "2" });
        Assert.Contains("Choose between 5 minutes and 12 hours", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await WebSession.PostFormAsync(admin, "/admin/sessions", new() { ["IdleMinutes"] = "10" });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var page = await admin.GetStringAsync("/admin/sessions");
        Assert.Contains("Sessions now end after 10 minutes without activity", page, StringComparison.Ordinal);
        Assert.Contains($"Set by {adminEmail}", page, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync($"SELECT count(*) FROM audit_events WHERE entity_type = 'SessionPolicy' AND actor LIKE '%{adminEmail}%' AND after::text LIKE '%10%'"));

        // A session opened before the change follows it: 11 minutes unused ends it, 9 minutes does not.
        using var active = _app.CreateClient();
        var activeEmail = await WebSession.CreateStaffAsync(_app, Roles.RecordsOfficer);
        await WebSession.SignInAsync(active, activeEmail);
        await IdleForAsync(earlyEmail, TimeSpan.FromMinutes(11));
        await IdleForAsync(activeEmail, TimeSpan.FromMinutes(9));

        var ended = await early.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.StartsWith("/account/sign-in", ended.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(0, await database.ScalarAsync($"SELECT count(*) FROM staff_sessions s JOIN \"AspNetUsers\" u ON u.id = s.user_id WHERE u.email = '{earlyEmail}'"));
        Assert.Equal(HttpStatusCode.OK, (await active.GetAsync("/dashboard")).StatusCode);
    }

    private Task<int> IdleForAsync(string email, TimeSpan idle) => database.ScalarAsync(
        $"UPDATE staff_sessions SET last_seen_at = now() - interval '{(int)idle.TotalSeconds} seconds' WHERE user_id = (SELECT id FROM \"AspNetUsers\" WHERE email = '{email}'); SELECT 0");
}
