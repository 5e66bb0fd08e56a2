using Microsoft.Extensions.Options;
using RecordsRequests.Features.Documents;
using RecordsRequests.Hosting;

namespace RecordsRequests.Features.Redactions;

public static class RedactionsModule
{
    public static IServiceCollection AddRedactions(this IServiceCollection services)
    {
        // The district's public numbers and addresses live in its profile (Records), beside its name; detection reads them here.
        services.AddOptions<RedactionOptions>().BindConfiguration(RedactionOptions.SectionName).ValidateDataAnnotations()
            .Configure<IOptions<RecordsOptions>>((redaction, records) => redaction.PublicContactDetails.AddRange(records.Value.PublicContactDetails))
            // A pattern that does not compile would otherwise surface at the first detection, on an officer's upload.
            .Validate(o => o.StudentIdPatterns.Where(p => !string.IsNullOrWhiteSpace(p)).All(IsRegex),
                "Redaction:StudentIdPatterns holds a pattern that is not a valid regular expression.")
            .ValidateOnStart();
        services.AddScoped<RedactionReview>();
        services.AddScoped<Workflow.IDecisionEvidence, CounselReviewEvidence>();
        services.AddScoped<IRecordPagesContributor, PlaceRedactionsOnNewPages>();
        services.AddScoped<RosterSource>();
        return services;
    }

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(2));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
