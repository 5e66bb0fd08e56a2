namespace RecordsRequests.Features.Documents;

public static class DocumentsModule
{
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName);
        services.AddSingleton<ExternalTools>();
        services.AddSingleton<DocumentConverter>();
        services.AddSingleton<PageReader>();
        services.AddScoped<RecordPages>();
        return services;
    }

    /// <summary>The sweep that re-queues records whose conversion was lost (web host only, like every recurring job).</summary>
    public static void ScheduleRecordPagesSweep(this WebApplication app) => RecordPages.Schedule(app.Services);
}
