using MailIngest.LoadGen;

// A bounded SMTP load against one server: see LoadOptions for the flags, docs/performance.md for its use.
var options = LoadOptions.Parse(args, Console.Error);
if (options is null) return 2;
if (options.Idle > 0)
{
    await IdleConnections.HoldAsync(options.Host, options.Port, options.Idle, TimeSpan.FromSeconds(options.Seconds));
    return 0;
}

Console.WriteLine(await new LoadRunner(options).RunAsync());
return 0;
