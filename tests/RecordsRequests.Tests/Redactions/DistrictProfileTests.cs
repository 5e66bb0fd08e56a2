using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Redactions;
using RecordsRequests.Hosting;

namespace RecordsRequests.Tests.Redactions;

/// <summary>The demo district's profile (appsettings.json, section Records) lists its public numbers and addresses, and detection never suggests them.</summary>
public sealed class DistrictProfileTests
{
    [Fact]
    public void DemoDistrictProfile_PublicNumbersAndAddresses_AreNeverSuggested()
    {
        var configuration = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json").Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptions<RecordsOptions>().BindConfiguration(RecordsOptions.SectionName);
        services.AddRedactions();
        using var provider = services.BuildServiceProvider();
        var records = provider.GetRequiredService<IOptions<RecordsOptions>>().Value;
        var redaction = provider.GetRequiredService<IOptions<RedactionOptions>>().Value;

        Assert.Equal("Demo Public Schools", records.DistrictName);
        Assert.Contains("100 Main Street, Westfield, MA 01085", records.PublicContactDetails);
        Assert.Equal(records.PublicContactDetails, redaction.PublicContactDetails);

        var detector = new PiiDetector(null, redaction);
        const string letter = "Questions: call (413) 555-0100, fax 413.555.0101, or the records officer at +1 413 555 0120; "
            + "write to 100 Main St., Westfield. The family can be reached at 413-555-0199.";
        var suggestion = Assert.Single(detector.Detect(letter).Suggestions);
        Assert.Equal("413-555-0199", suggestion.Text);
    }
}
