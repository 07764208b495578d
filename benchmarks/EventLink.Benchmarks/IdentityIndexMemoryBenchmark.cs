using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EventLink.Benchmarks;

/// <summary>
/// Memory of the identity index: 1,000,000 profiles with an e-mail and a user id each. The timed methods
/// build the structure; the <c>B/profile</c> column is what it retains (forced full GC before and after,
/// measured once in the host process). Baseline: one <c>Dictionary&lt;string, Guid&gt;</c> per kind.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
public class IdentityIndexMemoryBenchmark
{
    public const int Profiles = 1_000_000;

    private string[] _emails = null!;
    private string[] _userIds = null!;
    private Guid[] _profiles = null!;

    [GlobalSetup]
    public void Setup() => (_emails, _userIds, _profiles) = Data();

    [Benchmark(Baseline = true)]
    public object DictionaryPerKind() => BuildDictionaries(_emails, _userIds, _profiles);

    [Benchmark]
    public object IdentityIndex() => BuildIndex(_emails, _userIds, _profiles);

    internal static (string[] Emails, string[] UserIds, Guid[] Profiles) Data()
    {
        var emails = new string[Profiles];
        var userIds = new string[Profiles];
        var profiles = new Guid[Profiles];
        for (var i = 0; i < Profiles; i++)
        {
            emails[i] = BenchmarkData.Email(i);
            userIds[i] = BenchmarkData.UserId(i);
            profiles[i] = Guid.CreateVersion7();
        }

        return (emails, userIds, profiles);
    }

    internal static object BuildDictionaries(string[] emails, string[] userIds, Guid[] profiles)
    {
        // The strings are copied: an index loaded from a store owns its keys.
        var byEmail = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var byUserId = new Dictionary<string, Guid>(StringComparer.Ordinal);
        for (var i = 0; i < profiles.Length; i++)
        {
            byEmail[new string(emails[i])] = profiles[i];
            byUserId[new string(userIds[i])] = profiles[i];
        }

        return (byEmail, byUserId);
    }

    internal static object BuildIndex(string[] emails, string[] userIds, Guid[] profiles)
    {
        var index = new EventLink.IdentityIndex();
        for (var i = 0; i < profiles.Length; i++)
        {
            index.Set(new IdentityKey(IdentityKinds.Email, emails[i]), profiles[i]);
            index.Set(new IdentityKey(IdentityKinds.UserId, userIds[i]), profiles[i]);
        }

        return index;
    }

    /// <summary>Retained bytes per profile: what stays reachable after a forced full GC.</summary>
    internal static double RetainedBytesPerProfile(string method)
    {
        var (emails, userIds, profiles) = Data();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var built = method == nameof(DictionaryPerKind) ? BuildDictionaries(emails, userIds, profiles) : BuildIndex(emails, userIds, profiles);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(built);
        GC.KeepAlive(emails);
        GC.KeepAlive(userIds);
        return (after - before) / (double)Profiles;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new RetainedColumn());
    }

    private sealed class RetainedColumn : IColumn
    {
        private readonly Dictionary<string, string> _values = [];

        public string Id => "RetainedPerProfile";

        public string ColumnName => "B/profile";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Custom;

        public int PriorityInCategory => 0;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Dimensionless;

        public string Legend => "Bytes retained per profile (e-mail + user id) after a forced full GC";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var method = benchmarkCase.Descriptor.WorkloadMethod.Name;
            if (!_values.TryGetValue(method, out var value))
            {
                value = RetainedBytesPerProfile(method).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
                _values[method] = value;
            }

            return value;
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
