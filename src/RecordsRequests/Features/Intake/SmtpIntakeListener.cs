using System.Buffers;
using System.Net;
using Microsoft.Extensions.Options;
using RecordsRequests.Hosting;
using SmtpServer;
using SmtpServer.Net;
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
        // SPF is checked against the HELO name too (RFC 7208 §2.3); the library does not keep it, so the session does.
        server.SessionCreated += (_, created) => created.Context.CommandExecuting += (_, executing) =>
        {
            var helo = executing.Command switch
            {
                EhloCommand ehlo => ehlo.DomainOrAddress,
                HeloCommand plain => plain.DomainOrAddress,
                _ => null,
            };
            if (helo is not null)
            {
                executing.Context.Properties[HeloKey] = helo;
            }
        };
        log.LogInformation("SMTP intake listening on {Address}:{Port}", settings.Address, settings.Port);
        await server.StartAsync(stoppingToken);
    }

    private const string HeloKey = "RecordsRequests:Helo";

    private sealed class IntakeMessageStore(IServiceScopeFactory scopes, ILogger log) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            var peerAddress = context.Properties.TryGetValue(EndpointListener.RemoteEndPointKey, out var connected) && connected is IPEndPoint peerEndpoint
                ? peerEndpoint.Address : null;
            var client = peerAddress?.ToString() ?? "unknown";
            await using var limitScope = scopes.CreateAsyncScope();
            if (!limitScope.ServiceProvider.GetRequiredService<SmtpLimiter>().TryAccept(client))
            {
                // 451 is temporary: the sending server keeps the message and tries again later; nothing is lost.
                await limitScope.ServiceProvider.GetRequiredService<AbuseLog>().RecordAsync(AbuseChannel.Smtp, "deferred", client);
                return new SmtpResponse((SmtpReplyCode)451, "4.7.1 Too many messages from your address; try again later");
            }
            var raw = buffer.ToArray();
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                if (scope.ServiceProvider.GetService<ICurrentActor>() is HttpOrSystemActor actor)
                {
                    actor.SystemName = "intake:smtp";
                }
                var peer = peerAddress;
                var mailFrom = transaction.From is { User.Length: > 0 } from ? $"{from.User}@{from.Host}" : null;
                var envelope = new IntakeEnvelope(peer, context.Properties.TryGetValue(HeloKey, out var helo) ? helo as string : null, mailFrom,
                    transaction.To.Select(to => $"{to.User}@{to.Host}").ToList());
                var reference = $"MAIL FROM:<{mailFrom}> from {peer}";
                await scope.ServiceProvider.GetRequiredService<MailIntake>().ReceiveAsync(raw, IntakeSource.Smtp, reference, cancellationToken, envelope);
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
