using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecordPages : Migration
    {
        /// <inheritdoc />
        /// <summary>
        /// Records that existed before pages are queued (the pages sweep converts them); their redactions are text spans
        /// with no boxes yet, placed on the pages when those are ready (LegacyRedactions).
        /// </summary>
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_redactions_record_id_start_end",
                table: "redactions");

            migrationBuilder.AddColumn<string>(
                name: "boxes",
                table: "redactions",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "kind",
                table: "redactions",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "Text");

            migrationBuilder.AddColumn<string>(
                name: "placement_problem",
                table: "redactions",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "page_count",
                table: "records",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "pages_done",
                table: "records",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "pages_failure",
                table: "records",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "pages_state",
                table: "records",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "Queued");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "pages_state_changed_at",
                table: "records",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)));

            migrationBuilder.AddColumn<Guid>(
                name: "parent_record_id",
                table: "records",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "rendition_sha256",
                table: "records",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "document_pages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    record_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<int>(type: "integer", nullable: false),
                    width = table.Column<double>(type: "double precision", nullable: false),
                    height = table.Column<double>(type: "double precision", nullable: false),
                    image_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    has_colour = table.Column<bool>(type: "boolean", nullable: false),
                    text_source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    words = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_document_pages", x => x.id);
                    table.ForeignKey(
                        name: "fk_document_pages_records_record_id",
                        column: x => x.record_id,
                        principalTable: "records",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_redactions_record_id_start_end",
                table: "redactions",
                columns: new[] { "record_id", "start", "end" });

            migrationBuilder.CreateIndex(
                name: "ix_records_pages_state",
                table: "records",
                column: "pages_state",
                filter: "pages_state in ('Queued', 'Converting', 'Reading')");

            migrationBuilder.CreateIndex(
                name: "ix_document_pages_record_id_number",
                table: "document_pages",
                columns: new[] { "record_id", "number" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "document_pages");

            migrationBuilder.DropIndex(
                name: "ix_redactions_record_id_start_end",
                table: "redactions");

            migrationBuilder.DropIndex(
                name: "ix_records_pages_state",
                table: "records");

            migrationBuilder.DropColumn(
                name: "boxes",
                table: "redactions");

            migrationBuilder.DropColumn(
                name: "kind",
                table: "redactions");

            migrationBuilder.DropColumn(
                name: "placement_problem",
                table: "redactions");

            migrationBuilder.DropColumn(
                name: "page_count",
                table: "records");

            migrationBuilder.DropColumn(
                name: "pages_done",
                table: "records");

            migrationBuilder.DropColumn(
                name: "pages_failure",
                table: "records");

            migrationBuilder.DropColumn(
                name: "pages_state",
                table: "records");

            migrationBuilder.DropColumn(
                name: "pages_state_changed_at",
                table: "records");

            migrationBuilder.DropColumn(
                name: "parent_record_id",
                table: "records");

            migrationBuilder.DropColumn(
                name: "rendition_sha256",
                table: "records");

            migrationBuilder.CreateIndex(
                name: "ix_redactions_record_id_start_end",
                table: "redactions",
                columns: new[] { "record_id", "start", "end" },
                unique: true);
        }
    }
}
