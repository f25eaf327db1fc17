namespace MailIngest.LoadGen;

/// <summary>Command-line options; every load is bounded by <see cref="Messages"/> and <see cref="Seconds"/>.</summary>
public sealed record LoadOptions
{
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 2525;
    public int Connections { get; init; } = 20;
    public int Messages { get; init; } = 5000;
    public int Size { get; init; } = 4096;
    public int Recipients { get; init; } = 1;
    public int Mailboxes { get; init; } = 1;
    public bool Reuse { get; init; }
    /// <summary>Open-loop pacing in messages per second over all connections; 0 = as fast as the server answers.</summary>
    public int Rate { get; init; }
    public int Seconds { get; init; } = 300;
    /// <summary>Instead of sending: hold this many connections open after EHLO for <see cref="Seconds"/>.</summary>
    public int Idle { get; init; }
    public string Domain { get; init; } = "example.com";
    /// <summary>
    /// A whole message (CRLF lines, no line starting with ".") sent instead of the generated one, after a header field
    /// that numbers it: e.g. a DKIM-signed message, whose signature the added field leaves intact.
    /// </summary>
    public string? MessageFile { get; init; }

    /// <summary>Parses "--name value" pairs and "--reuse"; null (after printing why) on a bad argument.</summary>
    public static LoadOptions? Parse(string[] args, TextWriter errors)
    {
        var options = new LoadOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (name == "--reuse")
            {
                options = options with { Reuse = true };
                continue;
            }

            if (i + 1 >= args.Length)
            {
                errors.WriteLine($"missing value for {name}");
                return null;
            }

            var value = args[++i];
            int Number() => int.TryParse(value, out var n) && n >= 0 ? n : throw new FormatException($"{name} {value} is not a count");
            try
            {
                options = name switch
                {
                    "--host" => options with { Host = value },
                    "--port" => options with { Port = Number() },
                    "--connections" => options with { Connections = Math.Max(1, Number()) },
                    "--messages" => options with { Messages = Number() },
                    "--size" => options with { Size = Number() },
                    "--recipients" => options with { Recipients = Math.Max(1, Number()) },
                    "--mailboxes" => options with { Mailboxes = Math.Max(1, Number()) },
                    "--rate" => options with { Rate = Number() },
                    "--seconds" => options with { Seconds = Math.Max(1, Number()) },
                    "--idle" => options with { Idle = Number() },
                    "--domain" => options with { Domain = value },
                    "--message" => options with { MessageFile = value },
                    _ => throw new FormatException($"unknown option {name}"),
                };
            }
            catch (FormatException error)
            {
                errors.WriteLine(error.Message);
                return null;
            }
        }

        return options;
    }
}
