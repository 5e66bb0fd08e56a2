using System.Text.Json;
using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Deadlines;

/// <summary>A fee estimate given to a requester, with its inputs and itemised lines, kept as evidence (audited).</summary>
public sealed class FeeEstimate : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid RequestId { get; private set; }
    public DateTimeOffset EstimatedAt { get; private set; }
    public int PaperPages { get; private set; }
    public decimal StorageMediaCost { get; private set; }
    public decimal SearchHours { get; private set; }
    public decimal RedactionHours { get; private set; }
    public RedactionBasis RedactionBasis { get; private set; }
    public FeeWaiverReason? WaiverReason { get; private set; }
    public string? WaiverExplanation { get; private set; }
    public bool ResponseWasLate { get; private set; }
    public decimal Subtotal { get; private set; }
    public decimal Reduction { get; private set; }
    public decimal Total { get; private set; }

    /// <summary>The itemised lines and notes exactly as the requester was told them.</summary>
    public string ItemisedJson { get; private set; } = "";

    private FeeEstimate() { }

    public static FeeEstimate Record(Guid requestId, FeeInput input, bool responseWasLate, FeeEstimateResult result, DateTimeOffset now) => new()
    {
        RequestId = requestId,
        EstimatedAt = now.ToUniversalTime(),
        PaperPages = input.PaperPages,
        StorageMediaCost = input.StorageMediaCost,
        SearchHours = input.SearchHours,
        RedactionHours = input.RedactionHours,
        RedactionBasis = input.RedactionBasis,
        WaiverReason = input.Waiver?.Reason,
        WaiverExplanation = input.Waiver?.Explanation,
        ResponseWasLate = responseWasLate,
        Subtotal = result.Subtotal,
        Reduction = result.Reduction,
        Total = result.Total,
        ItemisedJson = JsonSerializer.Serialize(new { result.Lines, result.Notes }, JsonSerializerOptions.Web),
    };
}
