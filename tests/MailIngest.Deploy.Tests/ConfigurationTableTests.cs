using System.Globalization;
using System.Text.RegularExpressions;

namespace MailIngest.Deploy.Tests;

/// <summary>
/// docs/configuration.md's table is a copy of the defaults that live in the settings classes: every key has a row,
/// every row names real keys, and a default that is a plain value appears in its row as the code has it.
/// </summary>
public sealed partial class ConfigurationTableTests
{
    private static readonly Dictionary<string, string> Rows = ReadRows();

    public static TheoryData<string> Keys() => new(ConfigurationKeys.Defaults().Select(pair => pair.Key));

    [Theory]
    [MemberData(nameof(Keys))]
    public void Every_key_has_a_row_with_its_default(string key)
    {
        var row = Rows.Keys.SingleOrDefault(names => KeyNames().Matches(names).Any(name => name.Groups[1].Value == key));
        Assert.True(row is not null, $"docs/configuration.md has no row for {key}");

        var value = ConfigurationKeys.Defaults().Single(pair => pair.Key == key).Default;
        if (Spelled(value) is { } spelled) Assert.Contains($"`{spelled}`", Rows[row]);
    }

    [Fact]
    public void Every_row_names_keys_of_the_settings()
    {
        var keys = ConfigurationKeys.Defaults().Select(pair => pair.Key).ToHashSet();
        var named = Rows.Keys.SelectMany(names => KeyNames().Matches(names).Select(name => name.Groups[1].Value)).ToList();

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, keys));
    }

    /// <summary>How the table writes a default; null when it describes it in words (empty, absent, a list).</summary>
    private static string? Spelled(object? value) => value switch
    {
        null or "" or Array => null,
        bool flag => flag ? "true" : "false",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <summary>First cell → second cell of each row of the key table.</summary>
    private static Dictionary<string, string> ReadRows() =>
        File.ReadLines(Path.Combine(RepositoryPaths.Root, "docs", "configuration.md"))
            .Select(line => line.Split('|'))
            .Where(cells => cells.Length >= 4 && cells[1].Contains('`'))
            .ToDictionary(cells => cells[1].Trim(), cells => cells[2].Trim());

    // `Smtp:Port`, `Webhooks:N:Url`.
    [GeneratedRegex("`([A-Za-z]+(?::[A-Za-z]+|:N)*)`")]
    private static partial Regex KeyNames();
}
