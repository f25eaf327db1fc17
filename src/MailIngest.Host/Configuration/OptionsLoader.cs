namespace MailIngest.Host.Configuration;

/// <summary>Binds and validates the MailIngest section; a bad key ends the process with a message naming it.</summary>
public static class OptionsLoader
{
    /// <summary>The validated settings, or null after printing what is wrong.</summary>
    public static NodeSettings? Load(IConfiguration configuration, TextWriter errors)
    {
        var options = new MailIngestOptions();
        try
        {
            configuration.GetSection(MailIngestOptions.Section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException error)
        {
            errors.WriteLine($"Configuration error: {error.Message}{(error.InnerException is null ? "" : " " + error.InnerException.Message)}");
            return null;
        }

        var problems = MailIngestOptionsValidator.Validate(options);
        foreach (var problem in problems) errors.WriteLine($"Configuration error: {problem}");
        return problems.Count == 0 ? NodeSettings.From(options) : null;
    }
}
