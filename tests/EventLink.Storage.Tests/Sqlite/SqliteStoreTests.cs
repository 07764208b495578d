using EventLink.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static EventLink.Storage.Compliance.TestSchema;

namespace EventLink.Storage.Tests;

/// <summary>SQLite-only behaviour: schema versions, options, writer exclusion across store instances, key order.</summary>
public sealed class SqliteStoreTests(SqliteFixture fixture) : ContractTestBase<SqliteFixture>(fixture)
{
    [Fact]
    public async Task Opening_a_file_with_a_newer_schema_version_fails_with_both_versions()
    {
        const string Name = "newer";
        await (await Fixture.CreateStoreAsync(Name)).DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = 99 WHERE key = 'schema_version';";
            (await command.ExecuteNonQueryAsync()).Should().Be(1);
        }

        await using var store = new SqliteEventLinkStore(Fixture.OptionsOf(Name));
        var open = async () => await store.InitializeAsync();
        var error = (await open.Should().ThrowAsync<SqliteSchemaVersionException>()).Which;
        error.FileVersion.Should().Be(99);
        error.SupportedVersion.Should().Be(SqliteEventLinkStore.SchemaVersion);
        error.Message.Should().Contain("99").And.Contain($"up to {SqliteEventLinkStore.SchemaVersion}");
        error.Should().BeAssignableTo<InvalidOperationException>();

