using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using RecordsRequests.Data;

namespace RecordsRequests.Features.Mailboxes;

/// <summary>Adds, tests, disables and enables mailbox connections; every change is audited by the database context.</summary>
public sealed class MailboxConnections(AppDbContext db, MailboxSecrets secrets, MailboxClients clients, TimeProvider clock, ILogger<MailboxConnections> log)
{
    public Task<List<MailboxConnection>> ListAsync(CancellationToken cancellationToken) =>
        db.Set<MailboxConnection>().OrderBy(c => c.Name).ToListAsync(cancellationToken);

    public Task<Dictionary<Guid, MailboxCheckpoint>> CheckpointsAsync(CancellationToken cancellationToken) =>
        db.Set<MailboxCheckpoint>().ToDictionaryAsync(c => c.ConnectionId, cancellationToken);

    /// <summary>Checks what was entered, stores the connection with its secret encrypted, and returns it; throws a <see cref="MailboxProblem"/> saying what is missing.</summary>
    public async Task<MailboxConnection> AddAsync(NewMailboxConnection entry, CancellationToken cancellationToken)
    {
        var guide = SetupGuide.For(entry.Kind);
        Require(entry.Name, "a name", guide);
        Require(entry.Mailbox, entry.Kind switch
        {
            MailboxKind.Microsoft365 or MailboxKind.ImapMicrosoftOAuth => "the mailbox's address (user principal name)",
            MailboxKind.GoogleWorkspace or MailboxKind.ImapGoogleOAuth => "the mailbox's address (the user the service account acts as)",
            _ => "the user name",
        }, guide);
        var endpoint = entry.Endpoint;
        MailboxSecret secret;
        string description;
        switch (entry.Kind)
        {
            case MailboxKind.Microsoft365 or MailboxKind.ImapMicrosoftOAuth:
                Require(endpoint.TenantId, "the directory (tenant) ID", guide);
                Require(endpoint.ClientId, "the application (client) ID", guide);
                if (entry.Certificate is { Length: > 0 } certificate)
                {
                    var (pkcs12, subject) = ReadCertificate(certificate, entry.CertificatePassword);
                    secret = new MailboxSecret(CertificatePkcs12: pkcs12);
                    description = $"certificate {subject}";
                }
                else
                {
                    Require(entry.ClientSecret, "a client secret or a certificate", guide);
                    secret = new MailboxSecret(ClientSecret: entry.ClientSecret!.Trim());
                    description = "client secret";
                }
                break;
            case MailboxKind.GoogleWorkspace or MailboxKind.ImapGoogleOAuth:
                var key = ServiceAccountKey.Parse(entry.ServiceAccountKeyJson);
                endpoint = endpoint with { ClientId = key.ClientEmail, TenantId = null };
                secret = new MailboxSecret(ServiceAccountKeyJson: entry.ServiceAccountKeyJson);
                description = $"service account key {key.PrivateKeyId[..Math.Min(8, key.PrivateKeyId.Length)]}… of {key.ClientEmail}";
                break;
            default:
                Require(entry.Password, "the password", guide);
                secret = new MailboxSecret(Password: entry.Password);
                description = "password";
                break;
        }
        if (entry.Kind is MailboxKind.ImapMicrosoftOAuth or MailboxKind.ImapGoogleOAuth or MailboxKind.ImapPassword)
        {
            Require(endpoint.ImapHost, "the IMAP server", guide);
            if (entry.SendsOutgoingMail)
            {
                Require(endpoint.SmtpHost, "the SMTP server (for sending)", guide);
            }
        }
        if (await db.Set<MailboxConnection>().AnyAsync(c => c.Name == entry.Name.Trim(), cancellationToken))
        {
            throw new MailboxProblem($"A connection named \"{entry.Name.Trim()}\" already exists.", guide);
        }
        var connection = MailboxConnection.Create(entry.Name, entry.Kind, entry.Mailbox, endpoint, description, secrets.Protect(secret),
            entry.IsRecordsInbox, entry.SendsOutgoingMail, clock.GetUtcNow());
        db.Add(connection);
        db.Add(MailboxCheckpoint.Start(connection.Id));
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Mailbox connection {Name} ({Kind}, {Mailbox}) added", connection.Name, connection.Kind, connection.Mailbox);
        return connection;
    }

    /// <summary>Signs in and reads the mailbox; records and returns the outcome in words.</summary>
    public Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken) =>
        db.Set<MailboxConnection>().AnyAsync(c => c.Id == id, cancellationToken);

    public async Task<(bool Succeeded, string Outcome, string? SetupSection)> TestAsync(Guid id, CancellationToken cancellationToken)
    {
        var connection = await db.Set<MailboxConnection>().SingleAsync(c => c.Id == id, cancellationToken);
        (bool, string, string?) result;
        try
        {
            await using var client = clients.For(connection);
            result = (true, await client.TestAsync(cancellationToken), null);
        }
        catch (MailboxProblem problem)
        {
            result = (false, problem.Message, problem.SetupSection);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or MailKit.ProtocolException or MailKit.Net.Imap.ImapCommandException or System.Security.Authentication.AuthenticationException)
        {
            result = (false, $"The connection failed: {e.Message}", SetupGuide.For(connection.Kind));
        }
        connection.NoteTest(result.Item1, result.Item2, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Mailbox connection {Name} tested: {Outcome}", connection.Name, result.Item2);
        return result;
    }

    public async Task SetEnabledAsync(Guid id, bool enabled, CancellationToken cancellationToken)
    {
        var connection = await db.Set<MailboxConnection>().SingleAsync(c => c.Id == id, cancellationToken);
        if (enabled)
        {
            connection.Enable();
        }
        else
        {
            connection.Disable();
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    private static void Require(string? value, string what, string guide)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new MailboxProblem($"Enter {what}.", guide);
        }
    }

    /// <summary>A .pfx/.p12 (with its password) or a PEM file holding the certificate and its private key; kept as PKCS#12 without a password, inside the encrypted secret.</summary>
    private static (byte[] Pkcs12, string Subject) ReadCertificate(byte[] file, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            var text = System.Text.Encoding.ASCII.GetString(file);
            certificate = text.Contains("-----BEGIN", StringComparison.Ordinal)
                ? X509Certificate2.CreateFromPem(text, text)
                : X509CertificateLoader.LoadPkcs12(file, password, X509KeyStorageFlags.Exportable | X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new MailboxProblem($"The certificate could not be read ({e.Message}). Upload a .pfx with its password, or a PEM file with the certificate and its private key.", SetupGuide.Microsoft365, e);
        }
        using (certificate)
        {
            if (!certificate.HasPrivateKey)
            {
                throw new MailboxProblem("The certificate file has no private key: upload the .pfx (or PEM with the key), not the .cer uploaded to Entra ID.", SetupGuide.Microsoft365);
            }
            return (certificate.Export(X509ContentType.Pkcs12), $"{certificate.Subject} (thumbprint {certificate.Thumbprint}, valid until {certificate.NotAfter:yyyy-MM-dd})");
        }
    }
}
