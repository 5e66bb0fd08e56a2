using System.ComponentModel.DataAnnotations;

namespace RecordsRequests.Features.Intake;

/// <summary>E-mail intake: parser limits and the channels that feed it (section <c>Intake</c>).</summary>
public sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>Larger messages are stored but quarantined unparsed.</summary>
    [Range(1024, 1L << 31)]
    public long MaxMessageBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Parse and classify must finish within this time or the message is quarantined.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan PerMessageTimeLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>MIME nesting deeper than this is not parsed further (MimeKit ParserOptions.MaxMimeDepth).</summary>
    [Range(2, 1024)]
    public int MaxMimeDepth { get; set; } = 32;

    /// <summary>A message whose header block has more fields, or a single longer field, is quarantined.</summary>
    [Range(10, 100000)]
    public int MaxHeaderCount { get; set; } = 1000;

    [Range(1000, 10_000_000)]
    public int MaxHeaderLength { get; set; } = 256 * 1024;

    /// <summary>
    /// Mail domains of district staff. A forwarded request from one of them is opened for the original sender.
    /// Empty means the domain of <c>Mail:FromAddress</c>.
    /// </summary>
    public List<string> DistrictDomains { get; set; } = [];

    /// <summary>How far back a near-identical request from the same requester is pointed out.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan SimilarRequestWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Jaccard similarity of word 3-shingles at or above which two descriptions count as near-identical.</summary>
    [Range(0.1, 1.0)]
    public double SimilarRequestThreshold { get; set; } = 0.8;

    /// <summary>A reply by the requester with the same subject within this time threads onto their request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan RequesterThreadWindow { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How the sender of mail claiming a district address, or a requester's address, is verified.</summary>
    public SenderAuthenticationOptions SenderAuthentication { get; set; } = new();

    public SmtpListenerOptions Smtp { get; set; } = new();

    /// <summary>The SpamAssassin daemon that scores what the SMTP listener receives.</summary>
    [Microsoft.Extensions.Options.ValidateObjectMembers]
    public SpamFilterOptions Spam { get; set; } = new();
    public ImapPollingOptions Imap { get; set; } = new();
    public DropFolderOptions DropFolder { get; set; } = new();
}
