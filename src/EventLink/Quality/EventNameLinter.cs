using System.Text.RegularExpressions;

namespace EventLink;

/// <summary>The naming convention <see cref="EventNameLinter"/> checks.</summary>
public sealed class TaxonomyConvention
{
    /// <summary>Gets or sets the pattern a name must match.</summary>
    /// <value>The default value is snake_case with at least two words: <c>^[a-z][a-z0-9]*(_[a-z0-9]+)+$</c> (<c>object_action</c>).</value>
    public string Pattern { get; set; } = "^[a-z][a-z0-9]*(_[a-z0-9]+)+$";

    /// <summary>Gets or sets whether the last word must be a past-tense verb (<c>invitation_sent</c>, <c>checklist_completed</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequirePastTenseVerb { get; set; } = true;

    /// <summary>Gets the words that make a name vague, wherever they appear.</summary>
    /// <value>The default value is a list such as <c>clicked</c>, <c>engaged</c>, <c>interacted</c>, <c>event</c>, <c>stuff</c>, <c>thing</c>, <c>data</c>, <c>action</c>, <c>misc</c>, <c>test</c>.</value>
    public HashSet<string> VagueWords { get; } = new(StringComparer.Ordinal)
    {
        "clicked", "engaged", "interacted", "used", "visited", "happened", "did", "done", "triggered", "fired", "tracked", "performed",
        "event", "events", "stuff", "thing", "things", "data", "action", "actions", "misc", "other", "test", "tmp", "temp", "generic", "something",
    };

    /// <summary>Gets irregular past-tense verbs accepted besides words ending in <c>ed</c>.</summary>
    public HashSet<string> IrregularPastTense { get; } = new(StringComparer.Ordinal)
    {
        "sent", "paid", "made", "built", "bought", "sold", "won", "lost", "seen", "read", "left", "begun", "held", "set", "put", "cut", "run",
        "taken", "given", "written", "chosen", "drawn", "shown", "known", "grown", "thrown", "spent", "kept", "met", "found", "brought",
        "caught", "taught", "bound", "split", "shut", "hidden", "ridden", "broken", "spoken", "forgotten", "frozen", "woken", "struck",
        "hung", "led", "fed", "dealt", "felt", "meant", "heard", "told", "quit", "upgraded", "rebuilt", "undone", "withdrawn", "overridden",
    };
}

/// <summary>A problem of an event name.</summary>
/// <param name="Name">The event name.</param>
/// <param name="Rule">The rule broken: <c>pattern</c>, <c>vague</c>, <c>numbered</c> or <c>past-tense</c>.</param>
/// <param name="Message">A readable explanation with a hint.</param>
public sealed record TaxonomyIssue(string Name, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Message;
}

/// <summary>
/// Checks event names against a naming convention (by default <c>object_action</c> in snake_case with a past-tense
/// verb, such as <c>invitation_sent</c>). Pure and thread-safe: run it in a unit test over your event dictionary.
/// </summary>
public sealed class EventNameLinter
{
    private readonly TaxonomyConvention _convention;
    private readonly Regex _pattern;

    /// <summary>Initializes a new instance of the <see cref="EventNameLinter"/> class.</summary>
    /// <param name="convention">The convention; the default one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The convention's pattern is not a valid regular expression.</exception>
    public EventNameLinter(TaxonomyConvention? convention = null)
    {
        _convention = convention ?? new TaxonomyConvention();
        try
        {
            _pattern = new Regex(_convention.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"TaxonomyConvention.Pattern is not a valid regular expression: {ex.Message}", nameof(convention), ex);
        }
    }

    /// <summary>Gets a linter with the default convention.</summary>
    public static EventNameLinter Default { get; } = new();

    /// <summary>Checks one name.</summary>
    /// <param name="name">The event name.</param>
    /// <returns>Its problems; empty when it follows the convention.</returns>
    public IReadOnlyList<TaxonomyIssue> Lint(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var issues = new List<TaxonomyIssue>();
        if (!_pattern.IsMatch(name))
        {
            issues.Add(new(name, "pattern", $"'{name}' does not follow the convention {_convention.Pattern} (e.g. object_action: invitation_sent)"));
        }

        var words = Regex.Split(name.ToLowerInvariant(), "[^a-z0-9]+").Where(w => w.Length > 0).ToArray();
        var vague = words.Where(w => _convention.VagueWords.Contains(w)).ToList();
        if (vague.Count > 0 || words.Length == 0)
        {
            issues.Add(new(name, "vague", $"'{name}' is vague ({string.Join(", ", vague.DefaultIfEmpty("no words"))}): name the object and what happened to it"));
        }

        if (words.Any(w => w.Length > 0 && char.IsDigit(w[^1])))
        {
            issues.Add(new(name, "numbered", $"'{name}' ends a word with a number: numbered names say nothing about the event"));
        }

        if (_convention.RequirePastTenseVerb && words.Length > 0 && !IsPastTense(words[^1]))
        {
            issues.Add(new(name, "past-tense", $"'{name}' does not end in a past-tense verb (e.g. '{string.Join('_', words)}_completed')"));
        }

        return issues;
    }

    /// <summary>Checks many names, such as an event dictionary.</summary>
    /// <param name="names">The names.</param>
    /// <returns>Every problem, in the order of the names.</returns>
    public IReadOnlyList<TaxonomyIssue> Lint(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return [.. names.Distinct(StringComparer.Ordinal).SelectMany(Lint)];
    }

    /// <summary>Checks whether a name follows the convention.</summary>
    /// <param name="name">The event name.</param>
    /// <returns><see langword="true"/> when it has no problems.</returns>
    public bool IsValid(string name) => Lint(name).Count == 0;

    private bool IsPastTense(string word) =>
        _convention.IrregularPastTense.Contains(word) || (word.Length > 3 && word.EndsWith("ed", StringComparison.Ordinal));
}
