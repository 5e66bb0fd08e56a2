using Microsoft.Extensions.Options;
using RecordsRequests.Features.Mail;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Intake;

public static class IntakeModule
{
    public static IServiceCollection AddIntake(this IServiceCollection services)
    {
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SenderAuthenticator>();
        services.AddSingleton<SpamAssassinClient>();
        services.AddSingleton(provider => new MailAnalyzer(provider.GetRequiredService<IOptions<IntakeOptions>>(),
            provider.GetRequiredService<IOptions<MailOptions>>(), provider.GetRequiredService<SenderAuthenticator>(),
            provider.GetRequiredService<SpamAssassinClient>()));
        services.AddScoped<DatabaseThreadLookup>();
        services.AddScoped<MailIntake>();
        services.AddScoped<Deadlines.IReceiptEvidence, ForwardedReceipt>();
        services.AddCliCommand<IntakeCommand>();
        return services;
    }

    /// <summary>The channels that run inside the web host, each on only when its options say so.</summary>
    public static IServiceCollection AddIntakeChannels(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(IntakeOptions.SectionName).Get<IntakeOptions>() ?? new IntakeOptions();
        if (settings.Smtp.Enabled)
        {
            services.AddHostedService<SmtpIntakeListener>();
        }
        if (settings.DropFolder.Enabled)
        {
            services.AddHostedService<DropFolderWatcher>();
        }
        if (settings.Imap.Enabled)
        {
            services.AddHostedService<ImapIntakePoller>();
        }
        return services;
    }
}
