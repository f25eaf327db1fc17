namespace MailIngest.Actors.Filters;

/// <summary>A milter conversation that broke off; <see cref="Kind"/> is the metric's tag.</summary>
public sealed class MilterFailure(string kind, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>connect, timeout, closed or protocol.</summary>
    public string Kind { get; } = kind;
}
