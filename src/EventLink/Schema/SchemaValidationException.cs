namespace EventLink;

/// <summary>The schema is invalid; the message names the record type and field at fault.</summary>
public sealed class SchemaValidationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SchemaValidationException"/> class.</summary>
    public SchemaValidationException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SchemaValidationException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    public SchemaValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SchemaValidationException"/> class.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SchemaValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SchemaValidationException"/> class with every problem found.</summary>
    /// <param name="errors">The problems, one sentence each.</param>
    public SchemaValidationException(IReadOnlyList<string> errors)
        : base("The EventLink schema is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = [];
}
