namespace RecordsRequests.Features.Correspondence;

/// <summary>Plain-language names of the letters, as officers read them on the request page and in the letter admin.</summary>
public static class LetterLabels
{
    public static string Label(this LetterKind kind) => kind switch
    {
        LetterKind.Acknowledgement => "Acknowledgement",
        LetterKind.Clarification => "Clarification question",
        LetterKind.Extension => "Extension (more time needed)",
        LetterKind.FeeEstimate => "Fee estimate",
        LetterKind.FinalResponse => "Response",
        LetterKind.Denial => "Denial",
        LetterKind.Withdrawal => "Withdrawal",
        LetterKind.Release => "Release",
    };

    /// <summary>What each letter is for, beside its link on the request page.</summary>
    public static string Purpose(this LetterKind kind) => kind switch
    {
        LetterKind.Acknowledgement => "confirms receipt, the tracking number and the dates",
        LetterKind.Clarification => "asks the requester to narrow or explain the request",
        LetterKind.Extension => "the written response within 10 business days when records come later (G.L. c.66 §10(b))",
        LetterKind.FeeEstimate => "an itemised good-faith estimate before producing records (G.L. c.66 §10(d))",
        LetterKind.FinalResponse => "the response that answers the request, with appeal rights",
        LetterKind.Denial => "withholds records, citing each exemption, with appeal rights",
        LetterKind.Withdrawal => "confirms that the requester withdrew the request; sent by the withdrawal action",
        LetterKind.Release => "goes with released records: each document by its Bates range, the exemptions, appeal rights; sent by Release",
    };
}
