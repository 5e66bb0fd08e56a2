using System;
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

            migrationBuilder.CreateTable(
                name: "archive_import_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    custodian = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    stored_path = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    started_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    queued_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    started_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    progress = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    outcome = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    failed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_import_runs", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "letter_template_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    version = table.Column<int>(type: "integer", nullable: false),
                    subject = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    body = table.Column<string>(type: "character varying(20000)", maxLength: 20000, nullable: false),
                    note = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    saved_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    saved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_letter_template_versions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "roster_uploads",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    file_name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    student_count = table.Column<int>(type: "integer", nullable: false),
                    uploaded_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    uploaded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_roster_uploads", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_archive_import_runs_queued_at",
                table: "archive_import_runs",
                column: "queued_at");

            migrationBuilder.CreateIndex(
                name: "ix_letter_template_versions_kind_version",
                table: "letter_template_versions",
                columns: new[] { "kind", "version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_roster_uploads_uploaded_at",
                table: "roster_uploads",
                column: "uploaded_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_import_runs");

            migrationBuilder.DropTable(
                name: "letter_template_versions");

            migrationBuilder.DropTable(
                name: "roster_uploads");

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
