namespace MailIngest.Host.Admin;

/// <summary>
/// The dashboard page at / and its script and style sheet, embedded in the assembly (no web root to ship or find).
/// Open like the probes: the page holds no data; what it fetches (/status, /api/dashboard) follows the token rule.
/// </summary>
public static class DashboardPage
{
    private static readonly (string Route, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/dashboard.js", "dashboard.js", "text/javascript; charset=utf-8"),
        ("/dashboard.css", "dashboard.css", "text/css; charset=utf-8"),
    ];

    // Everything the page needs comes from this origin; nothing may frame it.
    private const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>Maps the page's files.</summary>
    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder app)
    {
        foreach (var (route, resource, contentType) in Files)
        {
            var content = Read(resource);
            app.MapGet(route, (HttpResponse response) =>
            {
                response.Headers.CacheControl = "no-cache";
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                return Results.Bytes(content, contentType);
            });
        }

        return app;
    }

    private static byte[] Read(string resource)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("dashboard/" + resource)
            ?? throw new InvalidOperationException($"Embedded dashboard file {resource} is missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
