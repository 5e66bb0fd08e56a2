using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class Workspace : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "document_number",
                table: "release_files",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "first_bates",
                table: "release_files",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "last_bates",
                table: "release_files",
                type: "character varying(60)",
                maxLength: 60,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "page_count",
                table: "release_files",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "redaction_count",
                table: "release_files",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "document_number",
                table: "release_files");

            migrationBuilder.DropColumn(
                name: "first_bates",
                table: "release_files");

            migrationBuilder.DropColumn(
                name: "last_bates",
                table: "release_files");

            migrationBuilder.DropColumn(
                name: "page_count",
                table: "release_files");

            migrationBuilder.DropColumn(
                name: "redaction_count",
                table: "release_files");
        }
    }
}
