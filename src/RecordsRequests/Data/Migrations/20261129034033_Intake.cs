using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class Intake : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "inbound_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    raw_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    source_reference = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deliveries = table.Column<int>(type: "integer", nullable: false),
                    internet_message_id = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    subject = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    from_address = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    classification = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    request_id = table.Column<Guid>(type: "uuid", nullable: true),
                    message_id = table.Column<Guid>(type: "uuid", nullable: true),
                    similar_to = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    reclassified_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_inbound_messages", x => x.id);
                    table.ForeignKey(
                        name: "fk_inbound_messages_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_classification",
                table: "inbound_messages",
                column: "classification");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_internet_message_id",
                table: "inbound_messages",
                column: "internet_message_id");

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_raw_sha256",
                table: "inbound_messages",
                column: "raw_sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_request_id",
                table: "inbound_messages",
                column: "request_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "inbound_messages");
        }
    }
}
