package com.acme.shop

import com.acme.model.Item
import com.acme.model.Line as OrderLine
import com.acme.model.Priced
import com.acme.util.*

/**
 * A customer's cart.
 */
class Cart(private val owner: String) { // <def:Cart> <def:Cart.owner>
    private val lines = mutableListOf<OrderLine>() // <def:Cart.lines> <ref:mutableListOf=!> <ref:OrderLine=Line>
    val id = Ids.fresh() // <def:Cart.id> <ref:Ids=Ids> <ref:fresh=Ids.fresh>

    fun add(item: Item, quantity: Int = 1): OrderLine { // <def:Cart.add> <ref:Item=Item> <ref:OrderLine=Line>
        check(lines.size < MAX_LINES) { "full" } // <ref:check=!> <ref:lines=Cart.lines> <ref:MAX_LINES=MAX_LINES>
        val line = OrderLine(item, clamp(quantity, 1, 99)) // <ref:OrderLine=Line> <ref:clamp=clamp>
        lines.add(line) // <ref:lines=Cart.lines>
        return line
    }

    fun total(): Int { // <def:Cart.total>
        var sum = 0
        for (line in lines) { // <ref:lines=Cart.lines>
            sum += line.total()
        }
        return sum - discount(sum) // <ref:discount=Cart.discount>
    }

    private fun discount(sum: Int): Int = 10.percentOf(sum) // <def:Cart.discount> <ref:percentOf=percentOf>

    fun first(): Priced? = lines.firstOrNull() // <def:Cart.first> <ref:Priced=Priced> <ref:lines=Cart.lines>

    fun label(): String = "$owner: ${total()}" // <def:Cart.label>

    companion object {
        fun empty(owner: String): Cart = Cart(owner) // <def:Cart.empty> <ref:Cart=Cart> <ref:Cart#2=Cart>
    }
}
