using RecordsRequests.Features.Audit;

namespace RecordsRequests.Features.Deadlines;

/// <summary>
/// A regime's day counts as the district uses them: seeded from <see cref="StatutoryRegime.BuiltIn"/> and editable by an
/// admin, so a count counsel reads differently is corrected without a release. Every change is audited.
/// </summary>
public sealed class RegimeSetting : IAudited
{
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public DayCount Unit { get; private set; }
    public int ResponseDays { get; private set; }
    public int PetitionDays { get; private set; }
    public int ProductionDays { get; private set; }
    public int MaxSupervisorExtensionDays { get; private set; }
    public string Citation { get; private set; } = "";

    private RegimeSetting() { }

    public static RegimeSetting From(StatutoryRegime regime) => new()
    {
        Name = regime.Name,
        Description = regime.Description,
        Unit = regime.Unit,
        ResponseDays = regime.ResponseDays,
        PetitionDays = regime.PetitionDays,
        ProductionDays = regime.ProductionDays,
        MaxSupervisorExtensionDays = regime.MaxSupervisorExtensionDays,
        Citation = regime.Citation,
    };

    public StatutoryRegime ToRegime() =>
        new(Name, Description, Unit, ResponseDays, PetitionDays, ProductionDays, MaxSupervisorExtensionDays, Citation);

    public void Change(DayCount unit, int responseDays, int petitionDays, int productionDays, int maxSupervisorExtensionDays, string citation)
    {
        if (responseDays < 1 || petitionDays < 1 || productionDays < 1 || maxSupervisorExtensionDays < 0)
        {
            throw new DomainException("Day counts must be positive (the extension may be 0 when none applies).");
        }
        if (productionDays < responseDays)
        {
            throw new DomainException("The production limit cannot come before the written-response deadline.");
        }
        if (string.IsNullOrWhiteSpace(citation))
        {
            throw new DomainException("Cite the rule these counts come from; every date quotes it.");
        }
        Unit = unit;
        ResponseDays = responseDays;
        PetitionDays = petitionDays;
        ProductionDays = productionDays;
        MaxSupervisorExtensionDays = maxSupervisorExtensionDays;
        Citation = citation.Trim();
    }
}
