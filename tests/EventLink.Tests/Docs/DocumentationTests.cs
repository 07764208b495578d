using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using EventLink.PostgreSql;
using EventLink.Sqlite;

namespace EventLink.Tests.Docs;

/// <summary>
/// Keeps README.md and docs/ honest: every C# snippet is the compiled code of a region in
/// samples/EventLink.Samples.Snippets, every JSON snippet parses, and every option is documented.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var page in MarkdownPages())
        {
            data.Add(Path.GetRelativePath(Root, page));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_CSharp_snippet_is_a_compiled_region_of_the_snippets_project(string page)
    {
        var regions = Regions();
        foreach (var block in CodeBlocks(Path.Combine(Root, page)).Where(b => b.Language == "csharp"))
        {
            block.Snippet.Should().NotBeNull($"the C# block at {page}:{block.Line} must be preceded by <!-- snippet: name --> naming a region of samples/EventLink.Samples.Snippets");
            regions.Should().ContainKey(block.Snippet!, $"{page}:{block.Line} names snippet '{block.Snippet}'");
            block.Code.Should().Be(regions[block.Snippet!], $"{page}:{block.Line} must show the compiled code of region '{block.Snippet}'");
        }
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_JSON_snippet_parses(string page)
    {
        foreach (var block in CodeBlocks(Path.Combine(Root, page)).Where(b => b.Language == "json"))
        {
            var parse = () => JsonDocument.Parse(block.Code).Dispose();
            parse.Should().NotThrow($"the JSON block at {page}:{block.Line} must be valid JSON");
        }
    }

    [Fact]
    public void Every_snippet_region_is_shown_somewhere()
    {
        var used = MarkdownPages().SelectMany(CodeBlocks).Select(b => b.Snippet).OfType<string>().ToHashSet();
        Regions().Keys.Should().BeSubsetOf(used, "a region no page shows is dead documentation");
    }

    public static TheoryData<string, Type> OptionTypes() => new()
    {
        { "docs/configuration.md", typeof(EventLinkOptions) },
        { "docs/configuration.md", typeof(EventLinkSchemaOptions) },
        { "docs/configuration.md", typeof(RecordTypeOptions) },
        { "docs/configuration.md", typeof(IdentityFieldOptions) },
        { "docs/configuration.md", typeof(AttributeOptions) },
        { "docs/configuration.md", typeof(RelationOptions) },
        { "docs/configuration.md", typeof(MergeRuleOptions) },
        { "docs/configuration.md", typeof(IdentityKindOptions) },
        { "docs/configuration.md", typeof(MembershipOptions) },
        { "docs/sqlite.md", typeof(SqliteEventLinkStoreOptions) },
        { "docs/stores.md", typeof(PostgreSqlEventLinkStoreOptions) },
        { "docs/destinations.md", typeof(EventLinkSyncOptions) },
        { "docs/destinations.md", typeof(SyncDefinition) },
        { "docs/destinations.md", typeof(HttpWebhookDestinationOptions) },
        { "docs/destinations.md", typeof(EventLinkPrivacyOptions) },
        { "docs/data-quality.md", typeof(DataQualityOptions) },
        { "docs/data-quality.md", typeof(ContractOptions) },
        { "docs/data-quality.md", typeof(PropertyContractOptions) },
        { "docs/data-quality.md", typeof(TransformationOptions) },
        { "docs/data-quality.md", typeof(EventRenameOptions) },
        { "docs/data-quality.md", typeof(SchemaDriftOptions) },
        { "docs/data-quality.md", typeof(AnomalyOptions) },
        { "docs/presets.md", typeof(EventLink.Presets.PresetOptions) },
        { "docs/traits.md", typeof(TraitsOptions) },
        { "docs/traits.md", typeof(ComputedTraitOptions) },
        { "docs/traits.md", typeof(EventFilterOptions) },
        { "docs/traits.md", typeof(PropertyConditionOptions) },
        { "docs/traits.md", typeof(AudienceOptions) },
        { "docs/traits.md", typeof(AudienceConditionOptions) },
        { "docs/traits.md", typeof(EventTriggerOptions) },
        { "docs/kafka.md", typeof(EventLink.Kafka.KafkaSourceOptions) },
        { "docs/kafka.md", typeof(EventLink.Kafka.KafkaTopicOptions) },
    };

    [Theory]
    [MemberData(nameof(OptionTypes))]
    public void Every_option_is_documented(string page, Type options)
    {
        var table = OptionTable(File.ReadAllLines(Path.Combine(Root, page)), options.Name);
        table.Should().NotBeNull($"{page} must have a table for {options.Name} (a '## {options.Name}' section or a table whose header names `{options.Name}`)");
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            table.Should().Contain(property.Name, $"{options.Name}.{property.Name} must be documented in {page}");
        }
    }

    [Fact]
    public void Every_public_options_class_is_checked()
    {
        var checkedTypes = OptionTypes().Select(row => (Type)row[1]).ToHashSet();
        var all = new[] { typeof(EventLinkOptions).Assembly, typeof(SqliteEventLinkStoreOptions).Assembly, typeof(PostgreSqlEventLinkStoreOptions).Assembly, typeof(EventLink.Kafka.KafkaSourceOptions).Assembly }
            .SelectMany(a => a.GetExportedTypes())
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.IsClass);
        all.Should().BeSubsetOf(checkedTypes, "a new options class needs its reference table and a row here");
    }

    private static HashSet<string>? OptionTable(string[] lines, string typeName)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var heading = lines[i].StartsWith('#') && lines[i].TrimStart('#').Trim() == typeName;
            var header = lines[i].StartsWith('|') && lines[i].Contains($"`{typeName}`", StringComparison.Ordinal) &&
                i + 1 < lines.Length && lines[i + 1].StartsWith("| ---", StringComparison.Ordinal);
            if (!heading && !header)
            {
                continue;
            }

            // The table under the heading, or the one this header starts: its rows end at the first other line.
            var names = new HashSet<string>(StringComparer.Ordinal);
            var inTable = false;
            for (var j = i + 1; j < lines.Length && !lines[j].StartsWith('#'); j++)
            {
                if (!lines[j].StartsWith('|'))
                {
                    if (inTable)
                    {
                        break;
                    }

                    continue;
                }

                inTable = true;
                if (OptionRow().Match(lines[j]) is { Success: true } row)
                {
                    names.Add(row.Groups[1].Value);
                }
            }

            return names;
        }

        return null;
    }

    private static Dictionary<string, string> Regions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "samples", "EventLink.Samples.Snippets"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
                file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var start = RegionStart().Match(lines[i]);
                if (!start.Success)
                {
                    continue;
                }

                var end = Array.FindIndex(lines, i + 1, l => l.Trim() == "#endregion");
                regions.Add(start.Groups[1].Value, Dedent(lines[(i + 1)..end]));
            }
        }

        return regions;
    }

    private static IEnumerable<string> MarkdownPages() =>
        Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Prepend(Path.Combine(Root, "README.md"));

    private static IEnumerable<CodeBlock> CodeBlocks(string page)
    {
        var lines = File.ReadAllLines(page);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal) || lines[i].Length <= 3)
            {
                continue;
            }

            var language = lines[i][3..].Trim();
            var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            var previous = i > 0 ? SnippetMarker().Match(lines[i - 1]) : Match.Empty;
            yield return new CodeBlock(language, i + 1, previous.Success ? previous.Groups[1].Value : null, string.Join('\n', lines[(i + 1)..end]).TrimEnd());
            i = end;
        }
    }

    private static string Dedent(string[] lines)
    {
        var indent = lines.Where(l => l.Trim().Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..].TrimEnd() : l.TrimEnd())).TrimEnd();
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EventLink.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("EventLink.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*#region\s+(\S+)\s*$")]
    private static partial Regex RegionStart();

    [GeneratedRegex(@"^<!--\s*snippet:\s*(\S+)\s*-->$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\|\s*`([A-Za-z0-9]+)`\s*\|")]
    private static partial Regex OptionRow();

    private sealed record CodeBlock(string Language, int Line, string? Snippet, string Code);
}
