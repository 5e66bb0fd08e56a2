namespace RecordsRequests.Features.Records;

public static class RecordsModule
{
    /// <summary>The content-addressed store that keeps every original and every page picture.</summary>
    public static IServiceCollection AddRecordStorage(this IServiceCollection services) => services.AddSingleton<ContentStore>();
}
