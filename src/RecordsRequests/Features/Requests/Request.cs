using System.Globalization;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Requests;

/// <summary>A public-records request. The row owns its status; every change of it is audited in the same transaction.</summary>
public sealed class Request : IAuditedRequest
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();

    /// <summary>PRR-YYYY-NNNN: year of receipt in the district's time zone and a gapless sequence within that year.</summary>
    public string TrackingNumber { get; private set; } = "";
    public int TrackingYear { get; private set; }
    public int TrackingSequence { get; private set; }

    /// <summary>The instant the request reached the district (UTC). Statutory day counts start from it.</summary>
    public DateTimeOffset ReceivedAt { get; private set; }
    public RequestChannel Channel { get; private set; }
    public CitedLaw CitedLaw { get; private set; }
    public GoverningLaw GoverningLaw { get; private set; }
    public RequestStatus Status { get; private set; }
    public DateTimeOffset StatusChangedAt { get; private set; }
    public string Description { get; private set; } = "";

    public Guid RequesterId { get; private set; }
    public Requester Requester { get; private set; } = null!;

    /// <summary>User id of the records access officer working the request, if one is assigned.</summary>
    public string? AssignedOfficerId { get; private set; }

    /// <summary>PostgreSQL's xmin: a save based on a stale read is rejected instead of overwriting a colleague's change.</summary>
    public uint Version { get; private set; }

    private Request() { }

    public static Request Receive(Requester requester, string description, RequestChannel channel, CitedLaw citedLaw, DateTimeOffset receivedAt)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new DomainException("Describe the records you are asking for.");
        }
        return new Request
        {
            Requester = requester,
            RequesterId = requester.Id,
            Description = description.Trim(),
            Channel = channel,
            CitedLaw = citedLaw,
            GoverningLaw = GoverningLawFor(citedLaw),
            Status = RequestStatus.Received,
            ReceivedAt = receivedAt.ToUniversalTime(),
            StatusChangedAt = receivedAt.ToUniversalTime(),
        };
    }

    /// <summary>
    /// Whatever the requester cites, a Massachusetts district answers under G.L. c.66 §10; a FOIA citation is recorded
    /// but the federal FOIA (5 U.S.C. §552(f)(1)) binds only federal agencies. A citation of 603 CMR 23 suggests a
    /// student-record access request; triage confirms it after an identity check.
    /// </summary>
    public static GoverningLaw GoverningLawFor(CitedLaw citedLaw) => citedLaw switch
    {
        CitedLaw.StudentRecordRegulations => GoverningLaw.StudentRecordAccess,
        CitedLaw.None or CitedLaw.MassachusettsPublicRecordsLaw or CitedLaw.FederalFoia or CitedLaw.Other => GoverningLaw.MassachusettsPublicRecordsLaw,
    };

    internal void AssignTrackingNumber(int year, int sequence)
    {
        if (TrackingSequence != 0)
        {
            throw new InvalidOperationException($"Request {TrackingNumber} already has a tracking number.");
        }
        TrackingYear = year;
        TrackingSequence = sequence;
        TrackingNumber = FormatTrackingNumber(year, sequence);
    }

    public static string FormatTrackingNumber(int year, int sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"PRR-{year:D4}-{sequence:D4}");

    public void MoveTo(RequestStatus next, DateTimeOffset now)
    {
        if (!Status.CanMoveTo(next))
        {
            throw new DomainException($"A request that is {Status} cannot become {next}.");
        }
        Status = next;
        StatusChangedAt = now.ToUniversalTime();
    }

    public void AssignTo(string? officerId) => AssignedOfficerId = officerId;

    /// <summary>
    /// Corrects when the request reached the district: a forwarded e-mail received by someone else first, a letter
    /// opened late. Every clock counts from receipt (950 CMR 32.03(3), 32.06(2)(e)), so the caller recomputes them. The
    /// tracking number keeps the year it was given.
    /// </summary>
    public void CorrectReceipt(DateTimeOffset receivedAt, DateTimeOffset now)
    {
        if (receivedAt > now)
        {
            throw new DomainException("A request cannot have been received in the future.");
        }
        ReceivedAt = receivedAt.ToUniversalTime();
    }

    /// <summary>Triage's finding on which law governs (a 603 CMR 23 access request, or c.66 §10); the cited law stays as written.</summary>
    public void Classify(GoverningLaw governingLaw) => GoverningLaw = governingLaw;
}
