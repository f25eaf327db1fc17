using Akka.Actor;
using MailIngest.Actors.Mailboxes;
using MailIngest.Actors.Storage.Sqlite;
using Xunit.Abstractions;

namespace MailIngest.Actors.Specs.Support;

/// <summary>
/// A TestKit whose system is a one-member cluster with the real mailbox region, journalling to a fresh
/// SQLite file. The system is terminated and the files deleted when the spec ends.
/// </summary>
public abstract class OneNodeClusterTestKit : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    /// <summary>Every Ask in the specs has a timeout: a lost reply must fail the spec, not hang it.</summary>
    protected static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Creates the spec on <paramref name="database"/>, whose journal file this system uses.</summary>
    protected OneNodeClusterTestKit(SpecDatabase database, string journalConnectionString, ITestOutputHelper output)
        : base(SpecConfig.Setup(journalConnectionString), "mailingest-spec", output)
    {
        Database = database;
        ContentStore = new SqliteContentStore(database.ContentConnectionString);
    }

    /// <summary>The content store on the spec's content file (sessions deliver to it, mailboxes release from it).</summary>
    protected SqliteContentStore ContentStore { get; }

    /// <summary>The spec's SQLite files.</summary>
    protected SpecDatabase Database { get; }

    /// <summary>The quota the region's mailboxes keep to; none unless a spec says.</summary>
    protected virtual MailboxQuota Quota => MailboxQuota.None;

    /// <summary>The mailbox shard region of <c>Sys</c>.</summary>
    protected IActorRef Region { get; private set; } = ActorRefs.Nobody;

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        await SqliteWriteAheadLog.EnableAsync(Database.ContentConnectionString, CancellationToken.None);
        await ContentStore.InitializeAsync(CancellationToken.None);
        Region = await MailboxCluster.StartAsync(Sys, ContentStore, Quota);
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await Sys.Terminate().WaitAsync(TimeSpan.FromSeconds(20));
        Database.Dispose();
    }
}
