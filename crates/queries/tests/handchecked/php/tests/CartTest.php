<?php

namespace Acme\Tests; // <def:Tests>

use Acme\Models\Item;
use Acme\Shop\Cart;
use PHPUnit\Framework\TestCase;

final class CartTest extends TestCase // <def:CartTest> <ref:TestCase=!>
{
    public function testAdd(): void // <def:CartTest.testAdd>
    {
        $cart = new Cart(); // <ref:Cart=Cart>
        $item = new Item('pen', 3); // <ref:Item=Item>
        $line = $cart->add($item, 2); // <ref:add=Cart.add>
        $this->assertSame(6, $line->total()); // <ref:assertSame=!> <ref:total=Line.total>
        $this->assertSame(1, $cart->count()); // <ref:count=Base.count>
        $this->assertSame(2, $item->discounted(50)); // <ref:discounted=Item.discounted>
        $this->assertSame('EUR', Cart::CURRENCY); // <ref:Cart=Cart> <ref:CURRENCY=Cart.CURRENCY>
        $this->assertNotNull(Cart::last()); // <ref:last=Cart.lastM>
        $this->assertSame(1, Item::made()); // <ref:made=Item.madeM>
    }
}
