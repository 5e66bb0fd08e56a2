using System.Globalization;

namespace RecordsRequests.Features.Deadlines;

/// <summary>Public-records fees under G.L. c.66 §10(d) and 950 CMR 32.06(2)(c), 32.07(2). Pure.</summary>
public static class FeeCalculator
{
    public const int AgencyFreeHours = 4;
    public const int MunicipalFreeHours = 2;

    public static FeeEstimateResult Estimate(FeeInput input, StatutoryRegime regime, FeeOptions options, bool responseWasLate)
    {
        if (input.PaperPages < 0 || input.StorageMediaCost < 0 || input.SearchHours < 0 || input.RedactionHours < 0)
        {
            throw new DomainException("Pages, hours and costs cannot be negative.");
        }
        var culture = CultureInfo.InvariantCulture;
        var lines = new List<FeeLine>();
        var notes = new List<string>
        {
            "This is a good-faith estimate; the actual cost may vary, and the district may require the estimated fee to be paid before work begins (Guide to the Massachusetts Public Records Law).",
        };

        if (input.PaperPages > 0)
        {
            lines.Add(new FeeLine("Paper copies", string.Create(culture, $"{input.PaperPages} pages × ${options.PaperPerPage:0.00}"),
                Money(input.PaperPages * options.PaperPerPage), "at most $0.05 a page, single- or double-sided (950 CMR 32.07(2))"));
        }
        if (input.StorageMediaCost > 0)
        {
            lines.Add(new FeeLine("Storage media", "actual cost", Money(input.StorageMediaCost), "electronic records carry no copy fee, only the actual cost of media supplied (950 CMR 32.07(2))"));
        }

        var redactionChargeable = input.RedactionBasis is RedactionBasis.RequiredByLaw or RedactionBasis.ApprovedBySupervisor;
        var chargeableHours = input.SearchHours + (redactionChargeable ? input.RedactionHours : 0m);
        var isAgency = regime.Name == StatutoryRegime.Agency.Name;
        var freeHours = isAgency ? AgencyFreeHours : options.MunicipalityOf20000OrFewer ? 0 : MunicipalFreeHours;
        var freeBasis = isAgency
            ? "an agency may not charge for the first 4 hours (c.66 §10(d)(ii))"
            : options.MunicipalityOf20000OrFewer
                ? "a municipality of 20,000 or fewer may charge from the first hour (c.66 §10(d)(iii))"
                : "a municipality may not charge for the first 2 hours (c.66 §10(d)(iii))";
        var billedHours = Math.Max(0m, chargeableHours - freeHours);
        if (input.SearchHours > 0)
        {
            lines.Add(new FeeLine("Search, compilation and reproduction time", string.Create(culture, $"{input.SearchHours:0.##} h"), 0m, "staff time; charged below after free hours"));
        }
        if (input.RedactionHours > 0)
        {
            lines.Add(new FeeLine("Segregation and redaction time", string.Create(culture, $"{input.RedactionHours:0.##} h"), 0m, redactionChargeable
                ? input.RedactionBasis == RedactionBasis.RequiredByLaw
                    ? "chargeable: redaction required by law, clause Twenty-sixth (a) (c.66 §10(d)(ii))"
                    : "chargeable: approved by the Supervisor of Records (c.66 §10(d)(ii))"
                : "not chargeable: only redaction required by law (clause (a)) or approved by the Supervisor may be charged (c.66 §10(d)(ii))"));
        }
        if (chargeableHours > 0)
        {
            lines.Add(new FeeLine("Staff time charged", string.Create(culture, $"({chargeableHours:0.##} h − {Math.Min(freeHours, chargeableHours):0.##} h free) × ${options.HourlyRate:0.00}/h"),
                Money(billedHours * options.HourlyRate), string.Create(culture, $"{freeBasis}; rate of the lowest-paid employee able to do the work, at most $25 an hour (c.66 §10(d))")));
        }

        var subtotal = lines.Sum(l => l.Amount);
        if (responseWasLate)
        {
            notes.Add("No fee may be charged: the written response was not sent within 10 business days of receipt (950 CMR 32.06(2)(c)).");
            return new FeeEstimateResult(lines, subtotal, subtotal, 0m, notes);
        }

        var reduction = 0m;
        if (input.Waiver is { } waiver)
        {
            if (string.IsNullOrWhiteSpace(waiver.Explanation))
            {
                throw new DomainException("Give the reason for the waiver or reduction; it is part of the record.");
            }
            if (waiver.Amount is < 0)
            {
                throw new DomainException("A reduction cannot be negative.");
            }
            reduction = Math.Min(subtotal, waiver.Amount ?? subtotal);
            var why = waiver.Reason == FeeWaiverReason.PublicInterest ? "public interest" : "inability to pay";
            notes.Add(string.Create(culture, $"{(reduction == subtotal ? "Fee waived" : $"Fee reduced by ${reduction:0.00}")} for {why}: {waiver.Explanation.Trim()} (c.66 §10(d))."));
        }
        return new FeeEstimateResult(lines, subtotal, reduction, subtotal - reduction, notes);
    }

    private static decimal Money(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
