namespace RecordsRequests.Features.Correspondence;

public static class CorrespondenceModule
{
    public static IServiceCollection AddCorrespondence(this IServiceCollection services)
    {
        services.AddScoped<AcknowledgeRequest>();
        services.AddScoped<LetterTemplates>();
        services.AddScoped<LetterCatalog>();
        services.AddScoped<Letterhead>();
        return services;
    }
}
