using System;

namespace Acme.Models
{
    /// <summary>Something sold.</summary>
    public class Item : IPriced // <def:Item> <ref:IPriced=IPriced>
    {
        public Item(string name, int cents) // <def:Item.ctor>
        {
            Name = name; // <ref:Name=Item.Name>
            Cents = cents; // <ref:Cents=Item.Cents>
        }

        public string Name { get; } // <def:Item.Name>
        public int Cents { get; private set; } // <def:Item.Cents>
        public Category Kind { get; set; } = Category.Plain; // <def:Item.Kind> <ref:Category=Category> <ref:Plain=Category.Plain>

        public int Price() => Cents; // <def:Item.Price> <ref:Cents=Item.Cents>

        public Item WithCents(int cents) => new Item(Name, cents); // <def:Item.WithCents> <ref:Item#2=Item> <ref:Name=Item.Name>

        public static Item Free(string name) => new Item(name, 0); // <def:Item.Free>
    }

    public interface IPriced // <def:IPriced>
    {
        int Price(); // <def:IPriced.Price>
    }

    public enum Category { Plain, Fragile, Perishable } // <def:Category> <def:Category.Plain> <def:Category.Fragile>
}
