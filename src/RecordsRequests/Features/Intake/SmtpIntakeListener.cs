using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace RecordsRequests.Features.Intake;

/// <summary>
/// An SMTP listener a district can point mail forwarding or an MX record at. The accepted bytes go straight to
/// raw-first intake; the sender gets 250 only once they are stored, and a temporary 451 otherwise, so a sending
/// server keeps the message and retries instead of it being lost.
/// </summary>
public sealed class SmtpIntakeListener(IServiceScopeFactory scopes, IOptions<IntakeOptions> options, ILogger<SmtpIntakeListener> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Smtp;
        var serverOptions = new SmtpServerOptionsBuilder()
            .ServerName(settings.ServerName)
            .Endpoint(endpoint => endpoint.Endpoint(new IPEndPoint(IPAddress.Parse(settings.Address), settings.Port)))
            .MaxMessageSize((int)Math.Min(int.MaxValue, options.Value.MaxMessageBytes), MaxMessageSizeHandling.Strict)
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new IntakeMessageStore(scopes, log));
        var server = new SmtpServer.SmtpServer(serverOptions, services);
        log.LogInformation("SMTP intake listening on {Address}:{Port}", settings.Address, settings.Port);
        await server.StartAsync(stoppingToken);
    }

    private sealed class IntakeMessageStore(IServiceScopeFactory scopes, ILogger log) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            var raw = buffer.ToArray();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
                {
                    actor.SystemName = "intake:smtp";
                }
                var envelope = $"MAIL FROM:<{transaction.From?.User}@{transaction.From?.Host}> from {context.EndpointDefinition.Endpoint}";
                await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.Smtp, envelope, cancellationToken);
                return SmtpResponse.Ok;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "SMTP intake could not store a message of {Bytes} bytes", raw.Length);
                return new SmtpResponse(SmtpReplyCode.Error, "Requested action aborted: try again later");
            }
        }
    }
}
