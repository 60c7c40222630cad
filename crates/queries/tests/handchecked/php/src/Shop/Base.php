<?php

namespace Acme\Shop; // <def:Shop>

abstract class Base implements \Countable // <def:Base> <ref:Countable=!>
{
    protected array $lines = []; // <def:Base.lines>

    public function count(): int // <def:Base.count>
    {
        return \count($this->lines); // <ref:count=!> <ref:lines=Base.lines>
    }

    protected function reset(): void // <def:Base.reset>
    {
        $this->lines = []; // <ref:lines=Base.lines>
    }
}
