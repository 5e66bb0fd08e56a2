using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Messages;
using RecordsRequests.Features.Requests;
using RecordsRequests.Hosting;

namespace RecordsRequests.TestSupport;

/// <summary>
/// Adds many plausible requests, for load benchmarks of the dashboard: same entities, tracking numbers and audit
/// trail as real submissions, written in batches so that 50,000 take seconds rather than an hour. Deterministic for a
/// given count, so two benchmark runs see the same data. Each request has what a request page usually shows: the
/// requester's message (the e-mail, or the form's text) and the acknowledgement sent back, with their audit events.
/// </summary>
public sealed class SyntheticRequests(IServiceScopeFactory scopes, DistrictTime time)
{
    private const int BatchSize = 1000;

    private static readonly string[] Subjects =
    [
        "bus contract correspondence", "school committee minutes", "budget drafts", "anti-bullying incident counts",
        "food-service vendor contracts", "superintendent's calendar", "enrollment by grade", "special education spending",
        "building renovation invoices", "athletics travel expenses", "curriculum adoption e-mails", "snow day decisions",
    ];

    // None stays "received": the lifecycle sweep would start a workflow (and an acknowledgement) for such a request.
    private static readonly RequestStatus[][] Paths =
    [
        [RequestStatus.Acknowledged],
        [RequestStatus.Acknowledged, RequestStatus.InTriage],
        [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting],
        [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.InReview, RequestStatus.AwaitingCounsel],
        [RequestStatus.Acknowledged, RequestStatus.InTriage, RequestStatus.Collecting, RequestStatus.Responded, RequestStatus.Closed],
    ];

    public async Task AddAsync(int count, CancellationToken cancellationToken)
    {
        var random = new Random(count);
        var started = Stopwatch.StartNew();
        for (var first = 0; first < count; first += BatchSize)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var batch = new List<Request>();
            for (var i = first; i < Math.Min(count, first + BatchSize); i++)
            {
                var receivedAt = time.Now.AddDays(-random.Next(0, 120)).AddMinutes(-random.Next(0, 600));
                var requester = Requester.Create(i % 3 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"Requester {i}"),
                    string.Create(CultureInfo.InvariantCulture, $"requester{i}@example.org"), null);
                var request = Request.Receive(requester,
                    string.Create(CultureInfo.InvariantCulture, $"All records about {Subjects[random.Next(Subjects.Length)]}, request {i}."),
                    i % 4 == 0 ? RequestChannel.WebForm : RequestChannel.Email, CitedLaw.None, receivedAt);
                foreach (var status in Paths[random.Next(Paths.Length)])
                {
                    request.MoveTo(status, receivedAt.AddHours(1));
                }
                batch.Add(request);
            }
            foreach (var year in batch.GroupBy(r => time.DateOf(r.ReceivedAt).Year))
            {
                var sequence = await TrackingNumbers.ReserveAsync(db, year.Key, year.Count(), cancellationToken);
                foreach (var request in year.OrderBy(r => r.ReceivedAt))
                {
                    request.AssignTrackingNumber(year.Key, sequence++);
                }
            }
            db.Requests.AddRange(batch);
            foreach (var request in batch)
            {
                db.Messages.AddRange(RequesterMessage(request, random), Acknowledgement(request));
            }
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {first + batch.Count:N0} of {count:N0} requests ({(first + batch.Count) / started.Elapsed.TotalSeconds:N0}/s)"));
        }
        // Batches bypass the submission handler, so compute every clock once at the end, as the daily sweep would.
        await using var clocksScope = scopes.CreateAsyncScope();
        await clocksScope.ServiceProvider.GetRequiredService<RequestClockUpdater>().RecomputeInFlightAsync(cancellationToken);
    }

    private static Message RequesterMessage(Request request, Random random)
    {
        var requester = request.Requester;
        var body = string.Create(CultureInfo.InvariantCulture, $"""
            Dear records access officer,

            Under the Massachusetts Public Records Law, G.L. c.66 §10, I request {request.Description.ToLowerInvariant()}
            I ask for electronic copies where they exist. If any part is withheld, please cite the exemption that applies
            and release the rest. If fees will exceed $25, please tell me first.

            {string.Join(" ", Enumerable.Range(0, 6).Select(_ => Subjects[random.Next(Subjects.Length)]))}.

            Thank you,
            {requester.DisplayName}
            """);
        var subject = "Public records request";
        return Message.Record(request.Id, MessageDirection.Inbound, request.Channel, subject, requester.Email, "records@demo.example",
            body, Raw(subject, body), null, request.ReceivedAt);
    }

    private static Message Acknowledgement(Request request)
    {
        var requester = request.Requester;
        var at = request.ReceivedAt.AddHours(1);
        var subject = $"Your public records request {request.TrackingNumber}";
        var body = $"""
            We received your request on {at:MMMM d, yyyy} and are processing it under the Massachusetts Public Records Law,
            G.L. c.66 §10. We will respond in writing within 10 business days. You can follow its progress at the status link
            we sent with this message.
            """;
        return Message.Record(request.Id, MessageDirection.Outbound, RequestChannel.Email, subject, "records@demo.example", requester.Email,
            body, Raw(subject, body), null, at);
    }

    /// <summary>A minimal stored original: the subject header and the text.</summary>
    private static byte[] Raw(string subject, string body) => System.Text.Encoding.UTF8.GetBytes($"Subject: {subject}\r\n\r\n{body}");
}
