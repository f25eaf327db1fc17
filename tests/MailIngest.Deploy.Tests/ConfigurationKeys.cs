using System.ComponentModel;
using System.Reflection;
using MailIngest.Host.Configuration;

namespace MailIngest.Deploy.Tests;

/// <summary>
/// Maps environment variable names such as <c>MailIngest__Cluster__Seeds__0</c> onto the host's typed options
/// (<see cref="MailIngestSettings"/>) by reflection, so a key renamed on one side only fails the tests.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>The prefix of every variable the host reads.</summary>
    public const string Prefix = MailIngestSettings.Section + "__";

    /// <summary>
    /// The type of the option that <paramref name="variable"/> sets, or null when no option has that name.
    /// Array options take an index segment (<c>__0</c>), followed by a key when the items are sections
    /// (<c>Webhooks__0__Url</c>); names match exactly, case included.
    /// </summary>
    public static Type? Resolve(string variable)
    {
        if (!variable.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var type = typeof(MailIngestSettings);
        var segments = variable[Prefix.Length..].Split("__");
        for (var i = 0; i < segments.Length; i++)
        {
            var property = type.GetProperty(segments[i], BindingFlags.Public | BindingFlags.Instance);
            if (property is not { CanWrite: true })
            {
                return null;
            }

            type = property.PropertyType;
            var last = i == segments.Length - 1;
            if (type.IsArray)
            {
                var indexed = i < segments.Length - 1 && int.TryParse(segments[i + 1], out var index) && index >= 0;
                if (!indexed) return null;
                type = type.GetElementType()!;
                // A list of leaves (Seeds__0) ends at its index; a list of sections (Webhooks__0__Url) goes on inside.
                if (IsLeaf(type)) return i == segments.Length - 2 ? type : null;
                i++;
                if (i == segments.Length - 1) return null;
                continue;
            }

            if (IsLeaf(type))
            {
                return last ? type : null;
            }

            if (last)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="value"/> converts to <paramref name="type"/> the way the configuration binder converts it.</summary>
    public static bool Converts(string value, Type type)
    {
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException
            || e.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    /// <summary>
    /// Every key with its default, as a fresh <see cref="MailIngestSettings"/> holds it: <c>Smtp:Port</c> → 2525. A list
    /// of sections names its items' keys with <c>N</c> (<c>Webhooks:N:Url</c>), defaults from a fresh item.
    /// </summary>
    public static IEnumerable<(string Key, object? Default)> Defaults() => DefaultsOf(new MailIngestSettings(), "");

    private static IEnumerable<(string Key, object? Default)> DefaultsOf(object section, string prefix)
    {
        foreach (var property in section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + property.Name;
            var type = property.PropertyType;
            if (IsLeaf(type) || type.IsArray && IsLeaf(type.GetElementType()!))
            {
                yield return (key, property.GetValue(section));
                continue;
            }

            var inner = type.IsArray ? Activator.CreateInstance(type.GetElementType()!)! : property.GetValue(section)!;
            foreach (var item in DefaultsOf(inner, key + (type.IsArray ? ":N:" : ":"))) yield return item;
        }
    }

    // int? (an optional port) binds like int; a TimeSpan is one string ("7.00:00:00").
    private static bool IsLeaf(Type type) =>
        Nullable.GetUnderlyingType(type) is { } underlying
            ? IsLeaf(underlying)
            : type == typeof(string) || type == typeof(TimeSpan) || type.IsPrimitive || type.IsEnum;
}
