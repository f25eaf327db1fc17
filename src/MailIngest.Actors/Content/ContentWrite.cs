namespace MailIngest.Actors.Content;

/// <summary>One message body waiting for its batch; the batch's writer owns <see cref="Content"/> until it committed.</summary>
internal sealed record ContentWrite(string Key, Stream Content);
