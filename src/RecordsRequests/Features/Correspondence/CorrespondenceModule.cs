using Microsoft.Extensions.Options;

namespace RecordsRequests.Features.Correspondence;

public static class CorrespondenceModule
{
    public static IServiceCollection AddCorrespondence(this IServiceCollection services)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Outbox>();
        services.AddScoped<OutboxDelivery>();
        services.AddScoped<AcknowledgeRequest>();
        services.AddScoped<LetterTemplates>();
        services.AddScoped<LetterCatalog>();
        services.AddScoped<Letterhead>();
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
