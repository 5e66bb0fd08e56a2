using MimeKit;

namespace RecordsRequests.Features.Intake;

/// <summary>The outcome of parsing one message: either a MIME message or the reason it could not be read.</summary>
public sealed record ParseResult(MimeMessage? Message, string? Failure)
{
    public bool Succeeded => Message is not null;
}
