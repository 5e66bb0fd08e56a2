using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class Outbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "outbound_emails",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    kind = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    idempotency_key = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    to_address = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    to_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    body_text = table.Column<string>(type: "text", nullable: false),
                    internet_message_id = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    in_reply_to = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbound_emails", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_idempotency_key",
                table: "outbound_emails",
                column: "idempotency_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_internet_message_id",
                table: "outbound_emails",
                column: "internet_message_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_next_attempt_at",
                table: "outbound_emails",
                column: "next_attempt_at",
                filter: "sent_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbound_emails_request_id",
                table: "outbound_emails",
                column: "request_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "outbound_emails");
        }
    }
}
