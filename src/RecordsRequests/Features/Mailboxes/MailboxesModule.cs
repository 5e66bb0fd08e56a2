using Microsoft.Extensions.DependencyInjection.Extensions;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Mailboxes;

public static class MailboxesModule
{
    public static IServiceCollection AddMailboxes(this IServiceCollection services)
    {
        services.AddOptions<MailboxOptions>().BindConfiguration(MailboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProviderHttp>();
        services.AddSingleton<MailboxSecrets>();
        services.AddSingleton<MailboxTokens>();
        services.AddSingleton<MailboxClients>();
        services.AddSingleton<MailboxIntake>();
        services.AddScoped<MailCollectionJob>();
        services.AddScoped<MailboxConnections>();
        // Outgoing mail goes through a connection marked for it, else through what Mail:* configures.
        var configured = services.LastOrDefault(d => d.ServiceType == typeof(IMailTransport))
            ?? throw new InvalidOperationException("AddMailboxes must come after AddCorrespondence.");
        services.RemoveAll<IMailTransport>();
        services.AddSingleton<IMailTransport>(provider => new ConnectionMailTransport(provider.GetRequiredService<IServiceScopeFactory>(),
            provider.GetRequiredService<MailboxClients>(), (IMailTransport)(configured.ImplementationFactory?.Invoke(provider) ?? configured.ImplementationInstance
                ?? ActivatorUtilities.CreateInstance(provider, configured.ImplementationType!))));
        return services;
    }

    /// <summary>Only the web host polls the records inboxes.</summary>
    public static IServiceCollection AddMailboxIntake(this IServiceCollection services) => services.AddHostedService<MailboxIntakeService>();
}
