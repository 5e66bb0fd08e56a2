using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Mail;

public static class MailModule
{
    public static IServiceCollection AddMail(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Outbox>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<ReplyAddresses>();
        services.AddSingleton<PickupFolderTransport>();
        services.AddSingleton<SmtpRelayTransport>();
        services.AddSingleton<IMailTransport>(provider => string.IsNullOrWhiteSpace(provider.GetRequiredService<IOptions<MailOptions>>().Value.SmtpHost)
            ? provider.GetRequiredService<PickupFolderTransport>()
            : provider.GetRequiredService<SmtpRelayTransport>());
        return services;
    }

    /// <summary>Only the web host delivers; CLI commands queue and leave delivery to it.</summary>
    public static IServiceCollection AddOutboxDispatcher(this IServiceCollection services) => services.AddHostedService<OutboxDispatcher>();
}
