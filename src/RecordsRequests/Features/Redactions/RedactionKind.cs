using RecordsRequests.Features.Documents;

namespace RecordsRequests.Features.Redactions;

public enum RedactionKind
{
    /// <summary>Characters of the record's text (<see cref="PagedText"/>), hidden by the boxes of their words.</summary>
    Text,
    /// <summary>A rectangle drawn on a page: a photo, a signature, handwriting, a whole table.</summary>
    Area,
}
