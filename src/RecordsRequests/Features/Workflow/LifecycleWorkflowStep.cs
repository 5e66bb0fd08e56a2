using RecordsRequests.Features.Workflow.Steps;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>An engine step that hands its node's settings to the step body it constructs.</summary>
public sealed class LifecycleWorkflowStep<TStepBody>(LifecycleNode node) : WorkflowStep<TStepBody>, ILifecycleStepDefinition
    where TStepBody : LifecycleStep
{
    public LifecycleNode Node => node;

    public override IStepBody ConstructBody(IServiceProvider serviceProvider)
    {
        var body = (LifecycleStep)base.ConstructBody(serviceProvider);
        body.Node = node;
        return body;
    }
}
