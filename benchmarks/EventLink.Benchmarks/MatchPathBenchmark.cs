using BenchmarkDotNet.Attributes;

namespace EventLink.Benchmarks;

/// <summary>
/// The match path: an event's raw relation value (<c>" Ada.Lovelace@Example.COM "</c>) to its profile id among
/// 1,000,000 profiles, through the engine's own <see cref="IdentityMatcher.Match"/>. Baseline: a
/// <c>Dictionary&lt;string, Guid&gt;</c> hit on the already-normalised key. Keys are visited in a fixed random
/// order so that, as in production, nearly every lookup misses the CPU caches.
/// </summary>
[MemoryDiagnoser]
public class MatchPathBenchmark
{
    private const int Profiles = 1_000_000;
    private const int Batch = 1024;

    private Dictionary<string, Guid> _dictionary = null!;
    private string[] _normalizedKeys = null!;
    private string[] _rawValues = null!;
    private IdentityIndex _index = null!;
    private EventLinkSchema _schema = null!;
    private IdentityKindDefinition _kind = null!;
    private int _cursor;

    [Params(IdentityKinds.Email, IdentityKinds.UserId)]
    public string Kind { get; set; } = IdentityKinds.Email;

    [GlobalSetup]
    public void Setup()
    {
        _schema = EventLinkSchema.Create(BenchmarkData.DefineSchema);
        _kind = _schema.IdentityKinds[Kind];
        var email = Kind == IdentityKinds.Email;
        _dictionary = new Dictionary<string, Guid>(StringComparer.Ordinal);
        _index = new IdentityIndex();
        for (var i = 0; i < Profiles; i++)
        {
            var profile = Guid.CreateVersion7();
            var value = email ? BenchmarkData.Email(i) : BenchmarkData.UserId(i);
            _dictionary[value] = profile;
            _index.Set(new IdentityKey(IdentityKinds.Email, BenchmarkData.Email(i)), profile);
            _index.Set(new IdentityKey(IdentityKinds.UserId, BenchmarkData.UserId(i)), profile);
        }

        // Both methods visit the same profiles in the same random order; lookup keys are separate string
        // instances, as keys parsed from a payload are.
        var order = BenchmarkData.Shuffled(Profiles);
        _normalizedKeys = new string[Profiles];
        _rawValues = new string[Profiles];
        for (var i = 0; i < Profiles; i++)
        {
            var p = order[i];
            _normalizedKeys[i] = email ? BenchmarkData.Email(p) : BenchmarkData.UserId(p);
            _rawValues[i] = email ? BenchmarkData.RawEmail(p) : BenchmarkData.RawUserId(p);
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int DictionaryOfNormalizedKey()
    {
        var keys = _normalizedKeys;
        var start = Next();
        var hits = 0;
        for (var i = start; i < start + Batch; i++)
        {
            if (_dictionary.TryGetValue(keys[i], out _))
            {
                hits++;
            }
        }

        return hits;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int EngineMatchOfRawValue()
    {
        var raws = _rawValues;
        var start = Next();
        var hits = 0;
        Span<char> buffer = stackalloc char[IdentityMatcher.BufferLength];
        for (var i = start; i < start + Batch; i++)
        {
            if (IdentityMatcher.Match(_schema, _index, _kind, raws[i], buffer, out _, out _) == IdentityMatchStatus.Matched)
            {
                hits++;
            }
        }

        return hits;
    }

    private int Next()
    {
        var start = _cursor;
        _cursor = start + 2 * Batch > Profiles ? 0 : start + Batch;
        return start;
    }
}
