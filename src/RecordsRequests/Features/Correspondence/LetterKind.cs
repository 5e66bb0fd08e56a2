namespace RecordsRequests.Features.Correspondence;

/// <summary>The letters the district sends a requester, each from one template in <see cref="LetterCatalog"/>.</summary>
public enum LetterKind
{
    Acknowledgement,
    Clarification,
    /// <summary>The written response of c.66 §10(b) when records are not all produced within 10 business days.</summary>
    Extension,
    FeeEstimate,
    FinalResponse,
    Denial,
    Withdrawal,
    /// <summary>The response letter that goes out with released records (in the e-mail and, as a PDF, in the package).</summary>
    Release,
}
