namespace MailIngest.Actors.Content;

/// <summary>
/// One message body waiting for its batch; the batch's writer owns <see cref="Content"/> until it committed and reads
/// it from its start each time (a write whose batch failed is tried again alone).
/// </summary>
internal sealed record ContentWrite(string Key, Stream Content, int References);
