namespace RecordsRequests.Features.Deadlines;

/// <summary>Why time spent segregating or redacting may or may not be charged (c.66 §10(d)(ii), legal.md 1.5).</summary>
public enum RedactionBasis
{
    /// <summary>No segregation or redaction time.</summary>
    None,

    /// <summary>Withholding a statute requires, clause Twenty-sixth (a): FERPA, c.71 §34D, 603 CMR 23. Chargeable.</summary>
    RequiredByLaw,

    /// <summary>The Supervisor of Records approved charging for it. Chargeable.</summary>
    ApprovedBySupervisor,

    /// <summary>Discretionary redaction, e.g. privacy under clause (c): not chargeable without the Supervisor's approval.</summary>
    Discretionary,
}
