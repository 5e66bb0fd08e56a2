using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class MailboxConnections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "mailbox_connections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    mailbox = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    tenant_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    client_id = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    imap_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    imap_port = table.Column<int>(type: "integer", nullable: false),
                    smtp_host = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    smtp_port = table.Column<int>(type: "integer", nullable: false),
                    security = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    folder = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    secret_description = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    protected_secret = table.Column<byte[]>(type: "bytea", nullable: false),
                    is_records_inbox = table.Column<bool>(type: "boolean", nullable: false),
                    sends_outgoing_mail = table.Column<bool>(type: "boolean", nullable: false),
                    enabled = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_tested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_test_succeeded = table.Column<bool>(type: "boolean", nullable: true),
                    last_test_outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_connections", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "mailbox_checkpoints",
                columns: table => new
                {
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<string>(type: "text", nullable: true),
                    last_polled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mailbox_checkpoints", x => x.connection_id);
                    table.ForeignKey(
                        name: "fk_mailbox_checkpoints_mailbox_connection_connection_id",
                        column: x => x.connection_id,
                        principalTable: "mailbox_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_mailbox_connections_name",
                table: "mailbox_connections",
                column: "name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "mailbox_checkpoints");

            migrationBuilder.DropTable(
                name: "mailbox_connections");
        }
    }
}
