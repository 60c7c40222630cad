using System.Collections.Generic;
using Acme.Models;
using static Acme.Util.MathX;
using Acme.Util;

namespace Acme.Services;

public interface IPricer // <def:IPricer>
{
    int Quote(Order order); // <def:IPricer.Quote> <ref:Order=Order>
}

public abstract class PricingBase // <def:PricingBase>
{
    protected int rounding = 5; // <def:PricingBase.rounding>
    protected virtual int Round(int cents) => cents - cents % rounding; // <def:PricingBase.Round> <ref:rounding=PricingBase.rounding>
}

public class Pricing : PricingBase, IPricer // <def:Pricing> <ref:PricingBase=PricingBase> <ref:IPricer=IPricer>
{
    private readonly Config config; // <def:Pricing.config> <ref:Config=Config>

    public Pricing(Config config) { this.config = config; } // <ref:Config=Config> <ref:config#2=Pricing.config>

    public int Quote(Order order) // <def:Pricing.Quote> <ref:Order=Order>
    {
        Log.Info("quoting"); // <ref:Log=Log> <ref:Info=Log.Info>
        var total = order.Total(); // <ref:Total=Order.Total>
        order.Add(Item.Free("gift")); // <ref:Add=Order.Add> <ref:Item=Item> <ref:Free=Item.Free>
        if (config.MaxLines < order.Version) // <ref:config=Pricing.config> <ref:MaxLines=Config.MaxLines> <ref:Version=Order.Version>
        {
            return Clamp(Round(total), 0, 1000); // <ref:Clamp=MathX.Clamp> <ref:Round=PricingBase.Round>
        }
        return base.Round(total); // <ref:Round=PricingBase.Round>
    }

    public int Bonus(Item item) // <ref:Item=Item>
    {
        var doubled = item.Doubled(); // <ref:Doubled=Doubled>
        Category kind = item.Kind; // <ref:Category=Category> <ref:Kind=Item.Kind>
        return kind == Category.Fragile ? MathX.Percent(doubled, 10) : doubled; // <ref:Fragile=Category.Fragile> <ref:MathX=MathX>
    }
}
