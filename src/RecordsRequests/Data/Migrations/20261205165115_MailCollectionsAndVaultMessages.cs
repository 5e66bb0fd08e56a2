using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class MailCollectionsAndVaultMessages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "archive_vault_messages",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    document_id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    account = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    labels = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    gmail_message_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    export_file = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_vault_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_archive_vault_messages_archive_items_item_id",
                        column: x => x.item_id,
                        principalTable: "archive_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "mail_collections",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    connection_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    custodian = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    from_date = table.Column<DateOnly>(type: "date", nullable: false),
                    to_date = table.Column<DateOnly>(type: "date", nullable: false),
                    terms = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    started_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    messages = table.Column<int>(type: "integer", nullable: false),
                    new_to_archive = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    outcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_collections", x => x.id);
                    table.ForeignKey(
                        name: "fk_mail_collections_mailbox_connections_connection_id",
                        column: x => x.connection_id,
                        principalTable: "mailbox_connections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_mail_collections_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "mail_collection_progress",
                columns: table => new
                {
                    collection_id = table.Column<Guid>(type: "uuid", nullable: false),
                    position = table.Column<string>(type: "text", nullable: true),
                    page = table.Column<int>(type: "integer", nullable: false),
                    stored = table.Column<int>(type: "integer", nullable: false),
                    failed = table.Column<int>(type: "integer", nullable: false),
                    expected = table.Column<long>(type: "bigint", nullable: true),
                    run_started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    stored_at_run_start = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_mail_collection_progress", x => x.collection_id);
                    table.ForeignKey(
                        name: "fk_mail_collection_progress_mail_collections_collection_id",
                        column: x => x.collection_id,
                        principalTable: "mail_collections",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_archive_vault_messages_item_id_document_id",
                table: "archive_vault_messages",
                columns: new[] { "item_id", "document_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_mail_collections_connection_id",
                table: "mail_collections",
                column: "connection_id");

            migrationBuilder.CreateIndex(
                name: "ix_mail_collections_request_id_queued_at",
                table: "mail_collections",
                columns: new[] { "request_id", "queued_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_vault_messages");

            migrationBuilder.DropTable(
                name: "mail_collection_progress");

            migrationBuilder.DropTable(
                name: "mail_collections");
        }
    }
}
