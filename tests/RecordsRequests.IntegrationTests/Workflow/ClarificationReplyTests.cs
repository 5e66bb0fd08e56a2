using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Features.Intake;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.IntegrationTests.Infrastructure;
using static RecordsRequests.Features.Workflow.LifecycleEvent;

namespace RecordsRequests.IntegrationTests.Workflow;

[Collection(Lanes.Engine)]
public class ClarificationReplyTests(TestDatabase database) : IAsyncLifetime
{
    /// <summary>Each test starts from the migrated database: what an earlier test left is gone.</summary>
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RequestersEmailReply_ResumesTheWorkflowWaitingForClarification()
    {
        await using var harness = await LifecycleHarness.StartAsync(database);
        var email = $"clarify-{Guid.NewGuid():N}@example.org";
        var request = await harness.SubmitAsync(email);
        await harness.DecideAsync(request.Id, "triage", TriageDecided, "clarify", "Which school years do you mean?");
        await harness.AtAsync(request.Id, "clarification");

        // A stranger who knows the tracking number writes first: held for an officer, the workflow keeps waiting.
        var forged = Reply(email, "records@demo-district.example", request.TrackingNumber, "I withdraw this request.");
        var held = await harness.InScopeAsync(s => s.GetRequiredService<MailIntake>()
            .ReceiveAsync(Encoding.UTF8.GetBytes(forged), IntakeSource.Upload, "test", CancellationToken.None));
        Assert.Equal(IntakeClassification.UnprovenReply, held.Classification);
        await harness.AtAsync(request.Id, "clarification");
        Assert.Equal(RequestStatus.AwaitingClarification, (await harness.RequestAsync(request.Id)).Status);

        // The requester answers our question: the reply goes to the request's reply address our mail gave them.
        var replyTo = await harness.InScopeAsync(async s => (await s.GetRequiredService<ReplyAddresses>().ForRequestAsync(request.Id, CancellationToken.None)).Address);
        var reply = Reply(email, replyTo, request.TrackingNumber, "The 2024-25 and 2025-26 school years, please.");
        var result = await harness.InScopeAsync(s => s.GetRequiredService<MailIntake>()
            .ReceiveAsync(Encoding.UTF8.GetBytes(reply), IntakeSource.Upload, "test", CancellationToken.None));

        Assert.Equal(request.TrackingNumber, result.TrackingNumber);
        await harness.AtAsync(request.Id, "triage");
        Assert.Equal(RequestStatus.InTriage, (await harness.RequestAsync(request.Id)).Status);
    }

    private static string Reply(string from, string to, string trackingNumber, string body) => $"""
            From: Robin Requester <{from}>
            To: {to}
            Subject: Re: [{trackingNumber}] Which school years?
            Message-ID: <{Guid.NewGuid():N}@example.org>
            Date: Mon, 30 Nov 2026 10:00:00 -0500
            Content-Type: text/plain; charset=utf-8

            {body}
            """.Replace("\n", "\r\n", StringComparison.Ordinal);
}
