namespace RecordsRequests.Features.Intake;

/// <summary>
/// Whether the domain in the From header vouched for the message: a DKIM signature of that domain (or a parent of it)
/// that verifies, or an SPF pass for an envelope sender in that domain (DMARC alignment, RFC 7489 §3.1). A From
/// header alone proves nothing, so anything short of <see cref="AlignedPass"/> is treated as mail from an outsider.
/// </summary>
public sealed record SenderCheck(bool AlignedPass, string Summary)
{
    public static SenderCheck NotChecked(string why) => new(false, why);
}
