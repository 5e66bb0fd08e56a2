using RecordsRequests.Features.Archive;

namespace RecordsRequests.TestSupport;

/// <summary>One generated message of the benchmark corpus.</summary>
public sealed record BenchMessage(long Index, string Custodian, string MessageId, string ThreadId, ArchiveContent Content)
{
    /// <summary>Approximate size of the message as mail: headers, body and attachment text.</summary>
    public long Bytes => 450 + Content.Subject.Length + Content.To.Length + Content.Cc.Length + Content.Body.Length
        + Content.Attachments.Sum(a => a.Text.Length + a.FileName.Length + 200);
}
