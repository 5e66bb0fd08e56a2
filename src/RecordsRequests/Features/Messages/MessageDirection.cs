namespace RecordsRequests.Features.Messages;

public enum MessageDirection
{
    Inbound,
    Outbound,
}
