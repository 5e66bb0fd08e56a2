using RecordsRequests.Features.Audit;
using RecordsRequests.Features.Requests;

namespace RecordsRequests.Features.Messages;

/// <summary>
/// One communication with a requester, in either direction. The exact bytes are kept as the evidentiary original;
/// every other field is derived from them and can be recomputed.
/// </summary>
public sealed class Message : IAudited
{
    public Guid Id { get; private set; } = Guid.CreateVersion7();
    public Guid? RequestId { get; private set; }
    public Request? Request { get; private set; }
    public MessageDirection Direction { get; private set; }
    public RequestChannel Channel { get; private set; }

    /// <summary>The RFC 5322 Message-ID header, without angle brackets, when the message has one.</summary>
    public string? InternetMessageId { get; private set; }
    public string Subject { get; private set; } = "";
    public string? FromAddress { get; private set; }
    public string? ToAddresses { get; private set; }
    public string BodyText { get; private set; } = "";
    public DateTimeOffset RecordedAt { get; private set; }

    public byte[] RawContent { get; private set; } = [];

    /// <summary>Lower-case hex SHA-256 of <see cref="RawContent"/>; a second delivery of the same bytes has the same value.</summary>
    public string RawSha256 { get; private set; } = "";

    private Message() { }

    public static Message Record(Guid? requestId, MessageDirection direction, RequestChannel channel, string subject, string? from, string? to,
        string bodyText, byte[] rawContent, string? internetMessageId, DateTimeOffset recordedAt) => new()
        {
            RequestId = requestId,
            Direction = direction,
            Channel = channel,
            Subject = subject,
            FromAddress = from,
            ToAddresses = to,
            BodyText = bodyText,
            RawContent = rawContent,
            RawSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(rawContent)),
            InternetMessageId = internetMessageId,
            RecordedAt = recordedAt.ToUniversalTime(),
        };
}
