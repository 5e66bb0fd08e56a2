using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using RecordsRequests.Features.Mail;
using RecordsRequests.Features.Mailboxes;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Mailboxes;

/// <summary>
/// The district's outgoing mail through SMTP with XOAUTH2 (MailKit's SaslMechanismOAuth2), the token from the provider
/// double's Entra ID endpoint through MSAL, against <see cref="XOAuth2SmtpServer"/>, which checks each token by
/// introspection as Exchange Online checks SMTP.SendAsApp: Microsoft turns password SMTP off by default at the end of
/// December 2026.
/// </summary>
[Collection(Lanes.Mail)]
public sealed class SmtpOAuthTests(TestDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OutgoingMail_SignsInWithAnMsalToken_IsRefusedWithoutThePermission_AndGetsANewTokenWhenTheOldOneExpires()
    {
        await using var provider = await ProviderDouble.StartAsync();
        await using var smtp = XOAuth2SmtpServer.Start(provider.IntrospectionAddress);
        await using var services = database.BuildServices(settings: provider.Settings());
        var run = Guid.NewGuid().ToString("N")[..8];
        var mailbox = $"records-{run}@district.example";
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MailboxConnections>().AddAsync(new NewMailboxConnection($"Records SMTP {run}",
                MailboxKind.ImapMicrosoftOAuth, mailbox, new MailboxEndpoint(ProviderDouble.Tenant, ProviderDouble.ClientId, "127.0.0.1", 1, "127.0.0.1", smtp.Port, "None", "INBOX"),
                IsRecordsInbox: false, SendsOutgoingMail: true, ClientSecret: ProviderDouble.ClientSecret), CancellationToken.None);
        }
        var transport = services.GetRequiredService<IMailTransport>();
        MimeMessage Letter(int n)
        {
            var message = new MimeMessage { Subject = $"Your records request, letter {n} ({run})", Body = new TextPart("plain") { Text = "The records you asked for are attached." } };
            message.From.Add(new MailboxAddress("Records", mailbox));
            message.To.Add(new MailboxAddress("Pat", "pat@public.example"));
            message.MessageId = $"{run}-{n}@district.example";
            return message;
        }

        // Before Exchange lets the app send as the mailbox, the server refuses its token, and the failure says what is missing.
        var refused = await Assert.ThrowsAsync<MailboxProblem>(() => transport.SendAsync(Letter(1), CancellationToken.None));
        Assert.Contains("SMTP.SendAsApp", refused.Message, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
        Assert.True(smtp.RefusedTokens >= 1);

        provider.ImapMailboxOfApp = mailbox;
        await transport.SendAsync(Letter(2), CancellationToken.None);
        var (user, raw) = Assert.Single(smtp.Received);
        Assert.Equal(mailbox, user);
        Assert.Equal($"{run}-2@district.example", MimeMessage.Load(new MemoryStream(raw)).MessageId);

        // The hour passes: the server no longer accepts the cached token, and one new token is fetched through MSAL.
        var issued = provider.TokensIssued;
        provider.ExpireAllTokens();
        await transport.SendAsync(Letter(3), CancellationToken.None);
        Assert.Equal(2, smtp.Received.Count);
        Assert.Equal($"{run}-3@district.example", MimeMessage.Load(new MemoryStream(smtp.Received.Last().Message)).MessageId);
        Assert.Equal(issued + 1, provider.TokensIssued);
        Assert.Empty(provider.Failures);
    }
}
