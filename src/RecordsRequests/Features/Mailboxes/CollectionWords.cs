namespace RecordsRequests.Features.Mailboxes;

/// <summary>A collection's state in words, for the request page and the collection page.</summary>
public static class CollectionWords
{
    public static string Status(MailCollectionStatus status) => status switch
    {
        MailCollectionStatus.Queued => "Waiting to start",
        MailCollectionStatus.Running => "Collecting",
        MailCollectionStatus.Finished => "Finished",
        _ => "Stopped",
    };

    public static string Progress(MailCollection collection, MailCollectionProgress? progress)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        if (collection.Status == MailCollectionStatus.Finished)
        {
            var result = string.Create(culture, $"{Messages(collection.Messages)} in the archive, {collection.NewToArchive:N0} of them new to it")
                + (collection.Messages > collection.NewToArchive ? " (the rest were already there from an import or another collection)" : "")
                + (collection.Failed > 0 ? string.Create(culture, $"; {collection.Failed:N0} could not be read as e-mail") : "") + ".";
            return collection.Outcome is { Length: > 0 } caution ? $"{result} {caution}" : result;
        }
        if (progress is null || (progress.Stored == 0 && progress.Page == 0))
        {
            return collection.Status == MailCollectionStatus.Stopped ? $"Stopped before any message was collected: {collection.Outcome}" : "Nothing collected yet.";
        }
        var words = progress.Expected is { } expected && expected > 0
            ? string.Create(culture, $"{progress.Stored:N0} of about {Messages(expected)}")
            : Messages(progress.Stored);
        if (collection.Status == MailCollectionStatus.Stopped)
        {
            return $"{words} collected, then stopped: {collection.Outcome}";
        }
        if (progress.PerMinute is { } rate)
        {
            words += string.Create(culture, $", {rate:N0} a minute");
        }
        if (progress.TimeLeft is { } left)
        {
            words += ", " + Left(left);
        }
        return words;
    }

    private static string Messages(long count) => count == 1 ? "1 message" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count:N0} messages");

    private static string Left(TimeSpan left) => left.TotalMinutes < 1 ? "less than a minute left"
        : left.TotalHours < 1 ? $"about {Math.Ceiling(left.TotalMinutes):0} minute{(Math.Ceiling(left.TotalMinutes) == 1 ? "" : "s")} left"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"about {left.TotalHours:0.#} hours left");
}
