using Acme.Models;

namespace Acme.Util
{
    public static class ItemExtensions
    {
        public static int Doubled(this Item item) => item.Price() * 2; // <def:Doubled> <ref:Item=Item> <ref:Price=Item.Price>
    }
}
