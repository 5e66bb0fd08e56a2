namespace RecordsRequests.Features.Intake;

/// <summary>One line of intake output: what became of one message.</summary>
public sealed record IntakeResult(
    IntakeClassification Classification,
    string Reason,
    string? MessageId,
    string? Subject,
    string? From,
    string? TrackingNumber,
    bool Duplicate = false,
    string? SimilarTo = null,
    Guid? InboundId = null);
