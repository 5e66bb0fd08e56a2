using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Deadlines;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Status;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Correspondence;

/// <summary>
/// Sends the automatic acknowledgement: tracking number, governing law and the computed dates. Called by the
/// lifecycle's first step only (intake and the form open the request, whose lifecycle then acknowledges it). Safe to
/// call more than once, also concurrently: the outbox's idempotency key lets only one acknowledgement per request exist.
/// </summary>
public sealed class AcknowledgeRequest(AppDbContext db, Outbox outbox, IStatutoryDateSource dates, DistrictTime time, StatusLinks statusLinks,
    AddressConfirmations confirmations, LetterTemplates letters)
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
        var statusUrl = statusLinks.AbsoluteUrl(statusLinks.Issue(request.Id, "acknowledgement"));
        var confirmUrl = confirmations.Issue(request.Id, request.Requester.Email);
        var letter = await letters.DraftAsync(LetterKind.Acknowledgement, request, cancellationToken, inputs: new Dictionary<string, string?>
        {
            // The address-confirmation request follows the law and the dates.
            ["law_and_dates"] = $"{LawAndDates(request, clocks).TrimEnd()}\n\n{AddressConfirmations.Explain(confirmUrl, request.Requester.Email)}",
            ["status_link"] = statusUrl,
        });
        outbox.Queue(request.Id, MailKind.Acknowledgement, request.Requester.Email, request.Requester.Name, letter.Subject, letter.Body, idempotencyKey: key,
            inReplyTo: await outbox.ReplyTargetAsync(request.Id, cancellationToken));
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

    /// <summary>The law the request is processed under and the dates it sets, worded for that law (the template's <c>{{law_and_dates}}</c>).</summary>
    internal static string LawAndDates(Request request, StatutoryDates clocks)
    {
        var culture = CultureInfo.GetCultureInfo("en-US");
        string Day(DateOnly date) => LetterTemplates.Day(date);
        var text = new StringBuilder();
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
                break;
            case GoverningLaw.StudentRecordAccess:
                text.AppendLine("Your request is being handled as a request to inspect a student record under 603 CMR 23.07. Before any record is released the district will verify that you are the student's parent or the eligible student.");
                text.AppendLine();
                text.AppendLine(culture, $"The record will be made available as soon as practicable and by {Day(clocks.ResponseDue.Date)} (603 CMR 23.07(2)).");
                break;
        }
        return text.ToString();
    }
}
