using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Features.Releases;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Security;

/// <summary>A released request, made through the real workflow: a record, an approved redaction and the requester's link.</summary>
public sealed record ReleasedRequest(Guid RequestId, string TrackingNumber, Guid RecordId, string Token, IReadOnlyList<Guid> FileIds, string SecretText, string StatusToken);

public static class SecuritySeed
{
    public const string Officer = "seed.officer@district.example";
    public const string Counsel = "seed.counsel@district.example";

    /// <summary>
    /// A request with one text record in which <paramref name="secret"/> is redacted (FERPA), approved by counsel and
    /// released; the requester's token is returned as the officer would see it once.
    /// </summary>
    public static async Task<ReleasedRequest> ReleasedAsync(TestApp app, string secret)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var content = $"Incident note.\nThe student {secret} was sent to the office after a discipline incident.\nThe principal met the family.\n";
        var request = await services.GetRequiredService<SubmitRequest>().HandleAsync(
            new SubmitRequest.Input { Email = "requester@example.org", Description = "Incident reports from March" }, RequestChannel.WebForm, CitedLaw.None, default);
        var record = await RecordPagesFixture.AttachAsync(services, request.Id, "incident.txt", Encoding.UTF8.GetBytes(content), Officer);
        var db = services.GetRequiredService<AppDbContext>();

        await Lifecycles.DriveToAsync(app.Services, request.Id, "counsel");
        var workflow = services.GetRequiredService<RedactionReview>();
        var start = record.Text.IndexOf(secret, StringComparison.Ordinal);
        await workflow.AddAsync(record.RecordId, start, start + secret.Length, RedactionCategory.StudentName, ExemptionCatalog.Ferpa, "student", Officer, default);
        await workflow.ApproveAsync(request.Id, Counsel, "", default);
        var release = await services.GetRequiredService<ReleaseProducer>().ReleaseAsync(request.Id, Officer, default);
        var fileIds = await db.Set<ReleaseFile>().Where(f => f.ReleaseId == release.ReleaseId).Select(f => f.Id).ToListAsync();
        var statusToken = services.GetRequiredService<StatusLinks>().Issue(request.Id, "test");
        await db.SaveChangesAsync();
        return new ReleasedRequest(request.Id, request.TrackingNumber, record.RecordId, release.Token, fileIds, secret, statusToken);
    }
}
