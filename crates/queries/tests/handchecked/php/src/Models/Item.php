<?php

declare(strict_types=1);

namespace Acme\Models; // <def:Models>

/** Something sold. */
class Item // <def:Item>
{
    private static int $made = 0; // <def:Item.made>

    public function __construct( // <def:Item.__construct>
        public readonly string $name, // <def:Item.name>
        private int $price, // <def:Item.price>
    ) {
        self::$made++; // <ref:$made=Item.made>
    }

    public static function free(string $name): static // <def:Item.free>
    {
        return new static($name, 0);
    }

    public function price(): int // <def:Item.priceM>
    {
        return $this->price; // <ref:price=Item.price>
    }

    public function discounted(int $percent): int // <def:Item.discounted>
    {
        return $this->price() - intdiv($this->price * $percent, 100); // <ref:price=Item.priceM> <ref:intdiv=!> <ref:price#2=Item.price>
    }

    public static function made(): int // <def:Item.madeM>
    {
        return static::$made; // <ref:$made=Item.made>
    }
}
