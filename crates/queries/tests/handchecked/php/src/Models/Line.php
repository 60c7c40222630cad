<?php

namespace Acme\Models; // <def:Models>

final class Line implements Priced // <def:Line> <ref:Priced=Priced>
{
    public function __construct(private Item $item, private int $quantity = 1) {} // <def:Line.__construct> <def:Line.item> <def:Line.quantity> <ref:Item=Item>

    public function total(): int // <def:Line.total>
    {
        return $this->item->price() * $this->quantity; // <ref:item=Line.item> <ref:price=Item.priceM> <ref:quantity=Line.quantity>
    }

    public function item(): Item // <def:Line.itemM> <ref:Item=Item>
    {
        return $this->item; // <ref:item=Line.item>
    }
}

interface Priced // <def:Priced>
{
    public function total(): int; // <def:Priced.total>
}
