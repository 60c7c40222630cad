package com.acme.shop

import com.acme.model.Gift
import com.acme.model.Item
import kotlin.test.Test
import kotlin.test.assertEquals

class CartTest { // <def:CartTest>
    @Test
    fun adds() { // <def:CartTest.adds>
        val cart = Cart.empty("ada") // <ref:Cart=Cart> <ref:empty=Cart.empty>
        val item = Item("pen", 3) // <ref:Item=Item>
        val line = cart.add(item, 2) // <ref:add=Cart.add>
        assertEquals(6, line.total()) // <ref:assertEquals=!> <ref:total=Line.total>
        assertEquals(2, item.discounted(50)) // <ref:discounted=Item.discounted>
        val gift = Gift("box") // <ref:Gift=Gift>
        assertEquals(2, gift.price()) // <ref:price=Gift.price>
        assertEquals(5, cart.total()) // <ref:total=Cart.total>
        assertEquals("pen", cart.first()?.let { (it as Line).item.name }) // <ref:first=Cart.first>
        assertEquals(cart.id + 1, Cart("bo").id) // <ref:id=Cart.id> <ref:Cart=Cart> <ref:id#2=Cart.id>
    }
}
