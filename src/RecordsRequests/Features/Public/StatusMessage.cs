namespace RecordsRequests.Features.Public;

public sealed record StatusMessage(DateTimeOffset At, bool FromRequester, string Subject, string Body);
