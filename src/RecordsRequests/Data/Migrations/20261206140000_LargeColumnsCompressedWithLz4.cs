using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RecordsRequests.Data.Migrations
{
    /// <summary>
    /// The columns that hold whole messages and documents (raw mail, message and letter text, audit snapshots, request
    /// descriptions, a page's words) are compressed with lz4 instead of PostgreSQL's default pglz when they are stored
    /// out of line. A mailbox catching up writes thousands of them a minute: with pglz, compressing them was a sixth of
    /// the database's processor time, and writing a page's timeline messages took twice as long. Values already stored
    /// keep their compression (both are read alike). A server without lz4 (before PostgreSQL 14, or built without it)
    /// keeps pglz and says so; nothing else depends on it.
    /// </summary>
    [DbContext(typeof(AppDbContext))]
    [Migration("20261206140000_LargeColumnsCompressedWithLz4")]
    public partial class LargeColumnsCompressedWithLz4 : Migration
    {
        private static readonly (string Table, string Column)[] Columns =
        [
            ("audit_events", "before"), ("audit_events", "after"), ("messages", "raw_content"), ("messages", "body_text"),
            ("outbound_emails", "body_text"), ("requests", "description"), ("document_pages", "words"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(SetCompression("lz4"));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(SetCompression("default"));

        /// <summary>Run as dynamic SQL, so a server that does not know the clause refuses it when it runs, where it is caught.</summary>
        private static string SetCompression(string method) => $"""
            DO $$
            BEGIN
            {string.Join("\n", Columns.Select(c => $"    EXECUTE 'ALTER TABLE {c.Table} ALTER COLUMN \"{c.Column}\" SET COMPRESSION {method}';"))}
            EXCEPTION WHEN feature_not_supported OR syntax_error THEN
                RAISE NOTICE 'This PostgreSQL server cannot compress with lz4 (it needs version 14 or later, built with lz4): large columns keep pglz.';
            END $$;
            """;
    }
}
