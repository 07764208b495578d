namespace EventLink.Testing;

/// <summary>
/// An expectation of an <see cref="EventLinkTestHost"/> did not hold. Test frameworks report it as a failure;
/// the message shows expected and actual state and how the records involved were linked.
/// </summary>
public sealed class EventLinkAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EventLinkAssertionException"/> class.</summary>
    public EventLinkAssertionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventLinkAssertionException"/> class.</summary>
    /// <param name="message">What did not hold.</param>
    public EventLinkAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EventLinkAssertionException"/> class.</summary>
    /// <param name="message">What did not hold.</param>
    /// <param name="innerException">The cause.</param>
    public EventLinkAssertionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
