namespace RecordsRequests.Features.Workflow;

/// <summary>The human steps a dashboard action can complete; each is one event a workflow waits for.</summary>
public enum LifecycleEvent
{
    TriageDecided,
    IdentityChecked,
    ClarificationReceived,
    CollectionCompleted,
    PetitionDecided,
    ReviewCompleted,
    CounselDecided,
    FeeDecided,
    PaymentResolved,
    ResponseChosen,
    AppealWindowResolved,
    SupervisorOrdered,
}
