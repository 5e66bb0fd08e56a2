namespace RecordsRequests.Features.Redactions;

/// <summary>
/// The "add a redaction" form beside a page viewer (_AddRedactionForm.cshtml): the words selected on the page or typed,
/// or an area; a category and an exemption. Its handlers differ between the officer's and counsel's pages.
/// </summary>
public sealed record AddRedactionForm(string FormId, Guid? RecordId, int PageCount, RedactionInput Input, string WordsHandler, string AreaHandler);
