using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// The match path with tenants: each event's tenant name finds the tenant's identity index (as the engine does, in a
/// <see cref="ConcurrentDictionary{TKey, TValue}"/> keyed by tenant), then <see cref="IdentityMatcher.Match"/> turns
/// the raw relation value into the profile id. The same 1,000,000 identities either in one tenant (the baseline) or
/// spread over 100 tenants of 10,000 each, with events arriving for tenants and identities in a fixed random order.
/// </summary>
[MemoryDiagnoser]
public class TenantMatchPathBenchmark
{
    private const int Identities = 1_000_000;
    private const int Batch = 1024;

    private ConcurrentDictionary<string, IdentityIndex> _oneTenant = null!;
    private ConcurrentDictionary<string, IdentityIndex> _hundredTenants = null!;
    private string[] _singleTenantNames = null!;
    private string[] _tenantNames = null!;
    private string[] _rawValues = null!;
    private EventLinkSchema _schema = null!;
    private IdentityKindDefinition _kind = null!;
    private int _cursor;

    [GlobalSetup]
    public void Setup()
    {
        _schema = EventLinkSchema.Create(BenchmarkData.DefineSchema);
        _kind = _schema.IdentityKinds[IdentityKinds.Email];
        const int tenants = 100;
        var names = Enumerable.Range(0, tenants).Select(t => $"workspace-{t:D3}").ToArray();
        _oneTenant = new ConcurrentDictionary<string, IdentityIndex>(StringComparer.Ordinal) { ["default"] = new IdentityIndex() };
        _hundredTenants = new ConcurrentDictionary<string, IdentityIndex>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            _hundredTenants[name] = new IdentityIndex();
        }

        // Identity i belongs to tenant i % 100 (in the multi-tenant layout); both layouts hold the same identities.
        for (var i = 0; i < Identities; i++)
        {
            var key = new IdentityKey(IdentityKinds.Email, BenchmarkData.Email(i));
            var profile = Guid.CreateVersion7();
            _oneTenant["default"].Set(key, profile);
            _hundredTenants[names[i % tenants]].Set(key, profile);
        }

        var order = BenchmarkData.Shuffled(Identities);
        _rawValues = new string[Identities];
        _tenantNames = new string[Identities];
        _singleTenantNames = new string[Identities];
        for (var i = 0; i < Identities; i++)
        {
            var p = order[i];
            _rawValues[i] = BenchmarkData.RawEmail(p);

            // Separate string instances, as a tenant name read from a request is.
            _tenantNames[i] = new string(names[p % tenants]);
            _singleTenantNames[i] = new string("default");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int OneTenant() => Run(_oneTenant, _singleTenantNames);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int HundredTenants() => Run(_hundredTenants, _tenantNames);

    private int Run(ConcurrentDictionary<string, IdentityIndex> tenants, string[] tenantNames)
    {
        var raws = _rawValues;
        var start = Next();
        var hits = 0;
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        for (var i = start; i < start + Batch; i++)
        {
            var index = tenants[tenantNames[i]];
            if (IdentityMatcher.Match(_schema, index, _kind, raws[i], buffer, out _, out _) == IdentityMatchStatus.Matched)
            {
                hits++;
            }
        }

        return hits;
    }

    private int Next()
    {
        var start = _cursor;
        _cursor = start + 2 * Batch > Identities ? 0 : start + Batch;
        return start;
    }
}
