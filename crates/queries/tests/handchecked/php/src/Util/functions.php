<?php

namespace Acme\Util; // <def:Util>

const MAX_LINES = 20; // <def:MAX_LINES>

function clamp(int $v, int $lo, int $hi): int // <def:clamp>
{
    return max($lo, min($v, $hi)); // <ref:max=!> <ref:min=!>
}

function percent(int $v, int $p): int // <def:percent>
{
    return clamp(intdiv($v * $p, 100), 0, $v); // <ref:clamp=clamp> <ref:intdiv=!>
}
