namespace Acme.Models;

public partial class Order // <def:Order>
{
    private readonly List<Item> lines = new(); // <def:Order.lines> <ref:Item=Item>

    public Customer Buyer { get; set; } // <def:Order.Buyer> <ref:Customer=Customer>

    public void Add(Item item) // <def:Order.Add> <ref:Item=Item>
    {
        lines.Add(item); // <ref:lines=Order.lines>
        Touch(); // <ref:Touch=Order.Touch>
    }
}

public class Customer // <def:Customer>
{
    public string Email = ""; // <def:Customer.Email>
    public bool IsVip() => Email.EndsWith("@acme.test"); // <def:Customer.IsVip> <ref:Email=Customer.Email>
}
