using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <inheritdoc />
    public partial class Archive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "archive_items",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    size_bytes = table.Column<long>(type: "bigint", nullable: false),
                    file_name = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    content_type = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_id = table.Column<string>(type: "character varying(998)", maxLength: 998, nullable: true),
                    subject = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    sender = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attachment_count = table.Column<int>(type: "integer", nullable: false),
                    estimated_pages = table.Column<int>(type: "integer", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_items", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "archive_saved_searches",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    request_id = table.Column<Guid>(type: "uuid", nullable: false),
                    query = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    from_date = table.Column<DateOnly>(type: "date", nullable: true),
                    to_date = table.Column<DateOnly>(type: "date", nullable: true),
                    custodian = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    index_generation = table.Column<long>(type: "bigint", nullable: false),
                    hit_count = table.Column<int>(type: "integer", nullable: false),
                    attached_count = table.Column<int>(type: "integer", nullable: false),
                    searched_by = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    searched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_saved_searches", x => x.id);
                    table.ForeignKey(
                        name: "fk_archive_saved_searches_requests_request_id",
                        column: x => x.request_id,
                        principalTable: "requests",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "archive_item_sources",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    item_id = table.Column<Guid>(type: "uuid", nullable: false),
                    custodian = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    source_file = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    offset = table.Column<long>(type: "bigint", nullable: false),
                    imported_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archive_item_sources", x => x.id);
                    table.ForeignKey(
                        name: "fk_archive_item_sources_archive_items_item_id",
                        column: x => x.item_id,
                        principalTable: "archive_items",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_archive_item_sources_custodian",
                table: "archive_item_sources",
                column: "custodian");

            migrationBuilder.CreateIndex(
                name: "ix_archive_item_sources_item_id_custodian",
                table: "archive_item_sources",
                columns: new[] { "item_id", "custodian" });

            migrationBuilder.CreateIndex(
                name: "ix_archive_item_sources_source_file_offset",
                table: "archive_item_sources",
                columns: new[] { "source_file", "offset" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_archive_items_message_id",
                table: "archive_items",
                column: "message_id");

            migrationBuilder.CreateIndex(
                name: "ix_archive_items_sha256",
                table: "archive_items",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_archive_saved_searches_request_id",
                table: "archive_saved_searches",
                column: "request_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archive_item_sources");

            migrationBuilder.DropTable(
                name: "archive_saved_searches");

            migrationBuilder.DropTable(
                name: "archive_items");
        }
    }
}
