namespace Acme.Models
{
    public partial class Order // <def:Order>
    {
        public int Version; // <def:Order.Version>

        private void Touch() => Version++; // <def:Order.Touch> <ref:Version=Order.Version>

        public int Total() // <def:Order.Total>
        {
            var sum = 0;
            foreach (Item line in lines) // <ref:Item=Item> <ref:lines=Order.lines>
            {
                sum += line.Price(); // <ref:Price=Item.Price>
            }
            return Buyer.IsVip() ? sum / 2 : sum; // <ref:Buyer=Order.Buyer> <ref:IsVip=Customer.IsVip>
        }
    }
}
