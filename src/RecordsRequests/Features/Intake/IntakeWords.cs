namespace RecordsRequests.Features.Intake;

/// <summary>Where mail came from and what intake made of it, in the words officers read on the intake pages.</summary>
public static class IntakeWords
{
    public static string Label(this IntakeSource source) => source switch
    {
        IntakeSource.Smtp => "Mail forwarded to the intake address",
        IntakeSource.Imap => "Records mailbox (IMAP)",
        IntakeSource.DropFolder => "Drop folder",
        IntakeSource.Upload => "Uploaded by an officer",
        IntakeSource.CommandLine => "Imported on the server",
        IntakeSource.WebForm => "Public web form",
        IntakeSource.Microsoft365 => "Microsoft 365 mailbox",
        IntakeSource.Gmail => "Google Workspace mailbox",
        _ => Requests.Labels.Words(source.ToString()),
    };

    public static string Label(this IntakeClassification classification) => classification switch
    {
        IntakeClassification.Pending => "Not read yet",
        IntakeClassification.Request => "New request",
        IntakeClassification.Reply => "Reply on a request",
        IntakeClassification.Automated => "Automated mail",
        IntakeClassification.Quarantined => "Quarantined",
        IntakeClassification.UnprovenReply => "Held: names a request, sender not proven",
        _ => Requests.Labels.Words(classification.ToString()),
    };
}
