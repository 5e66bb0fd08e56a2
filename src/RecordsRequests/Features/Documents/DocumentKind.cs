namespace RecordsRequests.Features.Documents;

/// <summary>What kind of file a record is, judged by its bytes first and its name second.</summary>
public enum DocumentKind
{
    Pdf,
    Image,
    Tiff,
    Office,
    Email,
    OutlookMessage,
    Text,
    Html,
    Unsupported,
}
