namespace RecordsRequests.Features.Workflow;

public interface ILifecycleStepDefinition
{
    LifecycleNode Node { get; }
}
