using Microsoft.Extensions.Options;
using RecordsRequests.Features.Releases;
using RecordsRequests.Hosting;
using RecordsRequests.Hosting.Cli;

namespace RecordsRequests.Features.Redactions;

public static class RedactionsModule
{
    public static IServiceCollection AddRedactions(this IServiceCollection services)
    {
        // The district's public numbers and addresses live in its profile (Records), beside its name; detection reads them here.
        services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.SectionName).ValidateDataAnnotations()
            .Configure<IOptions<RecordsOptions>>((redaction, records) => redaction.PublicContactDetails.AddRange(records.Value.PublicContactDetails));
        services.AddScoped<RedactionWorkflow>();
        services.AddScoped<Workflow.IDecisionEvidence, CounselReviewEvidence>();
        services.AddScoped<ReleaseProducer>();
        services.AddCliCommand<CheckPdfCommand>();
        services.AddCliCommand<RedactCommand>();
        services.AddCliCommand<VerifyReleaseCommand>();
        services.AddCliCommand<RedactionBenchCommand>();
        return services;
    }
}
