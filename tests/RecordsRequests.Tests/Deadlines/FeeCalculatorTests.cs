using System.ComponentModel.DataAnnotations;
using RecordsRequests.Features.Deadlines;

namespace RecordsRequests.Tests.Deadlines;

/// <summary>legal.md 1.5: G.L. c.66 §10(d); 950 CMR 32.06(2)(c), 32.07(2).</summary>
public class FeeCalculatorTests
{
    public static TheoryData<string, string, FeeInput, bool, decimal> Cases => new()
    {
        // description, regime, input, municipality of 20,000 or fewer, expected total
        { "100 paper pages at 5 cents", "municipal", new FeeInput(PaperPages: 100), false, 5.00m },
        { "electronic records: no copy fee, only media", "municipal", new FeeInput(StorageMediaCost: 2.50m), false, 2.50m },
        { "municipal: first 2 hours free", "municipal", new FeeInput(SearchHours: 2m), false, 0m },
        { "municipal: third hour at $25", "municipal", new FeeInput(SearchHours: 3m), false, 25.00m },
        { "small municipality charges from the first hour", "municipal", new FeeInput(SearchHours: 3m), true, 75.00m },
        { "agency: first 4 hours free", "agency", new FeeInput(SearchHours: 4m), false, 0m },
        { "agency: 6 hours, 2 charged", "agency", new FeeInput(SearchHours: 6m), false, 50.00m },
        { "population rule does not touch an agency", "agency", new FeeInput(SearchHours: 6m), true, 50.00m },
        { "discretionary redaction time is not charged", "municipal", new FeeInput(SearchHours: 1m, RedactionHours: 4m, RedactionBasis: RedactionBasis.Discretionary), false, 0m },
        { "redaction required by law (clause (a)) is charged", "municipal", new FeeInput(SearchHours: 1m, RedactionHours: 4m, RedactionBasis: RedactionBasis.RequiredByLaw), false, 75.00m },
        { "redaction approved by the Supervisor is charged", "municipal", new FeeInput(RedactionHours: 3m, RedactionBasis: RedactionBasis.ApprovedBySupervisor), false, 25.00m },
        { "pages and time together", "municipal", new FeeInput(PaperPages: 250, SearchHours: 2.5m), false, 25.00m },
        { "full waiver in the public interest", "municipal", new FeeInput(PaperPages: 100, SearchHours: 3m, Waiver: new FeeWaiver(FeeWaiverReason.PublicInterest, "news reporting on bus safety")), false, 0m },
        { "reduction for inability to pay", "municipal", new FeeInput(SearchHours: 4m, Waiver: new FeeWaiver(FeeWaiverReason.InabilityToPay, "receives SNAP", 20m)), false, 30.00m },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Estimate_FollowsTheStatutoryRules(string description, string regime, FeeInput input, bool small, decimal total)
    {
        var result = FeeCalculator.Estimate(input, Regime(regime), new FeeOptions { MunicipalityOf20000OrFewer = small }, responseWasLate: false);
        Assert.True(total == result.Total, $"{description}: expected {total}, got {result.Total}");
        Assert.Equal(result.Subtotal - result.Reduction, result.Total);
    }

    [Fact]
    public void LateDay10Response_MeansNoFeeAtAll_WithTheReasonStated()
    {
        var result = FeeCalculator.Estimate(new FeeInput(PaperPages: 1000, SearchHours: 10m), StatutoryRegime.Municipal, new FeeOptions(), responseWasLate: true);
        Assert.Equal(0m, result.Total);
        Assert.Equal(250.00m, result.Subtotal);
        Assert.Contains(result.Notes, n => n.Contains("950 CMR 32.06(2)(c)", StringComparison.Ordinal));
    }

    [Fact]
    public void Estimate_IsItemised_AndSaysItIsAGoodFaithEstimate()
    {
        var result = FeeCalculator.Estimate(new FeeInput(PaperPages: 10, SearchHours: 3m, RedactionHours: 1m, RedactionBasis: RedactionBasis.Discretionary),
            StatutoryRegime.Municipal, new FeeOptions(), responseWasLate: false);
        Assert.Contains(result.Lines, l => l.Item == "Paper copies" && l.Amount == 0.50m);
        Assert.Contains(result.Lines, l => l.Item == "Segregation and redaction time" && l.Basis.StartsWith("not chargeable", StringComparison.Ordinal));
        Assert.Contains(result.Lines, l => l.Item == "Staff time charged" && l.Amount == 25.00m);
        Assert.Contains(result.Notes, n => n.Contains("good-faith estimate", StringComparison.Ordinal));
    }

    [Fact]
    public void LowerHourlyRate_IsUsed_AndARateAbove25IsRejectedBySettings()
    {
        var result = FeeCalculator.Estimate(new FeeInput(SearchHours: 3m), StatutoryRegime.Municipal, new FeeOptions { HourlyRate = 18.50m }, false);
        Assert.Equal(18.50m, result.Total);
        Assert.False(IsValid(new FeeOptions { HourlyRate = 30m }));
        Assert.False(IsValid(new FeeOptions { PaperPerPage = 0.10m }));
        Assert.True(IsValid(new FeeOptions()));
    }

    [Fact]
    public void Waiver_WithoutAReason_IsRefused() =>
        Assert.Throws<DomainException>(() => FeeCalculator.Estimate(new FeeInput(PaperPages: 10, Waiver: new FeeWaiver(FeeWaiverReason.PublicInterest, " ")),
            StatutoryRegime.Municipal, new FeeOptions(), false));

    private static bool IsValid(FeeOptions options) => Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true);

    private static StatutoryRegime Regime(string name) => StatutoryRegime.BuiltIn.Single(r => r.Name == name);
}
