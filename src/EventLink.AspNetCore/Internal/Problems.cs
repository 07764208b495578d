using Microsoft.AspNetCore.Http;

namespace EventLink.AspNetCore.Internal;

/// <summary>The problem answers (RFC 9457 ProblemDetails) of the collector's endpoints.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not a delivery EventLink can read.", extensions: extensions);

    public static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "The request's signature or key is missing or wrong.");

    public static IResult TooLarge(int limit) =>
        TypedResults.Problem($"The body is larger than {limit} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "The body is too large.");

    public static IResult StoreFailed() =>
        TypedResults.Problem("EventLink could not store the delivery; send it again later.", statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storing failed.");

    public static IResult Status(int statusCode, string detail) => statusCode switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized(detail),
        _ => BadRequest(detail),
    };
}
