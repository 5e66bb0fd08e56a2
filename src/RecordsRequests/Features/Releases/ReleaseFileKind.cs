namespace RecordsRequests.Features.Releases;

public enum ReleaseFileKind
{
    Record,
    /// <summary>
    /// An unredacted record in its own format beside its PDF (a spreadsheet stays a spreadsheet: 950 CMR 32.04(5)(d),
    /// 32.07(1)(c)-(d)), with its hidden content removed (<see cref="NativeCopy"/>).
    /// </summary>
    NativeCopy,
    ExemptionLogPdf,
    ExemptionLogCsv,
    ResponseLetter,
}
