using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class SpamListAndOneUseAuthenticatorCodes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "released_from_spam_at",
                table: "inbound_messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "released_from_spam_by",
                table: "inbound_messages",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "spam_not_scored",
                table: "inbound_messages",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "spam_score",
                table: "inbound_messages",
                type: "double precision",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "authenticator_code_uses",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    last_time_step = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_authenticator_code_uses", x => x.user_id);
                    table.ForeignKey(
                        name: "fk_authenticator_code_uses_asp_net_users_user_id",
                        column: x => x.user_id,
                        principalTable: "AspNetUsers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Mail held for a spam verdict before the spam list existed sat in the quarantine with a "spam" reason
            // (the district's mail system's flag, or Microsoft 365's or Gmail's verdict): it moves to the spam list.
            migrationBuilder.Sql("""
                UPDATE inbound_messages SET classification = 'Spam'
                WHERE classification = 'Quarantined'
                  AND (reason LIKE 'spam: %' OR reason LIKE 'Microsoft 365 judged it spam%' OR reason LIKE 'Gmail judged it spam%')
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE inbound_messages SET classification = 'Quarantined' WHERE classification = 'Spam'");

            migrationBuilder.DropTable(
                name: "authenticator_code_uses");

            migrationBuilder.DropColumn(
                name: "released_from_spam_at",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "released_from_spam_by",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "spam_not_scored",
                table: "inbound_messages");

            migrationBuilder.DropColumn(
                name: "spam_score",
                table: "inbound_messages");
        }
    }
}
