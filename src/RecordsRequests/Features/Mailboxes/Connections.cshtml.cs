using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using RecordsRequests.Features.Accounts;
using RecordsRequests.Features.Mail;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>
/// The district's mailbox connections: listed with what each is for and how it last fared, added one kind at a time,
/// tested, disabled and enabled. A secret entered here is encrypted at once and never shown or logged again.
/// </summary>
[Authorize(Policy = Policies.Admins)]
public sealed class ConnectionsModel(MailboxConnections connections, IOptions<MailboxOptions> options, IOptions<MailOptions> mail) : PageModel
{
    public IReadOnlyList<MailboxConnection> Connections { get; private set; } = [];
    public IReadOnlyDictionary<Guid, MailboxCheckpoint> Checkpoints { get; private set; } = new Dictionary<Guid, MailboxCheckpoint>();

    /// <summary>The kind whose add form is shown (from ?kind=), if any.</summary>
    public MailboxKind? Adding { get; private set; }

    public string FromAddress => mail.Value.FromAddress;
    public string? SetupGuideUrl => options.Value.SetupGuideUrl;

    [TempData]
    public string? Message { get; set; }

    [TempData]
    public bool MessageIsProblem { get; set; }

    [TempData]
    public string? MessageSection { get; set; }

    [BindProperty]
    public AddForm Form { get; set; } = new();

    public sealed class AddForm
    {
        public string Name { get; set; } = "";
        public string Mailbox { get; set; } = "";
        public string? TenantId { get; set; }
        public string? ClientId { get; set; }
        public string? ClientSecret { get; set; }
        public IFormFile? Certificate { get; set; }
        public string? CertificatePassword { get; set; }
        public IFormFile? ServiceAccountKey { get; set; }
        public string? ImapHost { get; set; }
        public int ImapPort { get; set; } = 993;
        public string? SmtpHost { get; set; }
        public int SmtpPort { get; set; } = 587;
        public string Security { get; set; } = "Auto";
        public string Folder { get; set; } = "INBOX";
        public string? Password { get; set; }
        public bool IsRecordsInbox { get; set; }
        public bool SendsOutgoingMail { get; set; }
    }

    public static string KindLabel(MailboxKind kind) => kind switch
    {
        MailboxKind.Microsoft365 => "Microsoft 365 (Microsoft Graph, app registration)",
        MailboxKind.GoogleWorkspace => "Google Workspace (Gmail API, service account)",
        MailboxKind.ImapMicrosoftOAuth => "IMAP with a Microsoft 365 app registration (XOAUTH2)",
        MailboxKind.ImapGoogleOAuth => "IMAP with a Google service account (XOAUTH2)",
        _ => "IMAP with a password (legacy: other mail servers, Google app passwords)",
    };

    public static readonly IReadOnlyList<string> SecurityChoices = ["Auto", "SslOnConnect", "StartTls", "None"];

    public static string SecurityLabel(string security) => security switch
    {
        "SslOnConnect" => "TLS from the start (port 993 / 465)",
        "StartTls" => "STARTTLS (port 143 / 587)",
        "None" => "none (loopback only)",
        _ => "automatic (by port)",
    };

    public async Task OnGetAsync(MailboxKind? kind, CancellationToken cancellationToken)
    {
        Adding = kind;
        Form = new AddForm { IsRecordsInbox = true };
        if (kind is MailboxKind.ImapGoogleOAuth)
        {
            Form = new AddForm { IsRecordsInbox = true, ImapHost = "imap.gmail.com", SmtpHost = "smtp.gmail.com" };
        }
        else if (kind is MailboxKind.ImapMicrosoftOAuth)
        {
            Form = new AddForm { IsRecordsInbox = true, ImapHost = "outlook.office365.com", SmtpHost = "smtp.office365.com" };
        }
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAddAsync(MailboxKind kind, CancellationToken cancellationToken)
    {
        var entry = new NewMailboxConnection(Form.Name, kind, Form.Mailbox,
            new MailboxEndpoint(Form.TenantId, Form.ClientId, Form.ImapHost, Form.ImapPort, Form.SmtpHost, Form.SmtpPort,
                SecurityChoices.Contains(Form.Security) ? Form.Security : "Auto", Form.Folder),
            Form.IsRecordsInbox, Form.SendsOutgoingMail,
            ClientSecret: Form.ClientSecret,
            Certificate: await ReadAsync(Form.Certificate, cancellationToken),
            CertificatePassword: Form.CertificatePassword,
            ServiceAccountKeyJson: await ReadAsync(Form.ServiceAccountKey, cancellationToken) is { } key ? System.Text.Encoding.UTF8.GetString(key) : null,
            Password: Form.Password);
        try
        {
            var added = await connections.AddAsync(entry, cancellationToken);
            Message = $"\"{added.Name}\" was added. Its secret is stored encrypted and will not be shown again. Test it below.";
            MessageIsProblem = false;
            return RedirectToPage();
        }
        catch (MailboxProblem problem)
        {
            // The form comes back with what was typed, except every secret, which is never sent back to the browser.
            ModelState.AddModelError("", problem.Message);
            Form.ClientSecret = null;
            Form.Password = null;
            Form.CertificatePassword = null;
            Adding = kind;
            await LoadAsync(cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostTestAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await connections.ExistsAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var (succeeded, outcome, section) = await connections.TestAsync(id, cancellationToken);
        Message = succeeded ? $"Test passed. {outcome}" : $"Test failed. {outcome}";
        MessageIsProblem = !succeeded;
        MessageSection = section;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostEnableAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        if (!await connections.ExistsAsync(id, cancellationToken))
        {
            return NotFound();
        }
        await connections.SetEnabledAsync(id, enabled, cancellationToken);
        Message = enabled ? "The connection is enabled." : "The connection is disabled: no mail is read or sent through it.";
        MessageIsProblem = false;
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Connections = await connections.ListAsync(cancellationToken);
        Checkpoints = await connections.CheckpointsAsync(cancellationToken);
    }

    private static async Task<byte[]?> ReadAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            return null;
        }
        if (file.Length > 256 * 1024)
        {
            throw new BadHttpRequestException("A key or certificate file is never larger than 256 KB.");
        }
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
