namespace MailIngest.Host.Configuration;

/// <summary>Binds and validates the MailIngest section; a bad key ends the process with a message naming it.</summary>
public static class SettingsLoader
{
    /// <summary>The node's options from the validated settings, or null after printing what is wrong.</summary>
    public static NodeOptions? Load(IConfiguration configuration, TextWriter errors)
    {
        var settings = new MailIngestSettings();
        try
        {
            configuration.GetSection(MailIngestSettings.Section).Bind(settings, binder => binder.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException error)
        {
            errors.WriteLine($"Configuration error: {error.Message}{(error.InnerException is null ? "" : " " + error.InnerException.Message)}");
            return null;
        }

        var problems = MailIngestSettingsValidator.Validate(settings);
        foreach (var problem in problems) errors.WriteLine($"Configuration error: {problem}");
        return problems.Count == 0 ? NodeOptions.From(settings) : null;
    }
}
