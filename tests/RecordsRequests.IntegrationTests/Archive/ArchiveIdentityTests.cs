using System.Text;
using Npgsql;
using RecordsRequests.Data.Migrations;
using RecordsRequests.Features.Archive;
using RecordsRequests.IntegrationTests.Infrastructure;

namespace RecordsRequests.IntegrationTests.Archive;

/// <summary>
/// Items imported before identities existed get theirs from the migration, computed in PostgreSQL from their stored
/// columns; a message imported after gets it from <see cref="ArchiveIdentity"/>. If the two disagreed, a message
/// imported before the upgrade and collected again after it would become two items. This runs the migration's own SQL
/// on the columns the importer would store for a range of messages and compares.
/// </summary>
[Collection(Lanes.Archive)]
public sealed class ArchiveIdentityTests(TestDatabase database)
{
    public static TheoryData<string> Messages => new()
    {
        "From: Lee Principal <Lee.Principal@District.example>\r\nDate: Tue, 04 Mar 2025 09:30:00 -0500\r\nMessage-ID: <Notice-1@District.example>\r\nSubject: A\r\n\r\nText\r\n",
        "From: lee.principal@district.example\r\nDate: Tue, 04 Mar 2025 09:30:00 +0000\r\nMessage-ID: <notice-2@district.example>\r\n\r\nText\r\n",
        "From: committee@district.example, Dana Clerk <dana.clerk@district.example>\r\nDate: Tue, 04 Mar 2025 23:59:59 -0800\r\nMessage-ID: <notice-3@district.example>\r\n\r\nText\r\n",
        "From: \"Clerk, Dana\" <dana.clerk@district.example>\r\nMessage-ID: <no-date@district.example>\r\n\r\nText\r\n",
        "Message-ID: <no-sender@district.example>\r\nDate: Wed, 05 Mar 2025 16:45:00 +0000\r\n\r\nText\r\n",
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task MigrationComputesTheSameIdentity_AsTheImporter_FromTheStoredColumns(string raw)
    {
        var content = ContentExtractor.FromMessageBytes(Encoding.UTF8.GetBytes(raw));
        var identity = ArchiveIdentity.Of(ArchiveItemKind.Message, content, new string('0', 64));
        // What the importer writes to archive_items for this message (see ArchiveItem.Create).
        var item = ArchiveItem.Create(new string('0', 64), identity, ArchiveItemKind.Message, raw.Length, "m.eml", "message/rfc822", content, DateTimeOffset.UtcNow);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select {ArchiveMessageIdentity.IdentityOfStoredColumns} from (select $1::varchar as message_id, $2::timestamptz as sent_at, $3::varchar as sender, $4::varchar as sha256) as archive_items",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.MessageId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)item.SentAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = item.Sender });
        command.Parameters.Add(new NpgsqlParameter { Value = item.Sha256 });

        Assert.Equal(identity, (string?)await command.ExecuteScalarAsync());
        Assert.NotEqual(item.Sha256, identity);
    }

    [Fact]
    public void SameMessageInOtherBytes_HasOneIdentity_AndAnotherSendersMessageWithItsMessageIdDoesNot()
    {
        static string Identity(string raw) =>
            ArchiveIdentity.Of(ArchiveItemKind.Message, ContentExtractor.FromMessageBytes(Encoding.UTF8.GetBytes(raw)), "unused");
        const string Message = "From: Pat <pat@district.example>\r\nDate: Wed, 02 Apr 2025 13:15:00 +0000\r\nMessage-ID: <bids@district.example>\r\nSubject: Bids\r\n\r\nFrom the three, Acme.\r\n";
        var exchange = "Received: from a by b; Wed, 2 Apr 2025 13:15:02 +0000\r\nX-MS-Exchange-Organization-AuthAs: Internal\r\n" + Message;
        var vault = ("X-Gmail-Labels: Inbox\r\n" + Message).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\nFrom the", "\n>From the", StringComparison.Ordinal);
        Assert.Equal(Identity(Message), Identity(exchange));
        Assert.Equal(Identity(Message), Identity(vault));
        Assert.NotEqual(Identity(Message), Identity(Message.Replace("pat@district.example", "bids@elsewhere.example", StringComparison.Ordinal)));
        Assert.NotEqual(Identity(Message), Identity(Message.Replace("13:15:00", "16:15:00", StringComparison.Ordinal)));

        // Without a Message-ID (or with a malformed one): the headers and text decide, whatever the line endings and quoting.
        var bare = Message.Replace("Message-ID: <bids@district.example>\r\n", "", StringComparison.Ordinal);
        Assert.Equal(Identity(bare), Identity(vault.Replace("Message-ID: <bids@district.example>\n", "", StringComparison.Ordinal)));
        Assert.Equal(Identity(bare), Identity("Message-ID: not-an-id\r\n" + bare));
        Assert.NotEqual(Identity(bare), Identity(bare.Replace("Acme", "Apex", StringComparison.Ordinal)));
    }
}
