namespace EventLink.Samples.Snippets;

/// <summary>Snippets of docs/data-quality.md and README.md.</summary>
public static class QualitySnippets
{
    public static async Task QualityAsync()
    {
        #region quality-configure
        await using var link = new EventLinkBuilder()
            .AddSchema(ConceptSnippets.Schema)
            .AddDataQuality(q =>
            {
                q.AddContract("charge", c =>
                {
                    c.Property("amount", PropertyType.Integer, required: true);
                    c.Property("currency", PropertyType.String).OneOf("usd", "eur");
                    c.Property("customer_email", PropertyType.String).WithFormat(StringFormat.Email);
                }, ContractPolicy.Quarantine);
                q.Transform("charge", t => t
                    .Rename("amt", "amount")
                    .Drop("card_number")
                    .Set("currency", "\"usd\"")
                    .MapValues("plan_type", new Dictionary<string, string> { ["Pro Plan"] = "pro" })
                    .FilterWhen("livemode", "false"));
                q.RenameEvent("charge.succeeded", "payment_succeeded", effectiveFrom: new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
            })
            .Build();
        #endregion
    }

    public static async Task ReadmeAsync(EventLinkBuilder builder, IEventLink link)
    {
        #region readme-quality
        builder.AddDataQuality(q => q
            .AddContract("charge", c => c.Property("amount", PropertyType.Integer, required: true)));
        var drift = await link.GetSchemaDriftAsync();          // field → types seen, TypeChanged / NewField / StoppedArriving
        var anomalies = await link.GetAnomaliesAsync(TimeSpan.FromDays(1));
        #endregion
    }

    public static IReadOnlyList<TaxonomyIssue> Lint(IEnumerable<string> eventNames)
    {
        #region quality-lint
        var issues = EventNameLinter.Default.Lint(eventNames);   // empty when every name follows the convention
        foreach (var issue in issues)
        {
            Console.WriteLine(issue);
        }
        #endregion

        return issues;
    }
}
