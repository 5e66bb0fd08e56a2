namespace RecordsRequests.IntegrationTests.Infrastructure;

/// <summary>
/// The test collections ("lanes") of the integration suite. xunit runs collections side by side and the tests within
/// one collection one after another. Each lane has a database of its own (a copy of the migrated template, see
/// <see cref="TestDatabase"/>), reset before each of its tests, so lanes share no rows and a test never sees another's.
/// What lanes still share is the machine: the throwaway IMAP mailbox of ops/test (so every test that reads it is in
/// <see cref="Mail"/>), and the CPU.
/// <list type="bullet">
/// <item>Lanes that share one web host (<see cref="TestDatabase.StartTestAsync"/>): <see cref="StaffPages"/> and
/// <see cref="CasePages"/>. Only tests that take the host with the suite's settings and leave it as they found it.</item>
/// <item>Lanes whose tests start their own host or services, because each needs its own settings, clock, mailbox
/// provider or engine, or changes the host it runs on: <see cref="Engine"/>, <see cref="Mail"/>, <see cref="OwnHosts"/>,
/// <see cref="Archive"/>.</item>
/// <item>Slow lanes, still run by ops/test, that the others do not wait for: chromium, with one host and one browser
/// per lane (<see cref="Browser"/>, <see cref="BrowserCasework"/>) or a host of each test's own
/// (<see cref="BrowserOwnHosts"/>); the workflow worker killed (<see cref="Faults"/>); and the big archive imports
/// (<see cref="ArchiveImports"/>).</item>
/// </list>
/// xunit.runner.json says how many lanes run at once; <see cref="SlowLanesFirst"/> starts the longest first, so the
/// short ones fill in around them instead of the run ending with one slow lane alone.
/// </summary>
public static class Lanes
{
    /// <summary>Sign-in, accounts, admin settings, the API, the public status pages and the security checks of every route.</summary>
    public const string StaffPages = "staff pages (one shared host)";

    /// <summary>A request's pages: clocks, redactions, release, receipt correction, the workflow's page actions.</summary>
    public const string CasePages = "case pages (one shared host)";

    /// <summary>The workflow engine in-process, correspondence, persistence, reminders and the command line.</summary>
    public const string Engine = "workflow engine";

    /// <summary>Mail in (SMTP, IMAP, drop folder, spam) and mailbox connections.</summary>
    public const string Mail = "mail";

    /// <summary>
    /// Hosts with settings of their own (rate limits, a trusted proxy, secrets, bad redaction settings) or that a test
    /// changes (the cookie check's clock, the data-protection certificate).
    /// </summary>
    public const string OwnHosts = "own-settings hosts";

    /// <summary>Archive import and search, the queue and the reports.</summary>
    public const string Archive = "archive, queue and reports";

    /// <summary>Chromium: admin, security and intake pages.</summary>
    public const string Browser = "browser";

    /// <summary>Chromium: a request's journey, redaction on the page, release.</summary>
    public const string BrowserCasework = "browser: casework";

    /// <summary>Chromium against hosts with settings of their own (a mail provider's double).</summary>
    public const string BrowserOwnHosts = "browser: own-settings hosts";

    /// <summary>The workflow worker killed at random while requests go through their lifecycle.</summary>
    public const string Faults = "faults: workflow worker killed";

    /// <summary>
    /// The big archive imports, one after the other: 50,000 messages killed at random (on a database of its own), and
    /// 20,000 followed in chromium. Side by side on two cores, the one followed in chromium did not finish in five minutes.
    /// </summary>
    public const string ArchiveImports = "archive imports: killed at random, followed in chromium";

    /// <summary>The lanes by how long they took in a whole run, longest first.</summary>
    public static readonly string[] SlowestFirst =
        [ArchiveImports, Faults, BrowserCasework, Browser, CasePages, Mail, StaffPages, Engine, Archive, BrowserOwnHosts, OwnHosts];

    // The lanes themselves: xunit finds these (public nested types too) and gives each lane one database.
    [CollectionDefinition(StaffPages)]
    public sealed class StaffPagesLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(CasePages)]
    public sealed class CasePagesLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(Engine)]
    public sealed class EngineLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(Mail)]
    public sealed class MailLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(OwnHosts)]
    public sealed class OwnHostsLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(Archive)]
    public sealed class ArchiveLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(Browser)]
    public sealed class BrowserLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(BrowserCasework)]
    public sealed class BrowserCaseworkLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(BrowserOwnHosts)]
    public sealed class BrowserOwnHostsLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(Faults)]
    public sealed class FaultsLane : ICollectionFixture<TestDatabase>;

    [CollectionDefinition(ArchiveImports)]
    public sealed class ArchiveImportsLane : ICollectionFixture<TestDatabase>;
}
