package com.acme.util

const val MAX_LINES = 20 // <def:MAX_LINES>

fun clamp(v: Int, lo: Int, hi: Int): Int = maxOf(lo, minOf(v, hi)) // <def:clamp> <ref:maxOf=!> <ref:minOf=!>

fun Int.percentOf(total: Int): Int = total * this / 100 // <def:percentOf>

object Ids { // <def:Ids>
    private var next = 0 // <def:Ids.next>

    fun fresh(): Int { // <def:Ids.fresh>
        next += 1 // <ref:next=Ids.next>
        return next // <ref:next=Ids.next>
    }
}
