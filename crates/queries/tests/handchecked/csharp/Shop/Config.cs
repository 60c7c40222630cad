namespace Acme
{
    public sealed class Config // <def:Config>
    {
        public static Config Default { get; } = new Config(); // <def:Config.Default> <ref:Config#2=Config>
        public int MaxLines { get; init; } = 100; // <def:Config.MaxLines>
    }
}
