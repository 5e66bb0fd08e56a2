using Microsoft.EntityFrameworkCore;
using Npgsql;
using RecordsRequests.Data;
using RecordsRequests.Features.Correspondence;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Requests;
using RecordsRequests.Features.Workflow.Steps;
using RecordsRequests.Hosting;
using WorkflowCore.Interface;
using WorkflowCore.Models;

namespace RecordsRequests.Features.Workflow;

/// <summary>Starts a request's lifecycle as soon as the request commits.</summary>
internal sealed class StartLifecycleOnOpen(RequestLifecycle lifecycle) : IRequestOpenedObserver
{
    public Task OnOpenedAsync(Guid requestId, CancellationToken cancellationToken) => lifecycle.StartAsync(requestId, cancellationToken);
}
