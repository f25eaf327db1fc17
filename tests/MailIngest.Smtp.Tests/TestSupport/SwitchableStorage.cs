using MailIngest.Smtp.Session;

namespace MailIngest.Smtp.Tests.TestSupport;

/// <summary>Storage whose room the test turns off and on.</summary>
internal sealed class SwitchableStorage : IStorageSpace
{
    public bool HasRoom { get; set; } = true;
}
