using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class SessionPolicy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "session_policy",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    idle_minutes = table.Column<int>(type: "integer", nullable: false),
                    changed_by = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_policy", x => x.id);
                    table.CheckConstraint("ck_session_policy_single_row", "id = 1");
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_policy");
        }
    }
}
