using RecordsRequests.Features.Mail;
using RecordsRequests.Hosting.Cli;
using WorkflowCore.Interface;

namespace RecordsRequests.Features.Workflow;

/// <summary>
/// Runs the workflow engine, the recovery sweep and outbox delivery without the web host: a worker node. Used by the
/// fault test (killed with SIGKILL and restarted) and usable as a second node beside the web app.
/// </summary>
internal sealed class WorkflowWorkerCommand(IServiceProvider provider, IWorkflowHost host, WorkflowDefinitions definitions) : ICliCommand
{
    public static string Name => "workflow worker";
    public static string Summary => "run the workflow engine, lifecycle sweep and outbox delivery until stopped";
    public static string Usage => "ops/records workflow worker";

    public async Task<int> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        new CliArguments(arguments, new HashSet<string>()).RejectUnknown();
        provider.ApplyEngineOptions();
        definitions.EnsureRegistered();
        await host.StartAsync(cancellationToken);
        Console.WriteLine("workflow worker started");
        var lastSweep = DateTime.MinValue;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await using (var scope = provider.CreateAsyncScope())
                {
                    if (DateTime.UtcNow - lastSweep > TimeSpan.FromSeconds(5))
                    {
                        await scope.ServiceProvider.GetRequiredService<LifecycleSweep>().RunAsync(cancellationToken);
                        lastSweep = DateTime.UtcNow;
                    }
                    await scope.ServiceProvider.GetRequiredService<OutboxDelivery>().DeliverDueAsync(50, cancellationToken);
                }
                await Task.Delay(200, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        await host.StopAsync(CancellationToken.None);
        return 0;
    }
}