        var link = Build(new SqliteEventLinkStore(Fixture.OptionsOf(Name)), null, null);
        var ingest = async () => await link.IngestAsync(StripeCustomer("c", "a@example.com", Day(2026, 1, 1)));
        await ingest.Should().ThrowAsync<SqliteSchemaVersionException>();
    }

    [Fact]
    public async Task Due_times_stored_before_computed_states_were_packed_move_to_the_packed_rows()
    {
        const string Name = "packed-migration";
        var profile = Guid.CreateVersion7();
        var due = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var connection = await FileWithDefaultTenantAsync(Name))
        {
            // The file as version 6 left it: a due time in computed_due, and trait states one row each.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DROP TABLE computed;
                CREATE TABLE computed_due (tenant_key INTEGER NOT NULL, profile_id BLOB NOT NULL, due_at INTEGER NOT NULL, PRIMARY KEY (tenant_key, profile_id)) WITHOUT ROWID;
                CREATE INDEX ix_computed_due_at ON computed_due (tenant_key, due_at, profile_id);
                INSERT INTO computed_due SELECT tenant_key, $profile, $due FROM tenants WHERE name = 'default';
                INSERT INTO trait_states SELECT tenant_key, $profile, 0, 'visits', '3', '{"f":"x","c":3}' FROM tenants WHERE name = 'default';
                UPDATE meta SET value = 6 WHERE key = 'schema_version';
                """;
            command.Parameters.AddWithValue("$profile", profile.ToByteArray(bigEndian: true));
            command.Parameters.AddWithValue("$due", (due - DateTimeOffset.UnixEpoch).Ticks / 10);
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = new SqliteEventLinkStore(Fixture.OptionsOf(Name)))
        {
            await store.InitializeAsync();
            var state = await store.ReadComputedStateAsync("default", profile);
            state.DueAt.Should().Be(due);
            state.State.Should().BeNull();
            state.Traits.Select(t => t.Name).Should().Equal("visits");
            await using var session = await store.BeginAsync("default");
            (await session.GetDueProfilesAsync(due, 10)).Should().Equal(profile);
        }

        await using (var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name IN ('computed_due', 'ix_computed_due_at') OR (type = 'index' AND tbl_name = 'computed' AND name = 'ix_computed_due');";
            (await command.ExecuteScalarAsync()).Should().Be(1L, "the old table and its index are gone and the due index of the packed rows exists");
        }
    }

    [Fact]
    public async Task Memberships_stored_one_row_each_move_into_the_profiles_computed_rows_and_the_trigger_log_goes_on_from_its_rows()
    {
        const string Name = "membership-migration";
        var packed = Guid.CreateVersion7();
        var onlyMember = Guid.CreateVersion7();
        var entered = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        await using (var connection = await FileWithDefaultTenantAsync(Name))
        {
            // The file as version 7 left it: memberships one row each, the trigger log indexed by profile.
            await using var command = connection.CreateCommand();
            command.CommandText = """
                ALTER TABLE computed DROP COLUMN audiences;
                CREATE TABLE audience_members (tenant_key INTEGER NOT NULL, audience TEXT NOT NULL, profile_id BLOB NOT NULL, entered_at INTEGER NOT NULL, PRIMARY KEY (tenant_key, audience, profile_id)) WITHOUT ROWID;
                CREATE INDEX ix_audience_members_profile ON audience_members (tenant_key, profile_id);
                CREATE INDEX ix_triggers_profile ON triggers (tenant_key, profile_id);
                INSERT INTO computed (tenant_key, profile_id, state, due_at) SELECT tenant_key, $packed, x'0102', NULL FROM tenants WHERE name = 'default';
                INSERT INTO audience_members SELECT tenant_key, 'vip', $packed, $entered FROM tenants WHERE name = 'default';
                INSERT INTO audience_members SELECT tenant_key, 'active', $packed, $entered + 1 FROM tenants WHERE name = 'default';
                INSERT INTO audience_members SELECT tenant_key, 'vip', $only, $entered FROM tenants WHERE name = 'default';
                DROP TABLE trigger_batches;
                DELETE FROM meta WHERE key = 'trigger_seq';
                INSERT INTO triggers (tenant_key, kind, name, profile_id, event_id, at) SELECT tenant_key, 0, 'vip', $packed, 7, $entered FROM tenants WHERE name = 'default';
                INSERT INTO triggers (tenant_key, kind, name, profile_id, event_id, at) SELECT tenant_key, 0, 'vip', $only, NULL, $entered FROM tenants WHERE name = 'default';
                UPDATE meta SET value = 7 WHERE key = 'schema_version';
                """;
            command.Parameters.AddWithValue("$packed", packed.ToByteArray(bigEndian: true));
            command.Parameters.AddWithValue("$only", onlyMember.ToByteArray(bigEndian: true));
            command.Parameters.AddWithValue("$entered", (entered - DateTimeOffset.UnixEpoch).Ticks / 10);
            await command.ExecuteNonQueryAsync();
        }

        await using (var store = new SqliteEventLinkStore(Fixture.OptionsOf(Name)))
        {
            await store.InitializeAsync();
            var state = await store.ReadComputedStateAsync("default", packed);
            state.State.Should().Equal(1, 2);
            state.Audiences.Should().Equal(
                new AudienceMemberRow("active", packed, entered.AddTicks(10)),
                new AudienceMemberRow("vip", packed, entered));
            (await store.ReadComputedStateAsync("default", onlyMember)).Audiences.Should().Equal(new AudienceMemberRow("vip", onlyMember, entered));
            var vip = await store.ReadAudienceMembersAsync("default", "vip").ToListAsync();
            vip.Select(m => m.ProfileId).Should().BeEquivalentTo([packed, onlyMember]);
            vip.Select(m => m.ProfileId).Should().BeInAscendingOrder(Comparer<Guid>.Create((a, b) => a.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(b.ToByteArray(bigEndian: true))));

            // Entries appended now take sequences after the rows', and are read after them; an erasure takes a
            // profile's entries out of both.
            await using (var session = await store.BeginAsync("default"))
            {
                await session.AppendTriggerAsync(new TriggerRow(0, TriggerKind.AudienceExited, "vip", packed, null, entered.AddDays(1)));
                await session.AppendTriggerAsync(new TriggerRow(0, TriggerKind.AudienceEntered, "active", onlyMember, 9, entered.AddDays(2)));
                await session.CommitAsync();
            }

            var log = await store.ReadTriggersAsync("default", 0, 10);
            log.Select(t => (t.Sequence, t.Kind, t.Name, t.ProfileId, t.EventId, t.At)).Should().Equal(
                (1L, TriggerKind.AudienceEntered, "vip", packed, 7L, entered),
                (2L, TriggerKind.AudienceEntered, "vip", onlyMember, (long?)null, entered),
                (3L, TriggerKind.AudienceExited, "vip", packed, (long?)null, entered.AddDays(1)),
                (4L, TriggerKind.AudienceEntered, "active", onlyMember, 9L, entered.AddDays(2)));
            (await store.ReadTriggersAsync("default", 2, 1)).Select(t => t.Sequence).Should().Equal(3L);
            await using (var session = await store.BeginAsync("default"))
            {
                (await session.ForgetComputedAsync(packed)).Should().Be(2);
                await session.CommitAsync();
            }

            (await store.ReadTriggersAsync("default", 0, 10)).Select(t => (t.Sequence, t.ProfileId)).Should().Equal((2L, onlyMember), (4L, onlyMember));
        }

        await using (var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name IN ('audience_members', 'ix_audience_members_profile', 'ix_triggers_profile');";
            (await command.ExecuteScalarAsync()).Should().Be(0L, "the membership table and the log's profile index are gone");
        }
    }

    /// <summary>Creates the store's file with the tenant <c>default</c>, and opens a plain connection to it (to rewind it to an older layout).</summary>
    private async Task<SqliteConnection> FileWithDefaultTenantAsync(string name)
    {
        await using (var store = await Fixture.CreateStoreAsync(name))
        {
            await using var session = await store.BeginAsync("default");
            await session.CommitAsync();
        }

        var connection = new SqliteConnection($"Data Source={Fixture.PathOf(name)};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    [Fact]
    public async Task A_file_from_before_late_link_rows_migrates_and_links_its_waiting_events_through_them()
    {
        const string Name = "late-link-migration";
        Fixture.DeleteFiles(Name);
        Guid bob;
        await using (var link = Build(await Fixture.CreateStoreAsync(Name), null, null))
        {
            bob = (await link.IngestAsync([StripeCustomer("cus_b", "bob@example.com", Day(2026, 1, 1)), StripeCharge("ch_b", "bob@example.com", Day(2026, 1, 5), 100)]))[0].ProfileId!.Value;
            (await link.IngestAsync(StripeCharge("ch_a", "ada@example.com", Day(2026, 1, 6), 100))).Outcome.Should().Be(IngestOutcome.Quarantined);
        }

        await using (var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False"))
        {
            // The file as version 8 left it: no link rows.
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE event_links; UPDATE meta SET value = 8 WHERE key = 'schema_version';";
            await command.ExecuteNonQueryAsync();
        }

        await using (var link = Build(new SqliteEventLinkStore(Fixture.OptionsOf(Name)), null, null))
        {
            var ada = (await link.IngestAsync(StripeCustomer("cus_a", "ada@example.com", Day(2026, 1, 2)))).ProfileId!.Value;
            (await link.GetTimelineAsync(ada).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_a");
            (await link.GetTimelineAsync(bob).ToListAsync()).Select(e => e.RecordId).Should().Equal("ch_b");
            (await link.GetQuarantineAsync().ToListAsync()).Should().BeEmpty();
        }

        await using (var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT (SELECT value FROM meta WHERE key = 'schema_version') || '/' || (SELECT count(*) FROM event_links) || '/' || (SELECT count(*) FROM events WHERE profile_id IS NULL);";
            (await command.ExecuteScalarAsync()).Should().Be($"{SqliteEventLinkStore.SchemaVersion}/1/1", "the charge stored quarantined keeps its row and is linked by a link row");
        }
    }

    [Fact]
    public async Task Initializing_again_and_from_several_instances_at_once_is_idempotent()
    {
        const string Name = "idempotent";
        Fixture.DeleteFiles(Name);
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteEventLinkStore(Fixture.OptionsOf(Name))).ToList();
        await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.InitializeAsync())));
        await stores[0].InitializeAsync();
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        await using var connection = new SqliteConnection($"Data Source={Fixture.PathOf(Name)};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'schema_version'; ";
        (await command.ExecuteScalarAsync()).Should().Be(SqliteEventLinkStore.SchemaVersion);
        command.CommandText = "PRAGMA journal_mode;";
        (await command.ExecuteScalarAsync()).Should().Be("wal");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=x.db;Mode=Memory")]
    [InlineData("Data Source=x.db;Mode=ReadOnly")]
    public void Options_that_cannot_hold_a_store_are_refused(string connectionString)
    {
        var create = () => new SqliteEventLinkStore(new SqliteEventLinkStoreOptions { ConnectionString = connectionString });
        create.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Negative_busy_timeout_is_refused()
    {
        var create = () => new SqliteEventLinkStore(new SqliteEventLinkStoreOptions { ConnectionString = "Data Source=x.db", BusyTimeout = TimeSpan.FromSeconds(-1) });
        create.Should().Throw<ArgumentException>().WithMessage("*BusyTimeout*");
    }

    [Fact]
    public async Task UseSqlite_registers_the_sqlite_store()
    {
        Fixture.DeleteFiles("di");
        var services = new ServiceCollection();
        services.AddEventLink(el => el.AddSchema(Define).UseSqlite($"Data Source={Fixture.PathOf("di")}"));
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<EventLinkStore>().Should().BeOfType<SqliteEventLinkStore>();
        var link = provider.GetRequiredService<IEventLink>();
        (await link.IngestAsync(StripeCustomer("c1", "a@example.com", Day(2026, 1, 1)))).Outcome.Should().Be(IngestOutcome.Created);

        var builder = new EventLinkBuilder();
        builder.AddSchema(Define).UseSqlite(o =>
        {
            o.ConnectionString = $"Data Source={Fixture.PathOf("di")}";
            o.Synchronous = SqliteSynchronousMode.Normal;
        });
        var second = builder.Build();
        await using ((IAsyncDisposable)second)
        {
            (await second.FindProfileAsync(IdentityKinds.Email, "a@example.com")).Should().NotBeNull();
        }
    }

    [Fact]
    public async Task A_session_keeps_other_store_instances_on_the_same_file_from_writing_until_it_ends()
    {
        await using var first = await Fixture.CreateStoreAsync("exclusive");
        await using var second = await Fixture.OpenStoreAsync("exclusive");

        var session = await first.BeginAsync("t");
        await session.CreateProfileAsync(new ProfileRow(Guid.CreateVersion7(), "person", Day(2026, 1, 1)));
        var waiting = Task.Run(async () => await second.BeginAsync("t"));
        (await Task.WhenAny(waiting, Task.Delay(300))).Should().NotBeSameAs(waiting, "the first session holds the write lock");

        var version = await session.CommitAsync();
        await session.DisposeAsync();
        var next = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await using (next)
        {
            next.Version.Should().Be(version, "the second writer sees the first one's commit");
            version.Should().Be(1);
        }
    }

    [Fact]
    public async Task A_second_instance_on_the_same_file_sees_the_first_ones_identities()
    {
        var one = await CreateAsync();
        var two = await ReopenAsync();
        await one.IngestAsync(StripeCustomer("c1", "a@example.com", Day(2026, 1, 1)));
        (await two.IngestAsync(StripeCharge("ch1", "a@example.com", Day(2026, 1, 2), 10))).Outcome.Should().Be(IngestOutcome.Linked);
        await two.IngestAsync(StripeCustomer("c2", "b@example.com", Day(2026, 1, 3)));
        (await one.IngestAsync(StripeCharge("ch2", "b@example.com", Day(2026, 1, 4), 10))).Outcome.Should().Be(IngestOutcome.Linked);
        (await one.IngestAsync(StripeCharge("ch1", "a@example.com", Day(2026, 1, 2), 10))).Outcome.Should().Be(IngestOutcome.Duplicate);
    }

    [Fact]
    public async Task Sessions_roll_back_unless_committed_and_bump_the_version_only_on_change()
    {
        await using var store = await Fixture.CreateStoreAsync("rollback");
        var id = Guid.CreateVersion7();
        await using (var session = await store.BeginAsync("t"))
        {
            await session.CreateProfileAsync(new ProfileRow(id, "person", Day(2026, 1, 1)));
        }

        await using (var session = await store.BeginAsync("t"))
        {
            session.Version.Should().Be(0);
            (await session.GetProfileAsync(id)).Should().BeNull("the uncommitted profile was rolled back");
            await session.AddRejectionAsync(new RejectionRow("s", "r", "k", IngestReason.MalformedJson, "bad", Day(2026, 1, 1)));
            (await session.CommitAsync()).Should().Be(1);
        }

        await using (var session = await store.BeginAsync("t"))
        {
            await session.AddRejectionAsync(new RejectionRow("s", "r", "k", IngestReason.MalformedJson, "bad again", Day(2026, 1, 2)));
            (await session.CommitAsync()).Should().Be(1, "a rejection already noted changes nothing");
        }

        (await store.ReadRejectionsAsync("t").ToListAsync()).Should().ContainSingle().Which.Message.Should().Be("bad");
        (await store.ReadRejectionsAsync("other").ToListAsync()).Should().BeEmpty("tenants are separate");
    }

    [Fact]
    public async Task Profiles_are_read_in_Guid_order_whatever_their_bytes()
    {
        await using var store = await Fixture.CreateStoreAsync("order");
        var ids = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();
        await using (var session = await store.BeginAsync("t"))
        {
            foreach (var id in ids)
            {
                await session.CreateProfileAsync(new ProfileRow(id, "person", Day(2026, 1, 1)));
            }

            await session.CommitAsync();
        }

        (await store.ReadProfilesAsync("t").Select(p => p.Profile.Id).ToListAsync()).Should().Equal(ids.Order());
    }

    [Fact]
    public async Task Events_inserted_in_bulk_skip_duplicates_in_the_store_and_in_the_batch()
    {
        await using var store = await Fixture.CreateStoreAsync("bulk");
        EventRow Row(string id) => new(0, "stripe", id, "charge", "charge.succeeded", Day(2026, 1, 1), Day(2026, 1, 2), null, -1, IngestReason.NoMatchingProfile, "none", "{}");
        await using var session = await store.BeginAsync("t");
        var first = await session.TryInsertEventsAsync([Row("a"), Row("b")]);
        first.Should().OnlyContain(id => id != null);
        var second = await session.TryInsertEventsAsync([Row("b"), Row("c"), Row("c")]);
        second[0].Should().BeNull();
        second[1].Should().NotBeNull().And.BeGreaterThan(first[1]!.Value);
        second[2].Should().BeNull();
        await session.CommitAsync();
        (await store.ReadEventsAsync("t").Select(e => e.RecordId).ToListAsync()).Should().Equal("a", "b", "c");
    }
}
