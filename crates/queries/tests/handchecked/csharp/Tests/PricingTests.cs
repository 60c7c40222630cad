using Acme.Services;
using M = Acme.Models;
using Shop = Acme.Models.Order;

namespace Acme.Tests
{
    public class PricingTests
    {
        private static M.Item Sample() // <def:PricingTests.Sample> <ref:Item=Item>
             => new M.Item("pen", 120); // <ref:Item=Item>

        public void QuotesAnOrder()
        {
            var order = new Shop(); // <ref:Shop=Order>
            order.Add(Sample()); // <ref:Add=Order.Add> <ref:Sample=PricingTests.Sample>
            var pricing = new Pricing(Config.Default); // <ref:Pricing=Pricing> <ref:Config=Config> <ref:Default=Config.Default>
            IPricer pricer = pricing; // <ref:IPricer=IPricer>
            var quote = pricer.Quote(order); // <ref:Quote=IPricer.Quote>
            var customer = new M.Customer { Email = "a@acme.test" }; // <ref:Customer=Customer> <ref:Email=Customer.Email>
            order.Buyer = customer; // <ref:Buyer=Order.Buyer>
            Log.Info(quote.ToString()); // <ref:Log=Log> <ref:Info=Log.Info>
        }
    }
}
