<?php

namespace Acme\Shop; // <def:Shop>

use function Acme\Util\percent;

trait Discounts // <def:Discounts>
{
    protected int $rate = 10; // <def:Discounts.rate>

    public function discount(int $total): int // <def:Discounts.discount>
    {
        return percent($total, $this->rate); // <ref:percent=percent> <ref:rate=Discounts.rate>
    }
}
