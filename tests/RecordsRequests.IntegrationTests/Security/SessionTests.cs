using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>A demoted member's open session does not keep the old role: it ends at the next cookie check, a minute later at most.</summary>
[Collection(Lanes.OwnHosts)]
public sealed class SessionTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        await database.ResetAsync();
        _app = await TestApp.StartAsync(database);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task DemotedAdmin_LosesAdminPagesAtTheNextCookieCheck()
    {
        var demotedEmail = await WebSession.CreateStaffAsync(_app, Roles.Admin);
        using var demoted = _app.CreateClient();
        await WebSession.SignInAsync(demoted, demotedEmail);
        Assert.Equal(HttpStatusCode.OK, (await demoted.GetAsync("/admin/users")).StatusCode);
        string demotedId;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            demotedId = (await scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>().FindByEmailAsync(demotedEmail))!.Id;
        }
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_app, Roles.Admin));

        var changed = await WebSession.PostFormAsync(admin, "/admin/users?handler=Roles", new() { ["userId"] = demotedId, ["roles"] = Roles.RecordsOfficer });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        // The cookie check runs once its interval has passed; move the validator's clock past it instead of waiting.
        var validator = _app.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(1), validator.ValidationInterval);
        validator.TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(2));
        var afterCheck = await demoted.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.Redirect, afterCheck.StatusCode);
        Assert.StartsWith("/account/sign-in", afterCheck.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        // Signing in again gives the new role only.
        using var again = _app.CreateClient();
        await WebSession.SignInAsync(again, demotedEmail);
        Assert.StartsWith("/account/denied", (await again.GetAsync("/admin/users")).Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/archive")).StatusCode);
    }
}
