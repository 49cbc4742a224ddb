namespace Outgate.Policy;

internal static class PolicyEditor
{
    public static PolicyEditResult AddRule(PolicyFileSet set, Rule rule) => throw new NotImplementedException();

    public static PolicyEditResult InsertRule(PolicyFileSet set, int position, Rule rule) => throw new NotImplementedException();

    public static PolicyEditResult DeleteRule(PolicyFileSet set, int position) => throw new NotImplementedException();

    public static PolicyEditResult DeleteRule(PolicyFileSet set, Rule rule) => throw new NotImplementedException();

    public static PolicyEditResult SetDefault(PolicyFileSet set, Direction direction, DefaultPolicy policy) => throw new NotImplementedException();

    public static PolicyEditResult SetLogging(PolicyFileSet set, LogLevel level) => throw new NotImplementedException();

    public static PolicyEditResult Reset(PolicyFileSet set, string backupSuffix) => throw new NotImplementedException();
}
