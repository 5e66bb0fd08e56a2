using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class ProvenReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "claimed_request_id",
                table: "inbound_messages",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sender_verification",
                table: "inbound_messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reply_tokens",
                columns: table => new
                {
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reply_tokens", x => x.request_id);
                    table.ForeignKey(
                        name: "fk_reply_tokens_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_inbound_messages_claimed_request_id",
                table: "inbound_messages",
                column: "claimed_request_id");

            migrationBuilder.CreateIndex(
                name: "ix_reply_tokens_token",
                table: "reply_tokens",
                column: "token",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "fk_inbound_messages_requests_claimed_request_id",
                table: "inbound_messages",
                column: "claimed_request_id",
                principalTable: "requests",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_inbound_messages_requests_claimed_request_id",
                table: "inbound_messages");

            migrationBuilder.DropTable(
                name: "reply_tokens");

            migrationBuilder.DropIndex(
                name: "ix_inbound_messages_claimed_request_id",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "claimed_request_id",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "sender_verification",
                table: "inbound_messages");
        }
    }
}
