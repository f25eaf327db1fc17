namespace MailIngest.Testing;

/// <summary>One real host with default limits, shared by the tests of a class.</summary>
public sealed class SingleNodeFixture : NodeFixture;
