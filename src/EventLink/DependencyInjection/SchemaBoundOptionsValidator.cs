using Microsoft.Extensions.Options;

namespace EventLink;

/// <summary>
/// Validates options that are checked against the schema (data quality, traits) at start-up: the schema is compiled
/// from its options, and <paramref name="validate"/> lists what is wrong. A schema that does not compile is left to
/// the schema's own validator (the result is skipped), so the error is reported once.
/// </summary>
/// <typeparam name="TOptions">The options.</typeparam>
internal sealed class SchemaBoundOptionsValidator<TOptions>(
    IOptions<EventLinkSchemaOptions> schema, Func<EventLinkSchema, TOptions, IReadOnlyList<string>> validate) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        EventLinkSchema compiled;
        try
        {
            compiled = EventLinkSchema.Create(schema.Value);
        }
        catch (Exception ex) when (ex is SchemaValidationException or OptionsValidationException)
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = validate(compiled, options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
