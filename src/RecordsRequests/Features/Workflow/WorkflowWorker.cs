using Microsoft.Extensions.Options;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Workflow;

/// <summary>Runs the engine inside the web host, and the recovery sweep on an interval.</summary>
internal sealed class WorkflowWorker(IServiceProvider provider, IWorkflowHost host, WorkflowDefinitions definitions,
    IOptions<WorkflowEngineOptions> options, ILogger<WorkflowWorker> log) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        provider.ApplyEngineOptions();
        definitions.EnsureRegistered();
        await host.StartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await using var scope = provider.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<LifecycleSweep>().RunAsync(stoppingToken);
                if (result.Started + result.Terminated > 0)
                {
                    log.LogInformation("Lifecycle sweep started {Started} and terminated {Terminated} workflows", result.Started, result.Terminated);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Lifecycle sweep failed; retrying on the next tick");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await host.StopAsync(cancellationToken);
    }
}
