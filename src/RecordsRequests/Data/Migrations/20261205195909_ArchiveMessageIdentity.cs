using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class ArchiveMessageIdentity : Migration
    {
        /// <summary>
        /// An item's identity from its stored columns, as ArchiveIdentity computes it for a message with a well-formed
        /// Message-ID (its Message-ID, date to the second in UTC, and the sender's address: the first in angle brackets,
        /// else the first entry, lower case); an item without one keeps its SHA-256. The integration test
        /// ArchiveIdentityTests runs this against ArchiveIdentity.
        /// </summary>
        internal const string IdentityOfStoredColumns = """
            case when message_id ~ '^[^<>@[:space:]]+@[^<>@[:space:]]+$'
            then encode(sha256(convert_to('message-id' || E'\n' || message_id || E'\n'
                || coalesce(to_char(sent_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), '') || E'\n'
                || lower(btrim(coalesce(substring(sender from '<([^<>]*)>'), split_part(sender, ',', 1)), E' \t\r\n')), 'UTF8')), 'hex')
            else sha256 end
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "identity",
                table: "archive_items",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "origin",
                table: "archive_item_sources",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "original_sha256",
                table: "archive_item_sources",
                type: "character varying(64)",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            // Items imported before identities: computed from their columns. Copies of one message imported before in
            // other bytes stay separate items (the first keeps the identity, the others their SHA-256); from now on
            // further copies join the first.
            migrationBuilder.Sql($"update archive_items set identity = {IdentityOfStoredColumns}");
            migrationBuilder.Sql("""
                update archive_items set identity = sha256
                where id in (select id from (select id, row_number() over (partition by identity order by imported_at, id) as n from archive_items) as copies where n > 1)
                """);
            migrationBuilder.Sql("update archive_item_sources s set original_sha256 = i.sha256 from archive_items i where i.id = s.item_id");

            migrationBuilder.CreateIndex(
                name: "ix_archive_items_identity",
                table: "archive_items",
                column: "identity",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_archive_items_identity",
                table: "archive_items");

            migrationBuilder.DropColumn(
                name: "identity",
                table: "archive_items");

            migrationBuilder.DropColumn(
                name: "origin",
                table: "archive_item_sources");

            migrationBuilder.DropColumn(
                name: "original_sha256",
                table: "archive_item_sources");
        }
    }
}
