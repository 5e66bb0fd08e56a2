using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// What officers record that moves a request's clocks: the date the written response went out, a Supervisor extension,
/// a date the requester agreed to. One row per request, audited, so every moved date has its evidence.
/// </summary>
public sealed class RequestClockInput : IAudited
{
    public Guid RequestId { get; private set; }
    public DateOnly? WrittenResponseOn { get; private set; }
    public int? ExtensionBusinessDays { get; private set; }
    public DateOnly? ExtensionGrantedOn { get; private set; }
    public DateOnly? ExtensionOrderedDate { get; private set; }
    public string? ExtensionReference { get; private set; }
    public DateOnly? AgreedDate { get; private set; }
    public string? AgreedNote { get; private set; }

    private RequestClockInput() { }

    public static RequestClockInput For(Guid requestId) => new() { RequestId = requestId };

    public ClockInputs ToInputs() => new(
        WrittenResponseOn,
        ExtensionBusinessDays is { } days && ExtensionGrantedOn is { } granted ? new SupervisorExtension(days, granted, ExtensionOrderedDate, ExtensionReference) : null,
        AgreedDate,
        AgreedNote);

    public void RecordWrittenResponse(DateOnly? sentOn) => WrittenResponseOn = sentOn;

    /// <summary>The Supervisor may grant up to 30 (municipal) or 20 (agency) business days (c.66 §10(c)); a longer
    /// grant "depending on the circumstances" is recorded through the date the order names.</summary>
    public void RecordExtension(int businessDays, DateOnly grantedOn, DateOnly? orderedDate, string? reference, StatutoryRegime regime)
    {
        if (regime.MaxSupervisorExtensionDays == 0)
        {
            throw new DomainException($"The {regime.Name} regime has no Supervisor extension.");
        }
        if (businessDays < 1 || businessDays > regime.MaxSupervisorExtensionDays)
        {
            throw new DomainException($"An extension under the {regime.Name} regime is 1 to {regime.MaxSupervisorExtensionDays} business days; for a longer order enter the date it names.");
        }
        ExtensionBusinessDays = businessDays;
        ExtensionGrantedOn = grantedOn;
        ExtensionOrderedDate = orderedDate;
        ExtensionReference = string.IsNullOrWhiteSpace(reference) ? null : reference.Trim();
    }

    public void ClearExtension()
    {
        ExtensionBusinessDays = null;
        ExtensionGrantedOn = null;
        ExtensionOrderedDate = null;
        ExtensionReference = null;
    }

    public void RecordAgreement(DateOnly? agreedDate, string? note)
    {
        AgreedDate = agreedDate;
        AgreedNote = agreedDate is null || string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }
}
