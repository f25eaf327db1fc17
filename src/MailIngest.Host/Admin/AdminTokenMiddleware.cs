using System.Security.Cryptography;
using System.Text;

namespace MailIngest.Host.Admin;

/// <summary>
/// With MailIngest:Admin:Token set, everything under /api/ and /status needs "Authorization: Bearer &lt;token&gt;";
/// /healthz and /readyz stay open for probes. Both sides are hashed before a fixed-time comparison, so neither the
/// token's content nor its length leaks through timing.
/// </summary>
public sealed class AdminTokenMiddleware(RequestDelegate next, string token)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Answers 401 to a protected request without the right token; passes everything else on.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        if (!IsProtected(context.Request.Path) || Presented(context.Request) is { } presented && Matches(presented)) return next(context);
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Results.Json(new { error = "missing or wrong bearer token (MailIngest:Admin:Token)" }, statusCode: StatusCodes.Status401Unauthorized)
            .ExecuteAsync(context);
    }

    private static bool IsProtected(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/status", StringComparison.OrdinalIgnoreCase);

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : null;
    }

    private bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
