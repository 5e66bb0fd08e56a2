namespace RecordsRequests.Features.Intake;

/// <summary>What intake decided about one message.</summary>
public sealed record IntakeDecision(IntakeClassification Classification, string Reason, ThreadMatch? Thread = null, RequestDraft? Draft = null);
