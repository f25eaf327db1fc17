namespace MailIngest.Host.Admin;

/// <summary>The body of POST /api/erasure: {"address": "...", "includeSender": false}.</summary>
public sealed record ErasureBody(string? Address, bool IncludeSender);
