<?php

namespace Acme\Shop; // <def:Shop>

use Acme\Models\{Item, Line as OrderLine};
use Acme\Models\Priced;
use function Acme\Util\clamp;
use const Acme\Util\MAX_LINES;

/**
 * A customer's cart.
 */
final class Cart extends Base // <def:Cart> <ref:Base=Base>
{
    use Discounts; // <ref:Discounts=Discounts>

    public const CURRENCY = 'EUR'; // <def:Cart.CURRENCY>
    private static ?Cart $last = null; // <def:Cart.last> <ref:Cart=Cart>

    public function add(Item $item, int $quantity = 1): OrderLine // <def:Cart.add> <ref:Item=Item> <ref:OrderLine=Line>
    {
        if ($this->count() >= MAX_LINES) { // <ref:count=Base.count> <ref:MAX_LINES=MAX_LINES>
            throw new \OverflowException('full'); // <ref:OverflowException=!>
        }
        $line = new OrderLine($item, clamp($quantity, 1, 99)); // <ref:OrderLine=Line> <ref:clamp=clamp>
        $this->lines[] = $line; // <ref:lines=Base.lines>
        self::$last = $this; // <ref:$last=Cart.last>
        return $line;
    }

    public function total(): int // <def:Cart.total>
    {
        $sum = 0;
        foreach ($this->lines as $line) { // <ref:lines=Base.lines>
            $sum += $line->total(); // <ref:total=Line.total>
        }
        return $sum - $this->discount($sum); // <ref:discount=Discounts.discount>
    }

    public function first(): ?Priced // <def:Cart.first> <ref:Priced=Priced>
    {
        return $this->lines[0] ?? null; // <ref:lines=Base.lines>
    }

    public static function last(): ?self // <def:Cart.lastM>
    {
        return static::$last; // <ref:$last=Cart.last>
    }

    public function clear(): void // <def:Cart.clear>
    {
        parent::reset(); // <ref:reset=Base.reset>
        $gift = Item::free('gift'); // <ref:Item=Item> <ref:free=Item.free>
        $this->add($gift); // <ref:add=Cart.add>
    }

    public function label(): string // <def:Cart.label>
    {
        return sprintf('%d %s', $this->total(), self::CURRENCY); // <ref:sprintf=!> <ref:total=Cart.total> <ref:CURRENCY=Cart.CURRENCY>
    }
}
