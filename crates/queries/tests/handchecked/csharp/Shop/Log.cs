// the global namespace: every file of the assembly sees it
public static class Log // <def:Log>
{
    public static void Info(string message) => System.Console.WriteLine(message); // <def:Log.Info> <ref:Console=!>
}
