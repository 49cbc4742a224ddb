namespace Outgate.Policy;

internal sealed class NftTableBuilder(NftCompileOptions options)
{
    public NftRuleset Build(FirewallPolicy policy) => throw new NotImplementedException(options.TableName);

    public NftRuleset BuildPanic() => throw new NotImplementedException();
}
