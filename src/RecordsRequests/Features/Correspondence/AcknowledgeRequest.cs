using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// Sends the automatic acknowledgement: tracking number, governing law and the computed dates. Called by the
/// lifecycle's first step only (intake and the form open the request, whose lifecycle then acknowledges it). Safe to
/// call more than once, also concurrently: the outbox's idempotency key lets only one acknowledgement per request exist.
/// </summary>
public sealed class AcknowledgeRequest(AppDbContext db, Outbox outbox, IStatutoryDates dates, DistrictTime time, IOptions<RecordsOptions> records,
    StatusLinks statusLinks, AddressConfirmations confirmations)
{
    public enum Outcome
    {
        Sent,
        AlreadyAcknowledged,
        /// <summary>The requester gave only a postal address: an officer must mail the letter.</summary>
        NeedsPostalLetter,
    }

    public async Task<Outcome> HandleAsync(Guid requestId, CancellationToken cancellationToken)
    {
        var request = await db.Requests.Include(r => r.Requester).SingleAsync(r => r.Id == requestId, cancellationToken);
        var key = $"acknowledgement:{request.Id}";
        if (await db.Set<OutboundEmail>().AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            return Outcome.AlreadyAcknowledged;
        }
        if (request.Requester.Email is null)
        {
            return Outcome.NeedsPostalLetter;
        }
        var clocks = await dates.ForAsync(request, cancellationToken);
        // The link is saved with the e-mail that carries it: a rolled-back acknowledgement leaves no orphan link.
        var statusUrl = statusLinks.AbsoluteUrl(statusLinks.Stage(request.Id, "acknowledgement"));
        var confirmUrl = confirmations.Stage(request.Id, request.Requester.Email);
        outbox.Queue(request.Id, MailKind.Acknowledgement, request.Requester.Email, request.Requester.Name,
            $"[{request.TrackingNumber}] We received your records request", Compose(request, clocks, statusUrl, confirmUrl), idempotencyKey: key);
        if (request.Status == RequestStatus.Received)
        {
            request.MoveTo(RequestStatus.Acknowledged, time.Now);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: var constraint }
                                          && constraint?.Contains("idempotency", StringComparison.OrdinalIgnoreCase) == true)
        {
            // Another caller committed this request's acknowledgement between our check and our insert (the unique
            // key on the outbox made sure only one exists). Its commit moved the status too; ours is dropped whole.
            db.ChangeTracker.Clear();
            return Outcome.AlreadyAcknowledged;
        }
        return Outcome.Sent;
    }

    internal string Compose(Request request, StatutoryClocks clocks, string statusUrl, string? confirmUrl = null)
    {
        var culture = CultureInfo.GetCultureInfo("en-US");
        string Day(DateOnly date) => date.ToString("dddd, MMMM d, yyyy", culture);
        var text = new StringBuilder();
        text.AppendLine(culture, $"Dear {Greeting.NameFor(request.Requester.Name)},");
        text.AppendLine();
        text.AppendLine(culture, $"{records.Value.DistrictName} received your request on {Day(clocks.ReceivedOn)}. Its tracking number is {request.TrackingNumber}. To write to us about it, reply to this e-mail: replies to it reach your request directly, while other messages are first checked by an officer.");
        text.AppendLine();
        switch (request.GoverningLaw)
        {
            case GoverningLaw.MassachusettsPublicRecordsLaw:
                text.AppendLine("Your request is being processed under the Massachusetts Public Records Law, G.L. c.66 §10, and 950 CMR 32.00.");
                if (request.CitedLaw == CitedLaw.FederalFoia)
                {
                    // legal.md 4.5: FOIA binds only federal agencies; say so briefly and process under c.66.
                    text.AppendLine("You cited the federal Freedom of Information Act. That Act (5 U.S.C. §552) applies only to federal agencies, so the district is handling your request under the Massachusetts Public Records Law, which gives you the same or shorter deadlines.");
                }
                text.AppendLine();
                text.AppendLine("Key dates:");
                text.AppendLine(culture, $"- Counting starts from: {Day(clocks.DeemedReceived.Date)}");
                text.AppendLine(culture, $"- Written response due by: {Day(clocks.ResponseDue.Date)} (10 business days)");
                text.AppendLine(culture, $"- Latest production date without your agreement or an extension: {Day(clocks.ProductionDue.Date)}");
                text.AppendLine();
                text.AppendLine("If you disagree with the district's response, you may appeal to the Supervisor of Records within 90 calendar days (G.L. c.66 §10A; 950 CMR 32.08).");
                break;
            case GoverningLaw.StudentRecordAccess:
                text.AppendLine("Your request is being handled as a request to inspect a student record under 603 CMR 23.07. Before any record is released the district will verify that you are the student's parent or the eligible student.");
                text.AppendLine();
                text.AppendLine(culture, $"The record will be made available as soon as practicable and by {Day(clocks.ResponseDue.Date)} (603 CMR 23.07(2)).");
                break;
        }
        text.AppendLine();
        text.AppendLine("Follow your request, read our messages and download released records here:");
        text.AppendLine(statusUrl);
        text.AppendLine("Keep this link private: anyone who has it can see your request.");
        text.AppendLine();
        if (confirmUrl is not null && request.Requester.Email is { } email)
        {
            text.AppendLine(AddressConfirmations.Explain(confirmUrl, email));
            text.AppendLine();
        }
        text.AppendLine("Records Access Officer");
        text.AppendLine(records.Value.DistrictName);
        return text.ToString();
    }
}
