using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Archive;

public static class ArchiveModule
{
    public static IServiceCollection AddArchive(this IServiceCollection services)
    {
        services.AddOptions<ArchiveOptions>().BindConfiguration(ArchiveOptions.SectionName)
            .Validate(o => o.FrequentWordsAfter >= FrequentWords.ItemsPerWord,
                $"{ArchiveOptions.SectionName}:FrequentWordsAfter must be at least {FrequentWords.ItemsPerWord} items, or no word could be told frequent.")
            .ValidateOnStart();
        services.AddSingleton<ArchiveIndex>();
        services.AddSingleton<ArchiveSearch>();
        services.AddScoped<ArchiveIndexer>();
        services.AddScoped<ArchiveImporter>();
        services.AddScoped<VaultImporter>();
        services.AddScoped<ArchiveImportJob>();
        services.AddScoped<AttachArchiveHits>();
        services.AddScoped<AuditedSearch>();
        services.AddCliCommand<ArchiveImportCommand>();
        services.AddCliCommand<ArchiveSearchCommand>();
        services.AddCliCommand<ArchiveVerifyCommand>();
        services.AddCliCommand<ReindexCommand>();
        return services;
    }
}
