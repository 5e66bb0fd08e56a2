using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <summary>
    /// Masks the requester's private links (status page, release package, address confirmation) in the copies of mail
    /// already delivered: the timeline's text and the outbox row, as delivery now does (PrivateLinks). The raw message
    /// bytes and the hash-chained audit trail written before this are left as they are.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261205170000_MaskPrivateLinksInKeptMail")]
    public partial class MaskPrivateLinksInKeptMail : Migration
    {
        private const string Link = @"https?://[^[:space:]]*/(status|release|confirm-address)/[A-Za-z0-9_-]{20,100}";
        private const string Masked = "[private link, sent only to the requester]";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql($"UPDATE messages SET body_text = regexp_replace(body_text, '{Link}', '{Masked}', 'g') WHERE direction = 'Outbound' AND body_text ~ '{Link}';");
            migrationBuilder.Sql($"UPDATE outbound_emails SET body_text = regexp_replace(body_text, '{Link}', '{Masked}', 'g') WHERE sent_at IS NOT NULL AND body_text ~ '{Link}';");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The links cannot be restored: only their hashes were ever stored apart from the mail.
        }
    }
}
