using Microsoft.Extensions.Options;
using Npgsql;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow.Engine;
using RecordsRequests.Features.Workflow.Steps;
using RecordsRequests.Hosting.Cli;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

public static class WorkflowModule
{
    /// <summary>The engine on PostgreSQL, the definitions and the lifecycle service. The engine's workers run only where <see cref="AddWorkflowWorker"/> is added.</summary>
    public static IServiceCollection AddWorkflowEngine(this IServiceCollection services)
    {
        services.AddOptions<WorkflowEngineOptions>().BindConfiguration(WorkflowEngineOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Intake.IRequestReplyListener, ClarificationReplies>();
        services.AddWorkflow(engine =>
        {
            engine.UsePersistence(provider => new PostgresPersistenceProvider(provider.GetRequiredService<NpgsqlDataSource>()));
            engine.UseQueueProvider(_ => new WorkQueue());
            engine.UseDistributedLockManager(provider => new PostgresLockProvider(
                provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<ILogger<PostgresLockProvider>>()));
        });
        services.AddSingleton<WorkflowDefinitions>();
        services.AddScoped<RequestLifecycle>();
        services.AddScoped<LifecycleSweep>();
        services.AddScoped<WorkflowAdministration>();
        services.AddCliCommand<WorkflowWorkerCommand>();
        services.AddScoped<IRequestOpenedObserver, StartLifecycleOnOpen>();
        foreach (var step in StepCatalog.All)
        {
            services.AddTransient(step);
        }
        return services;
    }

    public static IServiceCollection AddWorkflowWorker(this IServiceCollection services) => services.AddHostedService<WorkflowWorker>();

    /// <summary>Applies our options to the engine's before it starts (the engine reads them when its pollers start).</summary>
    public static void ApplyEngineOptions(this IServiceProvider provider)
    {
        var ours = provider.GetRequiredService<IOptions<WorkflowEngineOptions>>().Value;
        var engine = provider.GetRequiredService<WorkflowOptions>();
        engine.UsePollInterval(ours.PollInterval);
        engine.UseMaxConcurrentWorkflows(ours.MaxConcurrentWorkflows);
        engine.UseIdleTime(ours.BusyWait);
    }
}
