using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using static RecordsRequests.Features.Workflow.LifecycleEvent;

namespace RecordsRequests.IntegrationTests.Workflow;

[Collection(DatabaseCollection.Name)]
public class ClarificationReplyTests(TestDatabase database)
{
    [Fact]
    public async Task RequestersEmailReply_ResumesTheWorkflowWaitingForClarification()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var email = $"clarify-{Guid.NewGuid():N}@example.org";
        var request = await harness.SubmitAsync(email);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "clarify", "Which school years do you mean?");
        await harness.AtAsync(request.Id, "clarification");

        var reply = $"""
            From: Robin Requester <{email}>
            To: records@demo-district.example
            Subject: Re: [{request.TrackingNumber}] Which school years?
            Message-ID: <{Guid.NewGuid():N}@example.org>
            Date: Mon, 30 Nov 2026 10:00:00 -0500
            Content-Type: text/plain; charset=utf-8

            The 2024-25 and 2025-26 school years, please.
            """.Replace("\n", "\r\n", StringComparison.Ordinal);
        var result = await harness.InScopeAsync(s => s.GetRequiredService<MailIntake>()
            .ReceiveAsync(Encoding.UTF8.GetBytes(reply), IntakeSource.Upload, "test", CancellationToken.None));

        Assert.Equal(request.TrackingNumber, result.TrackingNumber);
        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(RequestStatus.InTriage, (await harness.RequestAsync(request.Id)).Status);
    }
}
