namespace EventLink.Tests.Schema;

public sealed class SchemaValidationTests
{
    private static SchemaValidationException Invalid(Action<SchemaBuilder> define)
    {
        var act = () => EventLinkSchema.Create(define);
        return act.Should().Throw<SchemaValidationException>().Which;
    }

    [Fact]
    public void A_relation_to_an_unknown_record_type_names_the_type_and_field() =>
        Invalid(s => s.AppendOnly("charge", t => t.RelatesTo("customer_email", "custmer")))
            .Errors.Should().Contain("Record type 'charge': relation field 'customer_email' points at unknown record type 'custmer'.");

    [Fact]
    public void A_relation_by_an_identity_the_target_does_not_declare_is_refused() =>
        Invalid(s => s
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("event", t => t.RelatesTo("user_id", "customer", IdentityKinds.UserId)))
            .Errors.Should().Contain("Record type 'event': relation field 'user_id' matches 'customer' by identity kind 'user_id', but 'customer' declares no identity of that kind.");

    [Fact]
    public void A_relation_to_an_append_only_type_is_refused() =>
        Invalid(s => s
                .Merged("customer", t => t.Identity("email"))
                .AppendOnly("charge", t => t.RelatesTo("email", "customer"))
                .AppendOnly("refund", t => t.RelatesTo("charge_id", "charge")))
            .Errors.Should().ContainMatch("*relation field 'charge_id' points at 'charge', which is append-only*");

    [Fact]
    public void Record_type_names_differing_only_in_case_are_duplicates()
    {
        var options = new EventLinkSchemaOptions();
        new SchemaBuilder(options)
            .Merged("customer", t => t.Identity("email"))
            .Merged("Customer", t => t.Identity("email"));
        var act = () => EventLinkSchema.Create(options);
        act.Should().Throw<SchemaValidationException>().Which.Errors.Should().ContainMatch("*'customer' is declared twice*");
    }

    [Fact]
    public void A_type_declared_as_merged_and_append_only_fails_at_once()
    {
        var act = () => EventLinkSchema.Create(s => s
            .Merged("customer", t => t.Identity("email"))
            .AppendOnly("customer", t => t.RelatesTo("email", "customer")));
        act.Should().Throw<SchemaValidationException>().WithMessage("Record type 'customer' is declared both as Merged and as AppendOnly.");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var errors = Invalid(s => s
            .Merged("customer", t => t.RecordId("").OccurredAt("a..b"))
            .AppendOnly("charge", t => t.RelatesTo("email", "customer", "shoe_size"))
            .MergeRule("plan", MergeRuleKind.SourcePriority)).Errors;

        errors.Should().Contain("The merge rule of attribute 'plan' is SourcePriority but lists no sources.");
        errors.Should().Contain("Record type 'customer' is merged but declares no identity field; declare at least one (such as 'email').");
        errors.Should().ContainMatch("Record type 'customer': the record id selector is invalid:*");
        errors.Should().ContainMatch("Record type 'customer': the occurred-at selector is invalid:*empty property name*");
        errors.Should().Contain("Record type 'charge': relation field 'email' has unknown identity kind 'shoe_size'.");
    }

    [Fact]
    public void Identity_kinds_are_owned_by_one_entity() =>
        Invalid(s => s
                .Merged("customer", t => t.Identity("email"))
                .Merged("company", t => t.Entity("account").Identity("billing_email")))
            .Errors.Should().ContainMatch("*identity kind 'email' for entity*give each entity its own identity kind*");

    [Fact]
    public void An_append_only_type_needs_a_relation_and_relations_must_reach_one_entity()
    {
        Invalid(s => s.Merged("customer", t => t.Identity("email")).AppendOnly("charge", _ => { }))
            .Errors.Should().ContainMatch("*'charge' is append-only but declares no relation field*");
        Invalid(s => s
                .Merged("customer", t => t.Identity("email"))
                .Merged("company", t => t.Entity("account").Identity("domain", "domain"))
                .IdentityKind("domain", IdentityNormalization.LowerCase)
                .AppendOnly("deal", t => t.RelatesTo("email", "customer").RelatesTo("domain", "company", "domain")))
            .Errors.Should().ContainMatch("*relation fields point at different entities (person, account)*");
    }

    [Fact]
    public void An_empty_schema_is_refused() =>
        Invalid(_ => { }).Errors.Should().Contain("The schema declares no record types.");
}
