using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Redactions;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>Ids posted from a request's page act on that request only.</summary>
[Collection(Lanes.StaffPages)]
public sealed class ResourceScopeTests(TestDatabase database) : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await database.StartTestAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CounselChangingAGround_WithAnotherRequestsRedactionId_ChangesNothing()
    {
        var shown = await SecuritySeed.ReleasedAsync(_app, "Maya Okafor");
        var other = await SecuritySeed.ReleasedAsync(_app, "Jose Hernandez");
        var otherRedaction = await QueryAsync(db => db.Set<Redaction>().SingleAsync(r => r.RequestId == other.RequestId));
        using var counsel = _app.CreateClient();
        await WebSession.SignInAsync(counsel, await WebSession.CreateStaffAsync(_app, Roles.Counsel));

        var response = await WebSession.PostFormAsync(counsel, $"/counsel/{shown.TrackingNumber}?handler=Change",
            new() { ["redactionId"] = otherRedaction.Id.ToString(), ["exemptionCode"] = ExemptionCatalog.Privacy, ["Comment"] = "cross-request" });

        Assert.Contains("not part of this request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var after = await QueryAsync(db => db.Set<Redaction>().SingleAsync(r => r.Id == otherRedaction.Id));
        Assert.Equal(otherRedaction.ExemptionCode, after.ExemptionCode);
        Assert.Equal(RedactionStatus.Approved, after.Status);
    }

    private async Task<T> QueryAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}
