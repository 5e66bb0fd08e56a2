using System.Net;
using RecordsRequests.Features.Accounts;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Web;

[Collection(Lanes.StaffPages)]
public class AdminTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Admin_ChecksTheAuditChain_AndSeesItIntact()
    {
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_app, Roles.Admin));

        var response = await WebSession.PostFormAsync(admin, "/admin/audit", []);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Intact: all", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_AddsAStaffMember_WhoCanThenSignIn()
    {
        using var admin = _app.CreateClient();
        await WebSession.SignInAsync(admin, await WebSession.CreateStaffAsync(_app, Roles.Admin));
        var email = $"new-{Guid.NewGuid():N}@district.example";

        var response = await WebSession.PostFormAsync(admin, "/admin/users?handler=Create", new()
        {
            ["displayName"] = "New Officer",
            ["email"] = email,
            ["roles"] = Roles.RecordsOfficer,
            ["password"] = WebSession.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        using var newcomer = _app.CreateClient();
        await WebSession.SignInAsync(newcomer, email);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/dashboard")).StatusCode);
    }

    [Theory]
    [InlineData(Roles.RecordsOfficer)]
    [InlineData(Roles.Counsel)]
    public async Task NonAdmins_AreDeniedTheAdminPages(string role)
    {
        using var client = _app.CreateClient();
        await WebSession.SignInAsync(client, await WebSession.CreateStaffAsync(_app, role));
        foreach (var path in new[] { "/admin", "/admin/audit", "/admin/users", "/hangfire" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            }
        }
    }
}
