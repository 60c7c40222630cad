namespace Acme.Util
{
    public static class MathX // <def:MathX>
    {
        public static int Clamp(int v, int lo, int hi) => v < lo ? lo : v > hi ? hi : v; // <def:MathX.Clamp>
        public static int Percent(int v, int pct) => Clamp(v * pct / 100, 0, v); // <ref:Clamp=MathX.Clamp>
    }
}
